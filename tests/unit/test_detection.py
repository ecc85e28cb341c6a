"""Partner detection in the planner: the partner's kind as a hidden variable, on small synthetic
knowledge bases (built in memory, no files, no model)."""

from __future__ import annotations

import string

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.game import Round
from agent.kinds import ALPHABETICAL, classify, rule_answer
from agent.planner.alpha import check_words
from agent.planner.posterior import Mode, Posterior
from agent.rules import HANDSHAKE_QUESTION, alphabetical_question
from llm20q.eval.suite_report import CONFIDENT, decision_round
from tests.unit.test_planner import ANIMALS, TABLE, THINGS, make_kb, planner_for

WORDS = sorted(
    {"".join(np.random.default_rng(seed).choice(list("abcdefghij"), size=5)) for seed in range(400)}
)


def answer_for(question: str, keyword: str, flip: bool = False) -> str:
    truth = rule_answer(question, keyword)
    assert truth is not None, question
    return "yes" if truth != flip else "no"


def play_exact(keyword: str, limit: int = 20, **config: object) -> list[tuple[Round, float]]:
    """A game against an exact Agent Alpha partner: (round, P(protocol) after it)."""
    planner = planner_for(make_kb(WORDS), **config)
    rounds: list[Round] = []
    out: list[tuple[Round, float]] = []
    for _ in range(limit):
        question = planner.question(rounds)
        assert question is not None
        rounds.append(Round(question, answer_for(question, keyword)))
        guess = planner.guess(rounds)
        rounds[-1] = Round(question, rounds[-1].answer, guess)
        out.append((rounds[-1], planner.posterior(rounds).p_protocol))
        if guess == keyword:
            break
    return out


@pytest.mark.parametrize("value", [0.0, 3.0, 30.0])
def test_a_true_alpha_partner_is_never_dropped(value: float) -> None:
    rng = np.random.default_rng(1)
    keywords = [*rng.choice(WORDS, 12, replace=False).tolist(), "aaaaa", "jjjjj", "ccccz"]
    for keyword in keywords:  # the last three are outside the lexicon
        game = play_exact(keyword, partner_value=value)
        p0 = game[0][1]
        assert all(p >= p0 - 1e-9 for _, p in game), (keyword, [p for _, p in game])
        assert all(classify(r.question) is ALPHABETICAL for r, _ in game[1:])
        if keyword in WORDS:
            assert game[-1][0].guess == keyword


def test_checks_are_asked_while_the_kind_is_uncertain() -> None:
    eager = play_exact(WORDS[17], partner_value=30.0)
    never = play_exact(WORDS[17], partner_value=0.0)
    assert len(eager) > len(never)  # checks cost rounds...
    assert eager[-1][1] > never[-1][1]  # ...and raise P(protocol)
    assert eager[-1][0].guess == never[-1][0].guess == WORDS[17]


def test_a_wrong_check_answer_moves_to_the_bayesian_mode() -> None:
    planner = planner_for(make_kb(WORDS), partner_value=30.0)
    keyword = WORDS[200]
    rounds = [Round(HANDSHAKE_QUESTION, "yes")]
    for _ in range(6):
        question = planner.question(rounds)
        assert question is not None and classify(question) is ALPHABETICAL
        post = planner.posterior(rounds)
        word = planner.index.parse(question).word  # type: ignore[union-attr]
        check = post.implied(word) is not None
        rounds.append(Round(question, answer_for(question, keyword, flip=check)))
        if check:
            break
    else:
        raise AssertionError("no check in 6 rounds")
    post = planner.posterior(rounds)
    assert post.mode is Mode.BAYES and post.p_protocol < 0.01
    assert classify(planner.question(rounds) or "") is not ALPHABETICAL


def test_the_handshake_sets_the_prior_odds() -> None:
    planner = planner_for(make_kb(WORDS), protocol_prior=0.2, handshake_false_yes=0.5)
    yes = planner.posterior([Round(HANDSHAKE_QUESTION, "yes")]).p_protocol
    assert yes == pytest.approx(0.2 / (0.2 + 0.8 * 0.5), rel=1e-3)
    no = planner.posterior([Round(HANDSHAKE_QUESTION, "no")]).p_protocol
    assert no < 1e-3
    never = planner_for(make_kb(WORDS), protocol_prior=0.0)
    assert never.posterior([Round(HANDSHAKE_QUESTION, "yes")]).mode is Mode.BAYES


def test_only_checks_move_the_odds() -> None:
    kb = make_kb(ANIMALS + THINGS, table=TABLE)
    planner = planner_for(kb, noise_table=0.05)
    rounds = [
        Round(HANDSHAKE_QUESTION, "yes", "x"),
        Round(alphabetical_question("d"), "yes", "y"),  # a split: car, cat, chair, cow
        Round("Is it a bird?", "yes", "z"),  # no bird sorts before "d": a bank answer
    ]
    trace = [planner.posterior(rounds[:k]).p_protocol for k in range(1, 4)]
    assert trace[0] == trace[1] == trace[2]
    passed = planner.posterior([*rounds, Round(alphabetical_question("e"), "yes")]).p_protocol
    failed = planner.posterior([*rounds, Round(alphabetical_question("e"), "no")]).p_protocol
    assert failed < 0.01 < trace[0] < passed


@settings(max_examples=60, deadline=None)
@given(
    keyword=st.text(alphabet=string.ascii_lowercase + " -'", min_size=1, max_size=12),
    splits=st.lists(st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=4), max_size=6),
)
def test_check_words_are_implied_for_any_keyword_string(keyword: str, splits: list[str]) -> None:
    post = Posterior.empty(len(WORDS), 0, {Mode.ALPHA: 1e-4, Mode.BAYES: 0.3}, 0.0)
    for word in splits:
        post.bound(word, bool(rule_answer(alphabetical_question(word), keyword)))
    for word in check_words(WORDS, post, set()):
        implied = post.implied(word)
        assert implied is not None
        assert rule_answer(alphabetical_question(word), keyword) is implied


def test_decision_round_is_where_the_odds_settle() -> None:
    assert decision_round([0.77, 0.85, 0.93, 0.95]) == 1  # the mode never changed
    assert decision_round([0.77, 0.4, 1e-5, 1e-5]) == 2
    assert decision_round([0.77, 0.85, 0.93, 0.95], CONFIDENT) == 3
    assert decision_round([0.77, 0.4, 1e-5, 1e-5], CONFIDENT) == 3
    assert decision_round([1e-4]) == decision_round([1e-4], CONFIDENT) == 1
    assert decision_round([0.77, 0.8], CONFIDENT) is None
    assert decision_round([0.77, 0.95, 0.5, 0.97], CONFIDENT) == 4
    assert decision_round([]) is None
