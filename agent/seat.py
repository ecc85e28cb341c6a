"""One player seat: validates the observation, runs the state machine and the role policy, and
always returns a legal action.

The seat keeps one :class:`agent.game.SeatState` per role (so one persistent chat per role) and
builds its policies on first use through a factory, which is where the model gets loaded. Nothing
escapes :meth:`Seat.act`: an invalid observation, a model that fails to load or a policy error all
end in a safe legal action for the turn (a generic question, a common guess, "no"), and the error
is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agent.game import Observation, Role, SeatState, TurnType, observe, record
from agent.legal import clean_guess, clean_question, fallback_guess, fallback_question
from agent.policies.base import AnswererPolicy, GuesserPolicy

log = logging.getLogger(__name__)

# Legal for every turn type: a non-empty question or guess, and an answer the judge reads as yes.
UNIVERSAL_FALLBACK = "yes"


@dataclass
class Policies:
    guesser: GuesserPolicy
    answerer: AnswererPolicy


PolicyFactory = Callable[[], Policies]
# (turn, proposed action, state) -> the action to play: the proposal when legal, else a fallback
Legalize = Callable[[TurnType, str, SeatState], str]


def _raw_turn_type(raw: Any) -> str | None:
    value = raw.get("turnType") if isinstance(raw, dict) else getattr(raw, "turnType", None)
    return value if isinstance(value, str) else None


def fallback_action(turn: TurnType | str | None, state: SeatState | None = None) -> str:
    """A legal action for ``turn`` that needs no model."""
    asked = state.questions if state else ()
    wrong = state.wrong_guesses if state else ()
    if turn in (TurnType.ASK, "ask"):
        return fallback_question(asked)
    if turn in (TurnType.GUESS, "guess"):
        return fallback_guess(wrong)
    if turn in (TurnType.ANSWER, "answer"):
        return "no"
    return UNIVERSAL_FALLBACK


def legal_or_fallback(turn: TurnType, action: str, state: SeatState) -> str:
    """``action`` when it is legal for ``turn``; otherwise the fallback for that turn."""
    if turn is TurnType.ANSWER:
        return action if action in ("yes", "no") else fallback_action(turn, state)
    if turn is TurnType.ASK:
        legal = clean_question(action, state.questions) == action
    else:
        legal = clean_guess(action, state.wrong_guesses) == action
    return action if legal else fallback_action(turn, state)


class Seat:
    """A player: observation in, legal action out."""

    def __init__(self, make_policies: PolicyFactory, legalize: Legalize | None = None) -> None:
        self._make_policies = make_policies
        self.legalize = legalize or legal_or_fallback
        self._policies: Policies | None = None
        self.states: dict[Role, SeatState] = {role: SeatState() for role in Role}
        self.errors = 0

    @property
    def policies(self) -> Policies:
        if self._policies is None:
            self._policies = self._make_policies()
        return self._policies

    def act(self, raw_observation: Any) -> str:
        try:
            obs = Observation.from_kaggle(raw_observation)
        except Exception:
            self.errors += 1
            log.exception("invalid observation; playing a safe fallback")
            return fallback_action(_raw_turn_type(raw_observation))
        state = observe(self.states[obs.role], obs)
        try:
            action = self._decide(obs.turn_type, state)
            action = self.legalize(obs.turn_type, action, state)
        except Exception:
            self.errors += 1
            log.exception("%s turn failed; playing a safe fallback", obs.turn_type.value)
            action = fallback_action(obs.turn_type, state)
        self.states[obs.role] = record(state, action)
        return action

    def _decide(self, turn: TurnType, state: SeatState) -> str:
        if turn is TurnType.ASK:
            return self.policies.guesser.ask(state)
        if turn is TurnType.GUESS:
            return self.policies.guesser.guess(state)
        return self.policies.answerer.answer(state)
