"""Planner guesser and rule-first answerer in seats, on a synthetic knowledge folder and the
strict scripted backend (any model call that is not scripted fails the test)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from agent.game import Role
from agent.kinds import rule_answer
from agent.planner.knowledge import SharedKnowledge, shared_knowledge
from agent.policies.answerer import RuleFirstAnswerer
from agent.policies.llm import LlmAnswerer, LlmGuesser
from agent.policies.planner import PlannerGuesser
from agent.policies.prompts import load_prompts
from agent.rules import ALPHA_TEMPLATE, HANDSHAKE_QUESTION
from agent.runtime import make_seat
from agent.seat import Policies, Seat
from agent.settings import AgentSettings, Strategy
from llm20q.eval.simulated import local_guessed, play
from tests.fakes import Generate, ScriptedBackend, YesNo, one_line
from tests.unit.test_planner import ANIMALS, TABLE, THINGS, make_kb, save_kb

DEFAULTS = AgentSettings()


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    return save_kb(make_kb(ANIMALS + THINGS, table=TABLE), tmp_path / "knowledge")


def settings_for(kb_dir: Path, **overrides: Any) -> AgentSettings:
    return AgentSettings(knowledge_dir=kb_dir, planner_uniform_mix=0.0, **overrides)


def seat_on(backend: ScriptedBackend, settings: AgentSettings, name: str = "s") -> Seat:
    """The agent's own seat (planner guesser, rule-first answerer) on a scripted backend."""
    return make_seat(name, settings, lambda: backend)


def llm_ask(session: str, reply: str) -> Generate:
    return Generate(session, "", reply, one_line(DEFAULTS.max_question_tokens, end_after=("?",)))


def llm_guess(session: str, reply: str) -> Generate:
    return Generate(session, "", reply, one_line(DEFAULTS.max_guess_tokens))


def answer_obs(questions: list[str], keyword: str) -> dict[str, Any]:
    n = len(questions)
    return {"role": "answerer", "turnType": "answer", "questions": questions,
            "answers": ["no"] * (n - 1), "guesses": ["x"] * (n - 1),
            "keyword": keyword}  # fmt: skip


# --------------------------------------------------------------------------- answerer


def test_answerer_order_rules_then_table_then_llm(
    kb_dir: Path, fake_backend: ScriptedBackend
) -> None:
    backend = fake_backend.expect(
        YesNo("s/answerer", "Is a cat soft?", 0.9),
        YesNo("s/answerer", "Is a zebra an animal?", 0.2),
        YesNo("s/answerer", "Is a cat blue?", 0.7),
    )
    seat = seat_on(backend, settings_for(kb_dir))
    questions: list[str] = []
    expected = [
        (HANDSHAKE_QUESTION, "Cat", "yes"),  # rules: the handshake
        ('Does the keyword start with the letter "c"?', "Cat", "yes"),  # rules: letters
        (ALPHA_TEMPLATE.format(word="cow"), "Cat", "yes"),  # rules: alphabetical
        ("Is it one of: dog, cat, owl?", "Cat", "yes"),  # rules: one of
        ("Is it an animal?", "Cat", "yes"),  # table, keyword in the lexicon
        ("Is it furniture?", "Cat", "no"),  # table: WordNet says no
        ("Is it soft?", "Cat", "yes"),  # LLM: the table has only 0.5
        ("Is it an animal?", "Zebra", "no"),  # LLM: keyword not in the lexicon
        ("Is it blue?", "Cat", "yes"),  # LLM: not a bank question
    ]
    for question, keyword, answer in expected:
        questions.append(question)
        assert seat.act(answer_obs(list(questions), keyword)) == answer, question
    answerer = seat.policies.answerer
    assert isinstance(answerer, RuleFirstAnswerer)
    assert answerer.decided_by == {"rules": 4, "table": 2, "llm": 3}


def test_answerer_without_knowledge_uses_rules_then_llm(fake_backend: ScriptedBackend) -> None:
    backend = fake_backend.expect(YesNo("s/answerer", "Is a cat an animal?", 0.8))
    llm = LlmAnswerer(backend, load_prompts(), DEFAULTS, "s/answerer")
    seat = Seat(
        lambda: Policies(
            LlmGuesser(backend, load_prompts(), DEFAULTS, "s/guesser"),
            RuleFirstAnswerer(SharedKnowledge(None, 0.0), lambda: llm),
        )
    )
    assert seat.act(answer_obs(["Does the keyword have exactly 2 words?"], "Cat")) == "no"
    assert seat.act(answer_obs(["x?", "Is it an animal?"], "Cat")) == "yes"


# --------------------------------------------------------------------------- guesser


