"""A chat backend that keeps every model call inside the seat's move deadline.

A seat's policies talk to the model through one :class:`TimedBackend`, between them and the
process's backend (which may still be loading in the background, :mod:`agent.model.loader`):

- it waits for the model only as long as the move can afford (what is left before the deadline
  minus the call's expected cost), else raises :class:`agent.clock.OutOfTime` (``model-loading``);
- it starts a call only when the call's expected cost fits before the deadline, else raises
  ``OutOfTime`` (``no-time``): the fixed cost (prompt evaluation, plus whatever a slow machine
  adds per call) is the median of the last measured calls of that kind, and a reply also needs a
  few tokens at the measured seconds per token (the backend cuts longer replies at the deadline);
- it passes the move's deadline on, measures each call and counts the calls that completed in the
  move (``clock.model_calls``), so the seat knows which moves the model played. A call the backend
  stopped at the deadline counts as a call that needed its time so far plus the work it left.
- after ``PROBE_AFTER`` calls in a row were skipped for lack of time, one call is tried anyway
  (when time is left at all), so one slow measurement cannot keep the model out for good.

Outside a move (the clock has no deadline) it waits for the model and calls it like a plain
backend. Shortcut: before the first measured call of a kind, a call is expected to take
``first_call_seconds``.
"""

from __future__ import annotations

import statistics
from collections import deque
from collections.abc import Callable, Sequence
from typing import Literal, Protocol, runtime_checkable

from agent.clock import MoveClock, OutOfTime
from agent.model.protocol import CallStats, ChatBackend, ChatMessage, GenerateOptions

# The backend, waiting at most ``timeout`` seconds for it (None: as long as it takes); None when
# it is not ready in time.
Fetch = Callable[[float | None], ChatBackend | None]
Kind = Literal["yes_probability", "generate"]

MIN_REPLY_TOKENS = 8  # a short question ("Is it made of metal?") is 6-8 tokens
WINDOW = 5  # calls the estimates look back on
PROBE_AFTER = 5  # calls skipped in a row for lack of time before one is tried anyway


@runtime_checkable
class ReportsCalls(Protocol):
    """A backend that tells how its last call went (tokens, time in the generation loop)."""

    @property
    def last_call(self) -> CallStats | None: ...


class TimedBackend:
    """A :class:`agent.model.protocol.ChatBackend` that never starts a call it cannot finish."""

    def __init__(self, fetch: Fetch, clock: MoveClock, first_call_seconds: float = 1.0) -> None:
        self.fetch = fetch
        self.clock = clock
        self.first_call_seconds = first_call_seconds
        self.fixed_seconds: dict[Kind, deque[float]] = {
            "yes_probability": deque(maxlen=WINDOW),
            "generate": deque(maxlen=WINDOW),
        }
        self.token_seconds: deque[float] = deque(maxlen=WINDOW)
        self.skipped_in_a_row = 0

    def expected_seconds(self, kind: Kind, max_tokens: int = 0) -> float:
        """What a call is expected to take: its fixed cost and the first reply tokens."""
        measured = self.fixed_seconds[kind] or self.fixed_seconds["generate"]
        measured = measured or self.fixed_seconds["yes_probability"]
        fixed = statistics.median(measured) if measured else self.first_call_seconds
        per_token = statistics.median(self.token_seconds) if self.token_seconds else 0.0
        return fixed + per_token * min(max_tokens, MIN_REPLY_TOKENS)

    def _ready(self, kind: Kind, max_tokens: int = 0) -> ChatBackend:
        remaining = self.clock.remaining()
        if remaining is None:
            backend = self.fetch(None)
            if backend is None:
                raise OutOfTime("model-loading", "the model did not load")
            return backend
        need = self.expected_seconds(kind, max_tokens)
        backend = self.fetch(0.0)
        if backend is None:
            wait = remaining - need
            backend = self.fetch(wait) if wait > 0 else None
            if backend is None:
                raise OutOfTime(
                    "model-loading", f"not ready after {max(wait, 0.0):.2f} s of the move's wait"
                )
            remaining = self.clock.remaining() or 0.0
        if remaining < need and (self.skipped_in_a_row < PROBE_AFTER or remaining <= 0):
            self.skipped_in_a_row += 1
            raise OutOfTime("no-time", f"{kind} needs ~{need:.2f} s, {remaining:.2f} s left")
        self.skipped_in_a_row = 0
        return backend

    def _stopped(self, kind: Kind, seconds: float, stopped: OutOfTime) -> None:
        """A call the backend stopped at the deadline needed its time so far and the rest."""
        self.fixed_seconds[kind].append(seconds + stopped.needed_seconds)

    def _measured(self, kind: Kind, backend: ChatBackend, seconds: float) -> None:
        stats = backend.last_call if isinstance(backend, ReportsCalls) else None
        if stats is not None and stats.kind == kind:
            seconds -= stats.generation_seconds
            if stats.generated_tokens:
                self.token_seconds.append(stats.generation_seconds / stats.generated_tokens)
        self.fixed_seconds[kind].append(max(0.0, seconds))
        self.clock.model_calls += 1

    def yes_probability(
        self, session: str, messages: Sequence[ChatMessage], *, deadline: float | None = None
    ) -> float:
        backend = self._ready("yes_probability")
        started = self.clock.now()
        deadline = self.clock.deadline() if deadline is None else deadline
        try:
            probability = backend.yes_probability(session, messages, deadline=deadline)
        except OutOfTime as stopped:
            self._stopped("yes_probability", self.clock.now() - started, stopped)
            raise
        self._measured("yes_probability", backend, self.clock.now() - started)
        return probability

    def generate(
        self, session: str, messages: Sequence[ChatMessage], options: GenerateOptions
    ) -> str:
        backend = self._ready("generate", options.max_tokens)
        started = self.clock.now()
        if options.deadline is None:
            options = options.until(self.clock.deadline())
        try:
            reply = backend.generate(session, messages, options)
        except OutOfTime as stopped:
            self._stopped("generate", self.clock.now() - started, stopped)
            raise
        self._measured("generate", backend, self.clock.now() - started)
        return reply
