"""The planner with a plain (non Agent Alpha) partner: which questions it asks one, the
per-question answer rates from the people's panel, the partner's yes bias learned in the game,
and guesses that a reliable answer rules out."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from agent.game import Round
from agent.kinds import FIRST_LETTER, LETTER_RANGE, classify, natural_question
from agent.planner.belief import PlannerConfig
from agent.planner.index import PlannerIndex, question_noise
from agent.planner.partner import question_rates
from agent.planner.planner import Planner
from agent.planner.store import KnowledgeBase
from llm20q.eval.question_noise import differs_rates, table_contradictions
from llm20q.panel import read_panel
from tests.unit.test_planner import ANIMALS, TABLE, THINGS, TableSpec, make_kb

GLOSS = "Is it a kind of strip (artifact consisting of a narrow flat piece of...)?"
BIRDS = {"eagle": 1.0, "owl": 1.0}


def planner_on(kb: KnowledgeBase, **config: object) -> Planner:
    """A planner without the handshake and without the shipped panel file's figures (each test
    sets the per-question figures it needs)."""
    cfg = PlannerConfig(**{"uniform_mix": 0.0, "handshake": False, "outside_prior": 0.0,
                           **config})  # type: ignore[arg-type]  # fmt: skip
    index = PlannerIndex(kb, cfg.uniform_mix)
    index.spread = np.zeros(len(index.questions))
    index.panel_counts = np.zeros((len(index.questions), 4))
    index.people_counts = index.panel_counts
    return Planner(index, cfg)


def test_gloss_questions_are_not_natural() -> None:
    assert not natural_question(GLOSS)
    assert natural_question("Is it a kind of tray?")
    assert natural_question("Is it a device?")
    assert natural_question("Is it a covering, like a lid, a sheet or a roof?")


def test_a_kind_of_question_is_natural_when_its_word_is_a_known_one() -> None:
    table: TableSpec = (
        ("Is it a kind of owl?", "taxonomy", 0.0, {"owl": 1.0}),
        ("Is it a kind of spermatophyte?", "taxonomy", 0.0, {"cat": 1.0}),
        (GLOSS, "taxonomy", 0.0, {"cat": 1.0}),
        ("Is it a bird?", "taxonomy", 0.0, BIRDS),
    )
    index = PlannerIndex(make_kb(ANIMALS + THINGS, table=table), 0.0)
    assert index.natural.tolist() == [True, False, False, True]


def test_a_plain_partner_is_never_asked_a_gloss_question() -> None:
    # the gloss question splits the candidates evenly, the natural one only 2 of 16
    gloss = {w: 1.0 for w in ANIMALS}
    kb = make_kb(ANIMALS + THINGS, table=((GLOSS, "taxonomy", 0.0, gloss),
                                          ("Is it a bird?", "taxonomy", 0.0, BIRDS)))  # fmt: skip
    planner = planner_on(kb)
    assert planner.question([]) == "Is it a bird?"
    rounds = [Round("Is it a bird?", "no", "cat")]
    # no natural table question left: a spelling question, never the gloss one
    assert classify(planner.question(rounds) or "") in (FIRST_LETTER, LETTER_RANGE)


def test_spelling_questions_only_when_allowed() -> None:
    # "Is it a bird?" is worth less than a letter split, which wins only with bayes_spelling
    kb = make_kb(ANIMALS + THINGS, table=(("Is it a bird?", "taxonomy", 0.0, BIRDS),))
    assert planner_on(kb).question([]) == "Is it a bird?"
    allowed = planner_on(kb, bayes_spelling=True, noise_lexical=0.01)
    assert classify(allowed.question([]) or "") in (FIRST_LETTER, LETTER_RANGE)


def test_the_partner_yes_bias_is_learned_from_its_answers() -> None:
    planner = planner_on(make_kb(ANIMALS + THINGS, table=TABLE), noise_table=0.1)
    grid = np.asarray(planner.config.yes_bias_grid)
    prior_mean = float(planner.bias_weights(planner.posterior([])) @ grid)
    # yes to questions no single candidate can all be: a partner that leans to yes
    leaning = [Round(q, "yes") for q in ("Is it a bird?", "Is it a mammal?", "Is it furniture?")]
    leaning_mean = float(planner.bias_weights(planner.posterior(leaning)) @ grid)
    # answers one candidate (owl) fits: the bias falls below its prior mean
    fitting = [Round("Is it a bird?", "yes"), Round("Is it a mammal?", "no"),
               Round("Is it furniture?", "no")]  # fmt: skip
    fitting_mean = float(planner.bias_weights(planner.posterior(fitting)) @ grid)
    assert fitting_mean < prior_mean < leaning_mean
    lo, _ = planner.answer_rates(planner.posterior(leaning))
    assert np.all(lo > planner.answer_rates(planner.posterior(fitting))[0])


def test_with_a_yes_bias_a_no_outweighs_a_contradicting_yes() -> None:
    # "not an animal" but "a bird": a flat noise model weighs both alike, the yes bias trusts
    # the no
    rounds = [Round("Is it an animal?", "no"), Round("Is it a bird?", "yes")]
    kb = make_kb(ANIMALS + THINGS, table=TABLE)
    unbiased = {"yes_bias_grid": (0.0,), "yes_bias_prior": (1.0,)}
    flat = dict(planner_on(kb, noise_table=0.1, **unbiased).ranked(rounds, 16))
    assert flat["owl"] == pytest.approx(flat["chair"])
    biased = dict(planner_on(kb, noise_table=0.1).ranked(rounds, 16))
    assert biased["chair"] > 1.5 * biased["owl"]


def test_per_question_rates_come_from_the_panel_counts() -> None:
    planner = planner_on(make_kb(ANIMALS + THINGS, table=TABLE), noise_table=0.2)
    index = planner.index
    index.panel_counts[0] = (0.0, 180.0, 60.0, 180.0)  # never a false yes; a third false no
    index.spread[1] = 0.2  # people differ on 20% of things: +0.1 noise
    false_yes, false_no = question_rates(index, 0.2)
    assert false_yes[0] == pytest.approx(20 * 0.2 / 200)
    assert false_no[0] == pytest.approx((60 + 20 * 0.2) / 200)
    assert false_yes[1] == pytest.approx(0.3) and false_no[1] == pytest.approx(0.3)
    assert false_yes[2] == pytest.approx(0.2)


def test_a_reliable_no_rules_out_the_guess() -> None:
    # owl is by far the most probable a priori; a reliable "no" to "a bird?" keeps it from
    # being guessed, though it stays the most probable candidate
    words = ANIMALS + THINGS
    priors = [1000.0 if w == "owl" else 1.0 for w in sorted(words)]
    planner = planner_on(make_kb(words, priors=priors, table=TABLE), noise_table=0.05)
    rounds = [Round("Is it a bird?", "no")]
    assert planner.ranked(rounds, 1)[0][0] == "owl"
    assert planner.guess(rounds) not in ("owl", "eagle")
    # a no from an unreliable question rules nothing out
    noisy = planner_on(make_kb(words, priors=priors, table=TABLE), noise_table=0.3)
    assert noisy.guess(rounds) == "owl"


def test_the_panel_file_is_read_for_its_own_table_only(tmp_path: Path) -> None:
    kb = make_kb(ANIMALS + THINGS, table=TABLE)
    kb.manifest = {"files": {"answers.npz": {"sha256": "abc"}}}
    table = {"Is it a bird?": [1.0, 14.0, 0.0, 2.0]}
    record = {"differs": {"Is it a bird?": 0.1}, "answers_sha256": "abc", "table": table}
    path = tmp_path / "noise.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    spread, counts, people = question_noise(kb, path)
    assert spread[1] == pytest.approx(0.1) and spread[0] == 0.0
    assert counts[1].tolist() == [1.0, 14.0, 0.0, 2.0] and not counts[0].any()
    assert people.tolist() == counts.tolist()  # no LLM figures: one style
    record["table_people"] = {"Is it a bird?": [0.0, 14.0, 0.0, 2.0]}
    path.write_text(json.dumps(record), encoding="utf-8")
    assert question_noise(kb, path)[2][1].tolist() == [0.0, 14.0, 0.0, 2.0]
    kb.manifest = {"files": {"answers.npz": {"sha256": "another table"}}}
    spread, counts, people = question_noise(kb, path)
    assert spread[1] == pytest.approx(0.1) and not counts.any() and not people.any()
    assert not question_noise(kb, tmp_path / "missing.json")[0].any()


def test_panel_figures(tmp_path: Path) -> None:
    panel = tmp_path / "panel.csv"
    panel.write_text(
        "thing,group,question,answer\n"
        "owl,animal,Is it a bird?,yes\n"
        "cat,animal,Is it a bird?,no\n"
        "chair,furniture,Is it a bird?,differs\n"
        "sofa,furniture,Is it a bird?,yes\n"
        "owl,animal,Is it soft?,no\n",
        encoding="utf-8",
    )
    pairs = read_panel(panel)
    assert differs_rates(pairs) == {"Is it a bird?": 0.25, "Is it soft?": 0.0}
    table: TableSpec = (("Is it a bird?", "taxonomy", 0.0, BIRDS), ("Is it soft?", "property",
                                                                   0.5, {}))  # fmt: skip
    counts = table_contradictions(pairs, make_kb(ANIMALS + THINGS, table=table))
    # the table says no for cat, chair and sofa (chair differs: half, sofa a yes), yes for owl
    assert counts == {"Is it a bird?": [1.5, 3.0, 0.0, 1.0]}


def test_the_partner_is_learned_to_answer_like_people_or_like_a_small_llm() -> None:
    kb = make_kb(ANIMALS + THINGS, table=TABLE)
    one_bias = {"yes_bias_grid": (0.0,), "yes_bias_prior": (1.0,)}
    planner = planner_on(kb, noise_table=0.1, llm_partner_prior=0.5, **one_bias)
    index = planner.index
    furniture = index.questions.index("Is it furniture?")
    # the small LLM says "furniture" to 80 of 100 things people call no furniture
    index.panel_counts = np.zeros((len(index.questions), 4))
    index.panel_counts[furniture] = (80.0, 100.0, 0.0, 100.0)
    planner = Planner(index, planner.config)
    assert planner.partner.llm.tolist() == [False, True]

    def llm_weight(rounds: list[Round]) -> float:
        return float(planner.bias_weights(planner.posterior(rounds))[planner.partner.llm].sum())

    assert llm_weight([]) == pytest.approx(0.5)
    # a bird that is furniture: what the small LLM says, rarely what a person says
    assert llm_weight([Round("Is it a bird?", "yes"), Round("Is it furniture?", "yes")]) > 0.6
    # answers one candidate (owl) fits: a person is the likelier partner
    assert llm_weight([Round("Is it a bird?", "yes"), Round("Is it furniture?", "no")]) < 0.5
    # and under the LLM's rates a yes to "furniture" says less for a chair than a person's yes
    people_only = Planner(index, PlannerConfig(**{**planner.config.__dict__,
                                                   "llm_partner_prior": 0.0}))  # fmt: skip
    said = [Round("Is it furniture?", "yes")]
    assert dict(planner.ranked(said, 16))["chair"] < dict(people_only.ranked(said, 16))["chair"]
