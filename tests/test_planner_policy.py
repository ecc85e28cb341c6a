"""Planner guesser and rule-first answerer in seats, on a synthetic knowledge folder and the
strict scripted backend (any model call that is not scripted fails the test)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from agent.game import Role
from agent.planner_policy import (
    Lazy,
    PlannerGuesser,
    RuleFirstAnswerer,
    SharedKnowledge,
    planner_config,
    shared_knowledge,
)
from agent.policies import LlmAnswerer, LlmGuesser
from agent.prompts import load_prompts
from agent.rules import ALPHA_TEMPLATE, HANDSHAKE_QUESTION, rule_answer
from agent.runtime import make_seat
from agent.seat import Policies, Seat
from agent.settings import AgentSettings, Strategy
from bench.planner import local_guessed, play
from tests.fakes import Expect, ScriptedBackend
from tests.test_planner import ANIMALS, TABLE, THINGS, make_kb, save_kb


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    return save_kb(make_kb(ANIMALS + THINGS, table=TABLE), tmp_path / "knowledge")


def settings_for(kb_dir: Path, **overrides: object) -> AgentSettings:
    return AgentSettings(knowledge_dir=kb_dir, planner_uniform_mix=0.0, **overrides)  # type: ignore[arg-type]


def seat_on(backend: ScriptedBackend, settings: AgentSettings, name: str = "s") -> Seat:
    knowledge = shared_knowledge(settings)
    prompts = load_prompts()

    def make() -> Policies:
        llm_guesser = Lazy(lambda: LlmGuesser(backend, prompts, settings, f"{name}/guesser"))
        llm_answerer = Lazy(lambda: LlmAnswerer(backend, prompts, settings, f"{name}/answerer"))
        return Policies(
            PlannerGuesser(
                knowledge,
                planner_config(settings),
                llm_guesser,
                settings.planner_fallback_threshold,
            ),
            RuleFirstAnswerer(knowledge, llm_answerer, settings.table_answer_margin),
        )

    return Seat(make)


def answer_obs(questions: list[str], keyword: str) -> dict[str, object]:
    n = len(questions)
    return {"role": "answerer", "turnType": "answer", "questions": questions,
            "answers": ["no"] * (n - 1), "guesses": ["x"] * (n - 1),
            "keyword": keyword}  # fmt: skip


# --------------------------------------------------------------------------- answerer


def test_answerer_order_rules_then_table_then_llm(kb_dir: Path) -> None:
    backend = ScriptedBackend([
        Expect("yes_probability", "s/answerer", "Is it soft?", 0.9),
        Expect("yes_probability", "s/answerer", "Is it an animal?", 0.2),
        Expect("yes_probability", "s/answerer", "Is it blue?", 0.7),
    ])  # fmt: skip
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
    backend.assert_done()
    answerer = seat.policies.answerer
    assert isinstance(answerer, RuleFirstAnswerer)
    assert answerer.decided_by == {"rules": 4, "table": 2, "llm": 3}


def test_answerer_without_knowledge_uses_rules_then_llm() -> None:
    backend = ScriptedBackend([Expect("yes_probability", "s/answerer", "Is it an animal?", 0.8)])
    settings = AgentSettings()
    llm = Lazy(lambda: LlmAnswerer(backend, load_prompts(), settings, "s/answerer"))
    seat = Seat(lambda: Policies(LlmGuesser(backend, load_prompts(), settings, "s/guesser"),
                                 RuleFirstAnswerer(SharedKnowledge(None, 0.0), llm)))  # fmt: skip
    assert seat.act(answer_obs(["Does the keyword have exactly 2 words?"], "Cat")) == "no"
    assert seat.act(answer_obs(["x?", "Is it an animal?"], "Cat")) == "yes"
    backend.assert_done()


# --------------------------------------------------------------------------- guesser


def test_planner_guesser_plays_alpha_without_the_model(kb_dir: Path) -> None:
    settings = settings_for(kb_dir)
    for keyword in ANIMALS + THINGS:
        guesser = seat_on(ScriptedBackend([]), settings, "g")
        answerer = seat_on(ScriptedBackend([]), settings, "a")
        game = play(guesser, answerer, keyword, local_guessed(keyword))
        assert game.solved and game.rounds <= 6, (keyword, game)
        assert game.questions[0] == HANDSHAKE_QUESTION
        assert all(q.startswith("Does the keyword (in lowercase)") for q in game.questions[1:])
        assert guesser.errors == answerer.errors == 0
        assert guesser.states[Role.GUESSER].resyncs == 0


def test_planner_guesser_bayes_mode_against_the_table(kb_dir: Path) -> None:
    settings = settings_for(kb_dir, planner_handshake=False, planner_noise_lexical=0.45)
    for keyword in ANIMALS + THINGS:
        guesser = seat_on(ScriptedBackend([]), settings, "g")
        # the answerer needs the LLM for "Is it soft?" only, which the planner never asks
        answerer = seat_on(ScriptedBackend([]), settings, "a")
        game = play(guesser, answerer, keyword, local_guessed(keyword))
        assert game.solved, (keyword, game)
        assert HANDSHAKE_QUESTION not in game.questions
        assert "Is it soft?" not in game.questions
        assert guesser.errors == answerer.errors == 0


def test_outside_the_lexicon_hands_over_to_the_llm(kb_dir: Path) -> None:
    settings = settings_for(kb_dir, planner_outside_prior=0.3, planner_fallback_threshold=0.6)
    script = [Expect("generate", "g/guesser", "", "Is it a farm animal?"),
              Expect("generate", "g/guesser", "", "My guess: bull")] * 20  # fmt: skip
    backend = ScriptedBackend(script)
    guesser = seat_on(backend, settings, "g")
    llm_answers = [Expect("yes_probability", "a/answerer", "", 0.1)] * 20
    answerer = seat_on(ScriptedBackend(llm_answers), settings, "a")
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


def test_no_candidate_left_hands_over_too(kb_dir: Path) -> None:
    settings = settings_for(kb_dir, planner_outside_prior=0.0)
    backend = ScriptedBackend([Expect("generate", "g/guesser", "", "Is it a fish?")])
    guesser = seat_on(backend, settings, "g")
    wrong = ANIMALS + THINGS
    obs = {"role": "guesser", "turnType": "ask", "questions": ["q?"] * 16,
           "answers": ["no"] * 16, "guesses": wrong}  # fmt: skip
    assert guesser.act(obs) == "Is it a fish?"
    backend.assert_done()


# --------------------------------------------------------------------------- wiring


def test_make_seat_builds_the_strategy(kb_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    def backend() -> ScriptedBackend:
        return ScriptedBackend([])

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
    assert first.index() is second.index() is not None
    assert AgentSettings().strategy is Strategy.PLANNER
