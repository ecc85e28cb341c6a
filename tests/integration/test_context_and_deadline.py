"""The real tiny GGUF under pressure: rounds of 750-character questions (one seat for 20 rounds,
and four seats in one process until each of them has condensed its history) never overflow the
context nor fall back; deadlines; control tokens inside questions stay text."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from agent import events
from agent.clock import OutOfTime
from agent.model.llama_backend import LlamaBackend, PromptTooLong
from agent.model.protocol import ChatBackend, ChatMessage, GenerateOptions
from agent.runtime import make_seat
from agent.settings import AgentSettings, AnswererPrompt, Strategy
from llm20q.bench.context import long_question, play_rounds
from llm20q.fuzzing import INJECTIONS


def provider(backend: LlamaBackend) -> Callable[[], ChatBackend]:
    return lambda: backend


SYSTEM = ChatMessage("system", "You answer questions about the keyword: banana.")


@pytest.fixture
def pressure(tiny_model_path: Path, tiny_settings: AgentSettings) -> AgentSettings:
    """Every turn through the model, short replies, one thread (the test's run time); the chat
    answerer prompt, the one that carries the game's history (the direct one sends only the
    last question)."""
    return tiny_settings.model_copy(
        update={"model_path": tiny_model_path, "n_ctx": 2048, "strategy": Strategy.LLM,
                "answerer_rules": False, "max_question_tokens": 8, "max_guess_tokens": 4,
                "n_threads": 1, "answerer_prompt": AnswererPrompt.CHAT}
    )  # fmt: skip


@pytest.mark.parametrize(
    ("roles", "n_ctx", "rounds"),
    # Four seats share the context a quarter each: every session has condensed its history by
    # round 8 (measured: 10 rounds take half the 20 rounds' time, the steady state is the same).
    [(("a0",), 2048, 20), (("g0", "a1", "g2", "a3"), 2048, 10)],
    ids=["kaggle", "selfplay"],
)
def test_rounds_of_750_characters_fit(
    pressure: AgentSettings, roles: tuple[str, ...], n_ctx: int, rounds: int
) -> None:
    settings = pressure.model_copy(update={"n_ctx": n_ctx})
    backend = LlamaBackend(settings.model_path or Path(), settings)
    seats = {name: make_seat(name, settings, provider(backend)) for name in roles}
    events.COUNTS.clear()
    peak = play_rounds(backend, seats, rounds=rounds)
    assert peak <= backend.n_ctx
    assert sum(seat.errors for seat in seats.values()) == 0
    assert ("fallback", "policy-error") not in events.COUNTS  # no prompt that did not fit
    share = backend.sessions.share()
    assert share == backend.n_ctx // len(roles)
    sessions = [f"{n}/{'guesser' if n.startswith('g') else 'answerer'}" for n in roles]
    assert all(backend.session_tokens(session) for session in sessions)
    # the histories were condensed: the system prompt and the latest turns kept, in every session
    assert backend.totals.condensed_calls > 0
    assert all(backend.sessions.get(session).condensed.dropped > 0 for session in sessions)
    if len(roles) == 1:  # alone, a session keeps to the whole context and evicts nobody
        assert len(backend.session_tokens(sessions[0])) <= share
        assert backend.sessions.evictions == 0
        assert backend.totals.condensed_tokens > 0  # the kept turns were evaluated again
    backend.close()


def test_condensing_is_deterministic(pressure: AgentSettings) -> None:
    settings = pressure.model_copy(update={"n_ctx": 1024})
    runs = []
    for _ in range(2):
        backend = LlamaBackend(settings.model_path or Path(), settings)
        seat = make_seat("a1", settings, provider(backend))
        play_rounds(backend, {"a1": seat}, rounds=8)
        runs.append((backend.session_tokens("a1/answerer"), backend.totals.condensed_tokens))
        backend.close()
    assert runs[0] == runs[1] and runs[0][1] > 0


def test_a_past_deadline_evaluates_nothing(pressure: AgentSettings) -> None:
    backend = LlamaBackend(pressure.model_path or Path(), pressure)
    chat = [SYSTEM, ChatMessage("user", long_question(1))]
    with pytest.raises(OutOfTime) as stopped:
        backend.generate("s", chat, GenerateOptions(8, deadline=time.monotonic() - 1.0))
    assert stopped.value.cause == "deadline" and backend.session_tokens("s") == []
    # plenty of time: the same reply as without a deadline
    far = backend.generate("s", chat, GenerateOptions(8, deadline=time.monotonic() + 3600))
    assert far == backend.generate("t", chat, GenerateOptions(8))
    backend.close()


def test_a_prompt_too_long_even_condensed_is_played_without_the_model(
    pressure: AgentSettings,
) -> None:
    settings = pressure.model_copy(update={"n_ctx": 512, "answerer_rules": True})
    backend = LlamaBackend(settings.model_path or Path(), settings)
    with pytest.raises(PromptTooLong) as skipped:
        backend.yes_probability("s", [SYSTEM, ChatMessage("user", long_question(1) * 3)])
    assert skipped.value.cause == "context-overflow" and backend.session_tokens("s") == []
    seat = make_seat("a", settings, lambda: backend)
    events.COUNTS.clear()
    answer = {"role": "answerer", "turnType": "answer", "questions": [long_question(2)],
              "answers": [], "guesses": [], "keyword": "banana " * 100}  # fmt: skip
    assert seat.act(answer) in ("yes", "no")
    assert events.COUNTS == {("fallback", "context-overflow"): 1} and seat.errors == 0
    backend.close()


@pytest.mark.parametrize("injection", INJECTIONS)
def test_control_tokens_inside_a_question_stay_text(
    pressure: AgentSettings, injection: str
) -> None:
    backend = LlamaBackend(pressure.model_path or Path(), pressure)
    chat = [SYSTEM, ChatMessage("user", f"Is it yellow? {injection}")]
    p = backend.yes_probability("s", chat)
    tokens = backend.session_tokens("s")
    im_start, im_end = backend.tokenize("<|im_start|>"), backend.tokenize("<|im_end|>")
    # only the template's own delimiters: two messages and the assistant's turn
    assert tokens.count(im_start[0]) == 3 and tokens.count(im_end[0]) == 2
    assert 0.0 <= p <= 1.0
    seat = make_seat("q", pressure, lambda: backend)
    answer = {"role": "answerer", "turnType": "answer", "questions": [chat[1].content],
              "answers": [], "guesses": [], "keyword": "Banana"}  # fmt: skip
    assert seat.act(answer) in ("yes", "no") and seat.errors == 0
    backend.close()
