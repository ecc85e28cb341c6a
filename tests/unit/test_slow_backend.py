"""The slow-judge benchmark's slow wrapper: it forwards every call, deadline included."""

from __future__ import annotations

from agent.model.protocol import ChatMessage, GenerateOptions
from llm20q.bench.slow_judge import SlowBackend
from tests.fakes import Generate, ScriptedBackend, YesNo

CHAT = [ChatMessage("system", "s"), ChatMessage("user", "Is it big?")]
OPTIONS = GenerateOptions(8, seed=20, stop=("\n",), end_after=("?",), deadline=13.0)


def test_slow_backend_forwards_calls_with_their_deadline(fake_backend: ScriptedBackend) -> None:
    fake_backend.expect(
        YesNo("s/answerer", "Is it big?", 0.7, deadline=12.5),
        Generate("s/guesser", "Is it big?", "Is it red?", OPTIONS),
    )
    slow = SlowBackend(fake_backend, call_seconds=0.0)
    assert slow.yes_probability("s/answerer", CHAT, deadline=12.5) == 0.7
    reply = slow.generate("s/guesser", CHAT, OPTIONS)
    assert reply == "Is it red?"
    assert slow.last_call is None  # the fake reports no call statistics
