"""The one strict, scripted fake of :class:`agent.model.protocol.ChatBackend` (and of
:class:`agent.model.protocol.BranchingBackend`) for unit tests.

A test scripts the calls it expects, in order, with every keyword argument the policy must pass
(:class:`Generate`: max tokens, temperature, seed, stop and end-after strings; :class:`YesNo`;
:class:`YesNoMany`: the fills, and the slot exactly once in the last message), a substring the
last message must contain, and the reply. A call that was not scripted, comes out
of order, or differs in any argument fails at once with what it got; a scripted call that was
never made fails the test at teardown (the ``fake_backend`` fixture in ``tests/conftest.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from agent.model.protocol import SLOT, ChatMessage


@dataclass(frozen=True)
class Generate:
    """An expected ``generate`` call and its reply."""

    session: str
    contains: str
    reply: str
    max_tokens: int
    temperature: float = 0.0
    seed: int = 20
    stop: tuple[str, ...] = ("\n",)
    end_after: tuple[str, ...] = ()


@dataclass(frozen=True)
class YesNo:
    """An expected ``yes_probability`` call and the probability it returns."""

    session: str
    contains: str
    reply: float


@dataclass(frozen=True)
class YesNoMany:
    """An expected ``yes_probabilities`` call: the fills it must get, the probabilities it
    returns (one per fill)."""

    session: str
    contains: str
    fills: tuple[str, ...]
    replies: tuple[float, ...]


Expected = Generate | YesNo | YesNoMany


@dataclass(frozen=True)
class Call:
    """A call the fake received."""

    method: str
    session: str
    messages: tuple[ChatMessage, ...]


@dataclass
class ScriptedBackend:
    """Answers scripted calls in order; anything else is an AssertionError."""

    script: list[Expected] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)

    def expect(self, *expected: Expected) -> ScriptedBackend:
        self.script.extend(expected)
        return self

    def _next(self, got: Expected, messages: Sequence[ChatMessage]) -> Expected:
        prompt = "\n".join(f"[{m.role}] {m.content}" for m in messages)
        if not self.script:
            raise AssertionError(f"unexpected call {got}:\n{prompt}")
        expected = self.script.pop(0)
        last = messages[-1].content if messages else ""
        same_args = type(expected) is type(got) and expected.session == got.session
        if isinstance(expected, YesNoMany) and isinstance(got, YesNoMany):
            same_args = same_args and expected.fills == got.fills and last.count(SLOT) == 1
        if isinstance(expected, Generate) and isinstance(got, Generate):
            same_args = same_args and (
                (expected.max_tokens, expected.temperature, expected.seed)
                == (got.max_tokens, got.temperature, got.seed)
                and (expected.stop, expected.end_after) == (got.stop, got.end_after)
            )
        if not same_args or expected.contains not in last:
            raise AssertionError(f"expected {expected}\ngot {got}\nlast message: {last!r}")
        return expected

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
        self.calls.append(Call("generate", session, tuple(messages)))
        got = Generate(
            session, "", "", max_tokens, temperature, seed, tuple(stop), tuple(end_after)
        )
        expected = self._next(got, messages)
        assert isinstance(expected, Generate)
        return expected.reply

    def yes_probability(self, session: str, messages: Sequence[ChatMessage]) -> float:
        self.calls.append(Call("yes_probability", session, tuple(messages)))
        expected = self._next(YesNo(session, "", 0.0), messages)
        assert isinstance(expected, YesNo)
        return expected.reply

    def yes_probabilities(
        self, session: str, messages: Sequence[ChatMessage], fills: Sequence[str]
    ) -> list[float]:
        self.calls.append(Call("yes_probabilities", session, tuple(messages)))
        expected = self._next(YesNoMany(session, "", tuple(fills), ()), messages)
        assert isinstance(expected, YesNoMany) and len(expected.replies) == len(fills)
        return list(expected.replies)
