"""A seat end to end on a scripted backend: right prompts, legal actions, resync, fallbacks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from agent.game import Role
from agent.legal import FALLBACK_GUESSES, FALLBACK_QUESTIONS
from agent.policies.llm import LlmAnswerer, LlmGuesser
from agent.policies.prompts import load_prompts
from agent.seat import Policies, Seat
from agent.settings import AgentSettings, AnswererPrompt
from tests.fakes import Generate, ScriptedBackend, YesNo, one_line

SETTINGS = AgentSettings(yes_threshold=0.5)
Observation = dict[str, Any]


def ask(contains: str, reply: str) -> Generate:
    """The guesser's ask call with the settings' arguments: one line, ends after "?"."""
    return Generate(
        "s/guesser", contains, reply, one_line(SETTINGS.max_question_tokens, end_after=("?",))
    )


def guess(contains: str, reply: str) -> Generate:
    return Generate("s/guesser", contains, reply, one_line(SETTINGS.max_guess_tokens))


def seat_on(backend: ScriptedBackend, name: str = "s", settings: AgentSettings = SETTINGS) -> Seat:
    def make() -> Policies:
        prompts = load_prompts()
        return Policies(
            LlmGuesser(backend, prompts, settings, session=f"{name}/guesser"),
            LlmAnswerer(backend, prompts, settings, session=f"{name}/answerer"),
        )

    return Seat(make)


def obs(
    turn: str,
    q: Sequence[str] = (),
    a: Sequence[str] = (),
    g: Sequence[str] = (),
    role: str = "guesser",
    keyword: str = "",
) -> Observation:
    return {"role": role, "turnType": turn, "questions": list(q), "answers": list(a),
            "guesses": list(g), "keyword": keyword, "category": "things"}  # fmt: skip


def test_guesser_asks_and_guesses_in_one_session(fake_backend: ScriptedBackend) -> None:
    backend = fake_backend.expect(
        ask("Round 1 of 20", "Sure! Is it alive?"),
        guess("The answer is: no.", "My guess: a rock."),
        ask("Round 2 of 20", "Is it made of metal?"),
    )
    seat = seat_on(backend)
    assert seat.act(obs("ask")) == "Is it alive?"
    assert seat.act(obs("guess", ["Is it alive?"], ["no"])) == "rock"
    assert seat.act(obs("ask", ["Is it alive?"], ["no"], ["rock"])) == "Is it made of metal?"
    # the model's own words are replayed in the chat, so its KV cache stays valid
    third = backend.calls[2].messages
    assert third[2].content == "Sure! Is it alive?" and third[4].content == "My guess: a rock."
    assert seat.states[Role.GUESSER].resyncs == 0


def test_answerer_says_yes_or_no_from_probability(fake_backend: ScriptedBackend) -> None:
    backend = fake_backend.expect(
        YesNo("s/answerer", "Is a cat an animal?", 0.81),
        YesNo("s/answerer", "Is a cat blue?", 0.12),
    )
    seat = seat_on(backend)
    first = obs("answer", ["Is it an animal?"], role="answerer", keyword="Cat")
    assert seat.act(first) == "yes"
    second = obs("answer", ["Is it an animal?", "Is it blue?"], ["yes"], ["dog"], "answerer", "Cat")
    assert seat.act(second) == "no"
    # direct prompt: the same few-shot opening every time, then only the last question
    first_chat, second_chat = backend.calls[0].messages, backend.calls[1].messages
    assert first_chat[:-1] == second_chat[:-1] and "Cat" not in str(first_chat[:-1])
    assert second_chat[-1].content == "Is a cat blue?"


def test_answerer_threshold_is_the_setting(fake_backend: ScriptedBackend) -> None:
    backend = fake_backend.expect(*[YesNo("s/answerer", "Is a cat blue?", 0.3)] * 2)
    question = obs("answer", ["Is it blue?"], role="answerer", keyword="Cat")
    assert seat_on(backend).act(question) == "no"
    assert seat_on(backend, settings=AgentSettings(yes_threshold=0.25)).act(question) == "yes"


def test_chat_answerer_prompt_keeps_keyword_and_history(fake_backend: ScriptedBackend) -> None:
    backend = fake_backend.expect(YesNo("s/answerer", "Is it blue?", 0.12))
    settings = AgentSettings(answerer_prompt=AnswererPrompt.CHAT)
    second = obs("answer", ["Is it an animal?", "Is it blue?"], ["yes"], ["dog"], "answerer", "Cat")
    assert seat_on(backend, settings=settings).act(second) == "no"
    chat = backend.calls[0].messages
    assert '"Cat"' in chat[0].content and chat[2].content == "yes" and len(chat) == 4


def test_unusable_model_output_becomes_a_fallback(fake_backend: ScriptedBackend) -> None:
    backend = fake_backend.expect(ask("Round 1", "What is it?"), guess("The answer is", "yes"))
    seat = seat_on(backend)
    assert seat.act(obs("ask")) == FALLBACK_QUESTIONS[0]
    assert seat.act(obs("guess", [FALLBACK_QUESTIONS[0]], ["no"])) == FALLBACK_GUESSES[0]
    # the chat keeps the model's own words, and says which question was really asked
    chat = backend.calls[1].messages
    assert chat[2].content == "What is it?"
    assert chat[3].content.startswith(f"Question asked: {FALLBACK_QUESTIONS[0]}")


def test_repeated_guess_is_replaced(fake_backend: ScriptedBackend) -> None:
    seat = seat_on(fake_backend.expect(guess("Wrong guesses so far: chair", "chair")))
    state_obs = obs("guess", ["q1?", "q2?"], ["no", "no"], ["chair"])
    action = seat.act(state_obs)
    assert action != "chair" and action in FALLBACK_GUESSES


class ExplodingBackend(ScriptedBackend):
    def generate(self, *args: Any, **kwargs: Any) -> str:
        raise RuntimeError("GPU on fire")

    def yes_probability(self, *args: Any, **kwargs: Any) -> float:
        raise RuntimeError("GPU on fire")


@pytest.mark.parametrize(
    ("observation", "legal"),
    [
        (obs("ask"), FALLBACK_QUESTIONS),
        (obs("guess", ["q?"], ["no"]), FALLBACK_GUESSES),
        (obs("answer", ["q?"], role="answerer", keyword="Cat"), ("no",)),
    ],
)
def test_backend_errors_never_escape(observation: Observation, legal: tuple[str, ...]) -> None:
    seat = seat_on(ExplodingBackend())
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
def test_invalid_observation_gets_a_safe_legal_action(
    raw: object, expected: str, fake_backend: ScriptedBackend
) -> None:
    seat = seat_on(fake_backend)  # nothing scripted: any model call fails the test
    assert seat.act(raw) == expected


def test_resync_after_missed_turns_uses_observation(fake_backend: ScriptedBackend) -> None:
    backend = fake_backend.expect(
        ask("Round 1 of 20", "Is it alive?"), ask("Round 3 of 20", "Is it red?")
    )
    seat = seat_on(backend)
    seat.act(obs("ask"))
    seat.act(obs("ask", ["Is it alive?", "Is it big?"], ["no", "yes"], ["rock", "car"]))
    assert seat.states[Role.GUESSER].resyncs == 1
    chat = backend.calls[1].messages
    assert [m.content for m in chat if m.role == "assistant"] == [
        "Is it alive?", "rock", "Is it big?", "car"
    ]  # fmt: skip