def test_planner_guesser_plays_alpha_without_the_model(
    kb_dir: Path, fake_backend: ScriptedBackend
) -> None:
    settings = settings_for(kb_dir)
    for keyword in ANIMALS + THINGS:
        guesser = seat_on(fake_backend, settings, "g")  # nothing scripted: no model call
        answerer = seat_on(fake_backend, settings, "a")
        game = play(guesser, answerer, keyword, local_guessed(keyword))
        assert game.solved and game.rounds <= 6, (keyword, game)
        assert game.questions[0] == HANDSHAKE_QUESTION
        assert all(q.startswith("Does the keyword (in lowercase)") for q in game.questions[1:])
        assert guesser.errors == answerer.errors == 0
        assert guesser.states[Role.GUESSER].resyncs == 0


def test_planner_guesser_bayes_mode_against_the_table(
    kb_dir: Path, fake_backend: ScriptedBackend
) -> None:
    settings = settings_for(kb_dir, planner_handshake=False, planner_noise_lexical=0.45)
    for keyword in ANIMALS + THINGS:
        guesser = seat_on(fake_backend, settings, "g")
        # the answerer needs the LLM for "Is it soft?" only, which the planner never asks
        answerer = seat_on(fake_backend, settings, "a")
        game = play(guesser, answerer, keyword, local_guessed(keyword))
        assert game.solved, (keyword, game)
        assert HANDSHAKE_QUESTION not in game.questions
        assert "Is it soft?" not in game.questions
        assert guesser.errors == answerer.errors == 0


def test_outside_the_lexicon_hands_over_to_the_llm(kb_dir: Path) -> None:
    settings = settings_for(
        kb_dir, planner_outside_prior=0.3, planner_fallback_threshold=0.6, planner_coined=False
    )
    # How many rounds the LLM plays depends on the planner: scripts long enough for all 20.
    script = [
        llm_ask("g/guesser", "Is it a farm animal?"),
        llm_guess("g/guesser", "My guess: bull"),
    ]
    backend = ScriptedBackend().expect(*script * 20)
    guesser = seat_on(backend, settings, "g")
    llm_answers = ScriptedBackend().expect(*[YesNo("a/answerer", "", 0.1)] * 20)
    answerer = seat_on(llm_answers, settings, "a")
    keyword = "Cod"  # not a candidate: sorts between "chair" and "cow"
    game = play(guesser, answerer, keyword, local_guessed(keyword))
    policy = guesser.policies.guesser
    assert isinstance(policy, PlannerGuesser) and policy.handed_over > 0
    first_llm = game.guesses.index("bull")
    planner_guesses = game.guesses[:first_llm]
    assert len(set(planner_guesses)) == len(planner_guesses)
    assert "cow" in planner_guesses  # the candidates left by the answers were tried first
    assert all(rule_answer(q, keyword) is not None for q in game.questions[:first_llm])
    assert backend.calls and guesser.errors == answerer.errors == 0


def test_no_candidate_left_hands_over_too(kb_dir: Path, fake_backend: ScriptedBackend) -> None:
    settings = settings_for(kb_dir, planner_outside_prior=0.0)
    guesser = seat_on(fake_backend.expect(llm_ask("g/guesser", "Is it a fish?")), settings, "g")
    wrong = ANIMALS + THINGS
    obs = {"role": "guesser", "turnType": "ask", "questions": ["q?"] * 16,
           "answers": ["no"] * 16, "guesses": wrong}  # fmt: skip
    assert guesser.act(obs) == "Is it a fish?"


# --------------------------------------------------------------------------- wiring


def test_make_seat_builds_the_strategy(
    kb_dir: Path, caplog: pytest.LogCaptureFixture, fake_backend: ScriptedBackend
) -> None:
    def backend() -> ScriptedBackend:
        return fake_backend

    seat = make_seat("p", settings_for(kb_dir), backend)
    assert isinstance(seat.policies.guesser, PlannerGuesser)
    assert isinstance(seat.policies.answerer, RuleFirstAnswerer)
    seat = make_seat("p", settings_for(kb_dir, strategy=Strategy.LLM), backend)
    assert isinstance(seat.policies.guesser, LlmGuesser)
    assert isinstance(seat.policies.answerer, RuleFirstAnswerer)
    seat = make_seat("p", settings_for(kb_dir, answerer_rules=False), backend)
    assert isinstance(seat.policies.answerer, LlmAnswerer)
    with caplog.at_level(logging.WARNING):
        seat = make_seat("p", settings_for(kb_dir / "missing"), backend)
        assert isinstance(seat.policies.guesser, LlmGuesser)
    assert "playing 'llm'" in caplog.text


def test_knowledge_is_loaded_once_per_process(kb_dir: Path) -> None:
    settings = settings_for(kb_dir)
    first, second = shared_knowledge(settings), shared_knowledge(settings)
    assert first is second
    assert first.index is second.index is not None
    assert AgentSettings().strategy is Strategy.PLANNER
