"""What a role policy is: the two Protocols the seat plays through.

A :class:`GuesserPolicy` plays the guesser seat's ask and guess turns, an :class:`AnswererPolicy`
the answerer's answer turns. Both get the state machine's record (:class:`agent.game.SeatState`)
and return the action; the seat checks legality and turns exceptions into fallbacks.
"""

from __future__ import annotations

from typing import Protocol

from agent.game import SeatState


class GuesserPolicy(Protocol):
    def ask(self, state: SeatState) -> str: ...

    def guess(self, state: SeatState) -> str: ...


class AnswererPolicy(Protocol):
    def answer(self, state: SeatState) -> str: ...
