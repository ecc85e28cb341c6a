"""A seat end to end on a scripted backend: right prompts, legal actions, resync, fallbacks."""

from __future__ import annotations

import pytest

from agent.game import Role
from agent.output_rules import FALLBACK_GUESSES, FALLBACK_QUESTIONS
from agent.policies import LlmAnswerer, LlmGuesser
from agent.prompts import load_prompts
from agent.seat import Policies, Seat
from agent.settings import AgentSettings
from tests.fakes import Expect, ScriptedBackend

SETTINGS = AgentSettings(yes_threshold=0.5)


def seat_on(backend: ScriptedBackend, name: str = "s") -> Seat:
    def make() -> Policies:
        prompts = load_prompts()
        return Policies(
            LlmGuesser(backend, prompts, SETTINGS, session=f"{name}/guesser"),
            LlmAnswerer(backend, prompts, SETTINGS, session=f"{name}/answerer"),
        )

    return Seat(make)


def obs(turn: str, q=(), a=(), g=(), role: str = "guesser", keyword: str = "") -> dict:
    return {"role": role, "turnType": turn, "questions": list(q), "answers": list(a),
            "guesses": list(g), "keyword": keyword, "category": "things"}  # fmt: skip


def test_guesser_asks_and_guesses_in_one_session() -> None:
    backend = ScriptedBackend([
        Expect("generate", "s/guesser", "Round 1 of 20", "Sure! Is it alive?"),
        Expect("generate", "s/guesser", "The answer is: no.", "My guess: a rock."),
        Expect("generate", "s/guesser", "Round 2 of 20", "Is it made of metal?"),
    ])  # fmt: skip
    seat = seat_on(backend)
    assert seat.act(obs("ask")) == "Is it alive?"
    assert seat.act(obs("guess", ["Is it alive?"], ["no"])) == "rock"
    assert seat.act(obs("ask", ["Is it alive?"], ["no"], ["rock"])) == "Is it made of metal?"
    backend.assert_done()
    # the model's own words are replayed in the chat, so its KV cache stays valid
    third = backend.calls[2].messages
    assert third[2].content == "Sure! Is it alive?" and third[4].content == "My guess: a rock."
    assert seat.states[Role.GUESSER].resyncs == 0


def test_answerer_says_yes_or_no_from_probability() -> None:
    backend = ScriptedBackend([
        Expect("yes_probability", "s/answerer", "Is it an animal?", 0.81),
        Expect("yes_probability", "s/answerer", "Is it blue?", 0.12),
    ])  # fmt: skip
    seat = seat_on(backend)
    first = obs("answer", ["Is it an animal?"], role="answerer", keyword="Cat")
    assert seat.act(first) == "yes"
    second = obs("answer", ["Is it an animal?", "Is it blue?"], ["yes"], ["dog"], "answerer", "Cat")
    assert seat.act(second) == "no"
    backend.assert_done()
    assert backend.calls[1].messages[2].content == "yes"


def test_unusable_model_output_becomes_a_fallback() -> None:
    backend = ScriptedBackend([
        Expect("generate", "s/guesser", "Round 1", "What is it?"),
        Expect("generate", "s/guesser", "The answer is", "yes"),
    ])  # fmt: skip
    seat = seat_on(backend)
    assert seat.act(obs("ask")) == FALLBACK_QUESTIONS[0]
    assert seat.act(obs("guess", [FALLBACK_QUESTIONS[0]], ["no"])) == FALLBACK_GUESSES[0]
    # the chat keeps the model's own words, and says which question was really asked
    chat = backend.calls[1].messages
    assert chat[2].content == "What is it?"
    assert chat[3].content.startswith(f"Question asked: {FALLBACK_QUESTIONS[0]}")


def test_repeated_guess_is_replaced() -> None:
    backend = ScriptedBackend(
        [Expect("generate", "s/guesser", "Wrong guesses so far: chair", "chair")]
    )
    seat = seat_on(backend)
    state_obs = obs("guess", ["q1?", "q2?"], ["no", "no"], ["chair"])
    action = seat.act(state_obs)
    assert action != "chair" and action in FALLBACK_GUESSES


class ExplodingBackend(ScriptedBackend):
    def generate(self, *args: object, **kwargs: object) -> str:
        raise RuntimeError("GPU on fire")

    def yes_probability(self, *args: object, **kwargs: object) -> float:
        raise RuntimeError("GPU on fire")


@pytest.mark.parametrize(
    ("observation", "legal"),
    [
        (obs("ask"), FALLBACK_QUESTIONS),
        (obs("guess", ["q?"], ["no"]), FALLBACK_GUESSES),
        (obs("answer", ["q?"], role="answerer", keyword="Cat"), ("no",)),
    ],
)
def test_backend_errors_never_escape(observation: dict, legal: tuple[str, ...]) -> None:
    seat = seat_on(ExplodingBackend([]))
    assert seat.act(observation) in legal
    assert seat.errors == 1


def test_model_that_fails_to_load_still_gives_legal_actions() -> None:
    def broken() -> Policies:
        raise FileNotFoundError("no *.gguf found")

    seat = Seat(broken)
    assert seat.act(obs("ask")) in FALLBACK_QUESTIONS
    assert seat.act(obs("answer", ["q?"], role="answerer", keyword="Cat")) == "no"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"turnType": "ask"}, FALLBACK_QUESTIONS[0]),
        ({"turnType": "answer", "role": "answerer"}, "no"),  # no question, no keyword
        ({"turnType": "guess", "questions": "not a list"}, FALLBACK_GUESSES[0]),
        (None, "yes"),
        ({"turnType": 42}, "yes"),
    ],
)
def test_invalid_observation_gets_a_safe_legal_action(raw: object, expected: str) -> None:
    seat = seat_on(ScriptedBackend([]))  # any model call would fail the test
    assert seat.act(raw) == expected


def test_resync_after_missed_turns_uses_observation() -> None:
    backend = ScriptedBackend([
        Expect("generate", "s/guesser", "Round 1 of 20", "Is it alive?"),
        Expect("generate", "s/guesser", "Round 3 of 20", "Is it red?"),
    ])  # fmt: skip
    seat = seat_on(backend)
    seat.act(obs("ask"))
    seat.act(obs("ask", ["Is it alive?", "Is it big?"], ["no", "yes"], ["rock", "car"]))
    assert seat.states[Role.GUESSER].resyncs == 1
    chat = backend.calls[1].messages
    assert [m.content for m in chat if m.role == "assistant"] == [
        "Is it alive?", "rock", "Is it big?", "car"
    ]  # fmt: skip
