"""The move clock: how long the move being played may still take.

Kaggle gives every move ``actTimeout`` seconds (60, from the configuration, the agent function's
second argument) and each agent an overage for the whole game (300 s) that the observation counts
down in ``remainingOverageTime``; a move that overruns both is a TIMEOUT, a lost game. The first
move also pays for importing the agent.

The seat starts the clock when a move starts (:meth:`MoveClock.start`) and stops it when the
action is returned (:meth:`MoveClock.finish`); in between, model calls ask for the deadline and
what is left (:meth:`MoveClock.remaining`) and do not start work they cannot finish
(:class:`OutOfTime`). A move's deadline is ``actTimeout`` minus a safety margin, plus the move's
share of the overage: what is left above a reserve (a share of the largest overage seen, i.e. the
game's starting overage), spread evenly over the moves this seat can still play in the game. So
the overage is spent only while the game can still be won (there are moves left in which the
result can change), and the reserve stays for moves that overrun their plan; what is left when
the game ends is worth nothing, so spreading it is better than saving it.

Time comes from an injected source (``time.monotonic`` by default), so unit tests drive the clock
with a fake one. Every move's duration is recorded. Nothing here imports the rest of the agent.

Shortcut: the judge's own per-move bookkeeping (serialising the observation, the agent call) is
covered by the margin, not measured.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TimeSource = Callable[[], float]

KAGGLE_ACT_TIMEOUT = 60.0  # the judge's default actTimeout, used when the configuration lacks one


class ModelSkipped(RuntimeError):
    """The move is played without the model; ``cause`` says why, in a few words."""

    def __init__(self, cause: str, detail: str = "") -> None:
        super().__init__(f"{cause}: {detail}" if detail else cause)
        self.cause = cause
        self.detail = detail


class OutOfTime(ModelSkipped):
    """Model work that cannot finish before the move's deadline was not started, or stopped;
    ``needed_seconds`` estimates the work that was left undone (0 when unknown)."""

    def __init__(self, cause: str, detail: str = "", needed_seconds: float = 0.0) -> None:
        super().__init__(cause, detail)
        self.needed_seconds = needed_seconds


def seconds_or(value: Any, default: float) -> float:
    """``value`` as a finite, non-negative number of seconds, else ``default`` (observations and
    configurations come from outside: strings, None, NaN and booleans are not durations)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    number = float(value)
    return number if math.isfinite(number) and number >= 0 else default


def act_timeout_of(configuration: Any) -> float:
    """The configuration's ``actTimeout`` (a dict, kaggle-environments' Struct or any object)."""
    if isinstance(configuration, dict):
        value = configuration.get("actTimeout")
    else:
        try:
            value = getattr(configuration, "actTimeout", None)
        except Exception:  # noqa: BLE001 - a hostile object's __getattr__ must not end the move
            value = None
    timeout = seconds_or(value, KAGGLE_ACT_TIMEOUT)
    return timeout if timeout > 0 else KAGGLE_ACT_TIMEOUT


@dataclass(frozen=True)
class ClockLimits:
    """How much of the judge's time a move plans to use (``AgentSettings.time_*``)."""

    margin_seconds: float = 0.2
    margin_share: float = 0.1
    overage_reserve_share: float = 0.25

    def margin(self, act_timeout: float) -> float:
        """Seconds of ``actTimeout`` kept back for the judge and the move's own bookkeeping."""
        return min(act_timeout / 2, max(self.margin_seconds, self.margin_share * act_timeout))


@dataclass(frozen=True)
class MoveBudget:
    """One move's time: when it started, and the deadlines without and with its overage share."""

    started: float
    act_timeout: float
    act_deadline: float
    deadline: float

    @property
    def overage_share(self) -> float:
        return self.deadline - self.act_deadline


class MoveClock:
    """The clock of one seat: the current move's deadline and the durations of past moves."""

    def __init__(self, limits: ClockLimits | None = None, now: TimeSource = time.monotonic) -> None:
        self.limits = limits or ClockLimits()
        self.now = now
        self.move: MoveBudget | None = None
        self.durations: list[float] = []
        self.overruns = 0  # moves that took longer than actTimeout (spent overage)
        self.model_calls = 0  # model calls that completed during the current move
        self.starting_overage = 0.0  # the largest overage seen: the game's own

    def start(
        self, *, started: float, act_timeout: float, overage: float, moves_left: int
    ) -> MoveBudget:
        """Start a move that began at ``started`` (the agent function's entry, so imports on the
        first move count). ``overage`` is what the observation says is left; ``moves_left``
        counts this move and the seat's later moves in the game."""
        act_timeout = seconds_or(act_timeout, KAGGLE_ACT_TIMEOUT) or KAGGLE_ACT_TIMEOUT
        act_deadline = started + act_timeout - self.limits.margin(act_timeout)
        self.move = MoveBudget(
            started=started,
            act_timeout=act_timeout,
            act_deadline=act_deadline,
            deadline=act_deadline + self.overage_share(seconds_or(overage, 0.0), moves_left),
        )
        self.model_calls = 0
        return self.move

    def overage_share(self, overage: float, moves_left: int) -> float:
        """This move's share of the overage: what is above the reserve, spread over the moves
        left (none once the game has no move left to win it with)."""
        self.starting_overage = max(self.starting_overage, overage)
        if moves_left <= 0:
            return 0.0
        spendable = overage - self.limits.overage_reserve_share * self.starting_overage
        return max(0.0, spendable) / moves_left

    def deadline(self) -> float | None:
        """The current move's deadline; None outside a move (then nothing is bounded)."""
        return self.move.deadline if self.move else None

    def remaining(self) -> float | None:
        """Seconds left before the deadline (negative once it has passed); None outside a move."""
        return self.move.deadline - self.now() if self.move else None

    def elapsed(self) -> float:
        return self.now() - self.move.started if self.move else 0.0

    def finish(self) -> float:
        """End the current move; returns its duration and records it."""
        if self.move is None:
            return 0.0
        duration = self.now() - self.move.started
        if duration > self.move.act_timeout:
            self.overruns += 1
        self.durations.append(duration)
        self.move = None
        return duration
