"""A scripted, strict fake of :class:`agent.llm.ChatBackend` for unit tests of logic.

Each expected call names the method, the session and a substring the last message must contain;
the fake answers with the scripted value and records the call. Any call that was not scripted, or
arrives out of order, fails the test at once with the prompt it got.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from agent.llm import ChatMessage


@dataclass(frozen=True)
class Expect:
    method: str  # "generate" or "yes_probability"
    session: str
    last_message_contains: str
    reply: str | float


@dataclass
class RecordedCall:
    method: str
    session: str
    messages: tuple[ChatMessage, ...]
    options: dict[str, object] = field(default_factory=dict)


class ScriptedBackend:
    def __init__(self, script: Sequence[Expect]) -> None:
        self.script = list(script)
        self.calls: list[RecordedCall] = []

    def _next(self, method: str, session: str, messages: Sequence[ChatMessage]) -> str | float:
        prompt = "\n".join(f"[{m.role}] {m.content}" for m in messages)
        if not self.script:
            raise AssertionError(f"unexpected {method} call on {session!r}:\n{prompt}")
        expected = self.script.pop(0)
        last = messages[-1].content if messages else ""
        if (
            expected.method != method
            or expected.session != session
            or expected.last_message_contains not in last
        ):
            raise AssertionError(f"expected {expected}, got {method} on {session!r}:\n{prompt}")
        return expected.reply

    def generate(
        self,
        session: str,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        temperature: float = 0.0,
        seed: int = 0,
        stop: Sequence[str] = (),
        end_after: Sequence[str] = (),
    ) -> str:
        self.calls.append(
            RecordedCall("generate", session, tuple(messages), {"max_tokens": max_tokens})
        )
        reply = self._next("generate", session, messages)
        assert isinstance(reply, str)
        return reply

    def yes_probability(self, session: str, messages: Sequence[ChatMessage]) -> float:
        self.calls.append(RecordedCall("yes_probability", session, tuple(messages)))
        reply = self._next("yes_probability", session, messages)
        assert isinstance(reply, float)
        return reply

    def assert_done(self) -> None:
        assert not self.script, f"scripted calls never made: {self.script}"
