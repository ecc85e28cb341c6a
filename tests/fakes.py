"""The one strict, scripted fake of :class:`agent.model.protocol.ChatBackend` (and of
:class:`agent.model.protocol.BranchingBackend`) for unit tests.

A test scripts the calls it expects, in order, with every argument the policy must pass
(:class:`Generate`: the whole :class:`GenerateOptions` record, :func:`one_line` for the guessers'
usual one; :class:`YesNo`;
:class:`YesNoMany`: the fills, and the slot exactly once in the last message), a substring the
last message must contain, and the reply. The deadline is the seat's clock's, not the policy's: a
script that names one (tests on a fake clock) gets it checked, a script that leaves it None
accepts any. On a :class:`FakeTime` (``ScriptedBackend(time=...)``) a scripted call also takes
its ``seconds``: the fake clock moves on by that much while the call runs. A scripted ``error``
is raised instead of replying (e.g. a deadline that stopped the call). A call that was not
scripted, comes out of order, or differs in any argument fails at once with what it got; a
scripted call that was never made fails the test at teardown (the ``fake_backend`` fixture in
``tests/conftest.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from agent.model.protocol import SLOT, ChatMessage, GenerateOptions


@dataclass(frozen=True)
class Generate:
    """An expected ``generate`` call, with the options it must get, and its reply."""

    session: str
    contains: str
    reply: str
    options: GenerateOptions
    seconds: float = 0.0
    error: Exception | None = None

    @property
    def deadline(self) -> float | None:
        return self.options.deadline


def one_line(
    max_tokens: int,
    *,
    end_after: tuple[str, ...] = (),
    deadline: float | None = None,
    temperature: float = 0.0,
    seed: int = 20,
) -> GenerateOptions:
    """The options the guessers pass on the default settings: one line of at most
    ``max_tokens`` tokens, greedy, seed 20."""
    return GenerateOptions(max_tokens, temperature, seed, ("\n",), end_after, deadline)


@dataclass(frozen=True)
class YesNo:
    """An expected ``yes_probability`` call and the probability it returns."""

    session: str
    contains: str
    reply: float
    deadline: float | None = None
    seconds: float = 0.0
    error: Exception | None = None


@dataclass(frozen=True)
class YesNoMany:
    """An expected ``yes_probabilities`` call: the fills it must get, the probabilities it
    returns (one per fill)."""

    session: str
    contains: str
    fills: tuple[str, ...]
    replies: tuple[float, ...]
    deadline: float | None = None
    seconds: float = 0.0
    error: Exception | None = None


Expected = Generate | YesNo | YesNoMany


@dataclass
class FakeTime:
    """A time source for the move clock that moves only when told to."""

    now: float = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


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
    time: FakeTime | None = None

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
        if expected.deadline is not None:
            same_args = same_args and expected.deadline == got.deadline
        if isinstance(expected, Generate) and isinstance(got, Generate):
            same_args = same_args and expected.options.until(None) == got.options.until(None)
        if not same_args or expected.contains not in last:
            raise AssertionError(f"expected {expected}\ngot {got}\nlast message: {last!r}")
        if self.time is not None:
            self.time.advance(expected.seconds)
        if expected.error is not None:
            raise expected.error
        return expected

    def generate(
        self, session: str, messages: Sequence[ChatMessage], options: GenerateOptions
    ) -> str:
        self.calls.append(Call("generate", session, tuple(messages)))
        expected = self._next(Generate(session, "", "", options), messages)
        assert isinstance(expected, Generate)
        return expected.reply

    def yes_probability(
        self, session: str, messages: Sequence[ChatMessage], *, deadline: float | None = None
    ) -> float:
        self.calls.append(Call("yes_probability", session, tuple(messages)))
        expected = self._next(YesNo(session, "", 0.0, deadline), messages)
        assert isinstance(expected, YesNo)
        return expected.reply

    def yes_probabilities(
        self, session: str, messages: Sequence[ChatMessage], fills: Sequence[str]
    ) -> list[float]:
        self.calls.append(Call("yes_probabilities", session, tuple(messages)))
        expected = self._next(YesNoMany(session, "", tuple(fills), ()), messages)
        assert isinstance(expected, YesNoMany) and len(expected.replies) == len(fills)
        return list(expected.replies)
