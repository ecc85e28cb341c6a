"""One player seat: validates the observation, runs the state machine and the role policy on the
move's clock, and always returns a legal action.

The seat keeps one :class:`agent.game.SeatState` per role (so one persistent chat per role) and
builds its policies on first use through a factory, which is where the model starts loading.
Every move runs on the seat's :class:`agent.clock.MoveClock`: it starts when the agent function
was entered (``started``) with the configuration's ``actTimeout`` and the observation's overage,
and the policies' model calls keep to its deadline (:mod:`agent.model.timed`).

When the model cannot play the move (:class:`agent.clock.ModelSkipped`: still loading, no time
left for a call, or failed to load), the move is played by the seat's model-free policies (the
planner's question or guess; rules, then the knowledge table, for answers), or else by the legal
fallback. Nothing escapes :meth:`Seat.act`: an invalid observation, a policy error or an illegal
action all end in a safe legal action for the turn (a generic question, a common guess, "no").
Every such fallback and every time-saving decision is logged once, on one line, with its cause
(:mod:`agent.events`), and :attr:`Seat.played_by` counts who played each move.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from agent.clock import ModelSkipped, MoveClock, OutOfTime, act_timeout_of
from agent.events import FALLBACK, TIME, note, total
from agent.game import (
    MAX_ROUNDS,
    Observation,
    Role,
    SeatState,
    TurnType,
    observe,
    record,
)
from agent.legal import clean_guess, clean_question, fallback_guess, fallback_question
from agent.policies.base import AnswererPolicy, GuesserPolicy

log = logging.getLogger(__name__)

# Legal for every turn type: a non-empty question or guess, and an answer the judge reads as yes.
UNIVERSAL_FALLBACK = "yes"


class MoveSource(str, Enum):
    """Who played a move: the keys of :attr:`Seat.played_by`."""

    MODEL = "model"  # the role policy, with at least one model call in the move
    NO_MODEL = "no-model"  # the role policy without a model call: the planner, rules, the table
    TIME_SAVING = "time-saving"  # the model-free policies: the model skipped to keep to the clock
    # the legal fallback: an invalid observation, a policy error, an illegal or unusable action,
    # or a model that could not play for another reason (the model-free policies then play)
    FALLBACK = "fallback"


class FallbackPolicy:
    """Plays the fixed fallbacks: a question not asked yet, a common guess, "no"."""

    def ask(self, state: SeatState) -> str:
        return fallback_question(state.questions)

    def guess(self, state: SeatState) -> str:
        return fallback_guess(state.wrong_guesses)

    def answer(self, state: SeatState) -> str:
        return "no"


@dataclass
class Policies:
    """The role policies, and the ones that play when the model cannot (no model calls)."""

    guesser: GuesserPolicy
    answerer: AnswererPolicy
    quick_guesser: GuesserPolicy = field(default_factory=FallbackPolicy)
    quick_answerer: AnswererPolicy = field(default_factory=FallbackPolicy)


PolicyFactory = Callable[[], Policies]
# (turn, proposed action, state) -> the action to play: the proposal when legal, else a fallback
Legalize = Callable[[TurnType, str, SeatState], str]


def _raw_turn_type(raw: Any) -> str | None:
    try:
        value = raw.get("turnType") if isinstance(raw, dict) else getattr(raw, "turnType", None)
    except Exception:  # noqa: BLE001 - any object may come in; a hostile one gets "yes"
        return None
    return value if isinstance(value, str) else None


def _describe(error: BaseException) -> str:
    try:
        return f"{type(error).__name__}: {error}"
    except Exception:  # noqa: BLE001 - an exception whose __str__ fails
        return type(error).__name__


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


def moves_left(obs: Observation) -> int:
    """This move and the seat's later moves in a full game (a guesser asks and guesses every
    round, an answerer answers); 0 or less once the game has no move left to win it with."""
    rounds_left = MAX_ROUNDS - len(obs.questions)
    if obs.turn_type is TurnType.ASK:
        return 2 * rounds_left
    if obs.turn_type is TurnType.GUESS:
        return 2 * rounds_left + 1
    return rounds_left + 1


class Seat:
    """A player: observation (and configuration) in, legal action out, on the move's clock."""

    def __init__(
        self,
        make_policies: PolicyFactory,
        legalize: Legalize | None = None,
        clock: MoveClock | None = None,
    ) -> None:
        self._make_policies = make_policies
        self.legalize = legalize or legal_or_fallback
        self.clock = clock or MoveClock()
        self._policies: Policies | None = None
        self.states: dict[Role, SeatState] = {role: SeatState() for role in Role}
        self.errors = 0
        self.played_by: Counter[MoveSource] = Counter()

    @property
    def policies(self) -> Policies:
        if self._policies is None:
            self._policies = self._make_policies()
        return self._policies

    def act(
        self, raw_observation: Any, configuration: Any = None, *, started: float | None = None
    ) -> str:
        """The action for this observation. ``started`` is when the agent function was entered
        (so work before this call counts against the move), by default now."""
        began = self.clock.now() if started is None else started
        try:
            obs = Observation.from_kaggle(raw_observation)
        except Exception as error:  # noqa: BLE001 - any input gets a legal action
            self.errors += 1
            self.played_by[MoveSource.FALLBACK] += 1
            note(FALLBACK, "invalid-observation", _describe(error))
            return fallback_action(_raw_turn_type(raw_observation))
        state = observe(self.states[obs.role], obs)
        budget = self.clock.start(
            started=began,
            act_timeout=act_timeout_of(configuration),
            overage=obs.remaining_overage_time,
            moves_left=moves_left(obs),
        )
        fallbacks = total(FALLBACK)
        try:
            action, source = self._play(obs.turn_type, state)
        finally:
            duration = self.clock.finish()
        if total(FALLBACK) > fallbacks:  # e.g. the model's text was unusable
            source = MoveSource.FALLBACK
        self.played_by[source] += 1
        if duration > budget.act_timeout:
            spent = duration - budget.act_timeout
            note(TIME, "overage", f"{obs.turn_type.value} move took {duration:.2f} s: {spent:.2f}"
                 f" s of overage (its share {budget.overage_share:.2f} s)")  # fmt: skip
        self.states[obs.role] = record(state, action)
        return action

    def _play(self, turn: TurnType, state: SeatState) -> tuple[str, MoveSource]:
        try:
            try:
                policies = self.policies
                action = self._decide(turn, state, policies.guesser, policies.answerer)
                source = MoveSource.MODEL if self.clock.model_calls else MoveSource.NO_MODEL
            except ModelSkipped as skipped:
                action, source = self._without_model(turn, state, skipped)
            legal = self.legalize(turn, action, state)
        except Exception as error:  # noqa: BLE001 - a policy error must not lose the game
            self.errors += 1
            note(FALLBACK, "policy-error", f"{turn.value} turn: {_describe(error)}")
            return fallback_action(turn, state), MoveSource.FALLBACK
        if legal != action:
            note(FALLBACK, "illegal-action", f"{turn.value} turn: {action!r}")
            return legal, MoveSource.FALLBACK
        return action, source

    def _without_model(
        self, turn: TurnType, state: SeatState, skipped: ModelSkipped
    ) -> tuple[str, MoveSource]:
        """The move played by the model-free policies (else the fallback), logged once."""
        saving = isinstance(skipped, OutOfTime)
        kind, source = (TIME, MoveSource.TIME_SAVING) if saving else (FALLBACK, MoveSource.FALLBACK)
        policies = self.policies
        quick = policies.quick_answerer if turn is TurnType.ANSWER else policies.quick_guesser
        try:
            action = self._decide(turn, state, policies.quick_guesser, policies.quick_answerer)
            by = type(quick).__name__
        except Exception as error:  # noqa: BLE001 - the fallback below is always legal
            action, by = fallback_action(turn, state), f"the fallback ({_describe(error)})"
        note(kind, skipped.cause, f"{turn.value} turn played by {by}: {skipped.detail}")
        return action, source

    @staticmethod
    def _decide(
        turn: TurnType, state: SeatState, guesser: GuesserPolicy, answerer: AnswererPolicy
    ) -> str:
        if turn is TurnType.ASK:
            return guesser.ask(state)
        if turn is TurnType.GUESS:
            return guesser.guess(state)
        return answerer.answer(state)
