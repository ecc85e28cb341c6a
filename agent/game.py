"""The game as one seat sees it: observations, roles, turn types and the seat's state machine.

A seat is either the guesser (it asks, then guesses, every round) or the answerer (it answers).
:class:`SeatState` is immutable and changes only through two pure transitions:

- :func:`observe` takes the judge's observation, which is the source of truth: when the state's
  own record (role, expected turn, rounds so far) disagrees with it (a restart, a missed turn, a
  new episode), the state is rebuilt from the observation and the resync is counted;
- :func:`record` adds the action the seat just took and moves to the turn expected next.

Also here: the judge's limits (rounds, question and guess lengths) and its guess matching
(:func:`judge_normalize`, :func:`judge_variants`), written from the judge's code so the agent
never imports kaggle_environments.

Shortcut: the judge's list lengths are trusted to follow its own turn order; an observation whose
lists cannot come from that order is rejected by validation (the seat then plays a safe fallback).
"""

from __future__ import annotations

import string
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_ROUNDS = 20
QUESTION_LIMIT = 750  # the judge keeps the first 750 characters of a question
GUESS_LIMIT = 100  # and the first 100 of a guess


# The judge's guess matching (kaggle-environments' ``normalize`` and ``keyword_guessed``).
_PUNCTUATION = str.maketrans("", "", string.punctuation)


def judge_normalize(text: str) -> str:
    """The judge's ``normalize``: lowercase, drop "the", spaces and ASCII punctuation."""
    return text.lower().replace("the", "").replace(" ", "").translate(_PUNCTUATION)


def judge_variants(text: str) -> set[str]:
    """Normalised strings the judge would accept for ``text`` (itself and the s/es variants)."""
    key = judge_normalize(text)
    variants = {key}
    if len(key) >= 3:
        variants.update((key + "s", key + "es"))
        if key.endswith("s") and len(key) >= 4:
            variants.add(key[:-1])
        if key.endswith("es") and len(key) >= 5:
            variants.add(key[:-2])
    return variants


class Role(str, Enum):
    GUESSER = "guesser"
    ANSWERER = "answerer"


class TurnType(str, Enum):
    ASK = "ask"
    GUESS = "guess"
    ANSWER = "answer"


class Observation(BaseModel):
    """The part of a kaggle-environments observation a seat uses, validated."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    role: Role
    turn_type: TurnType = Field(alias="turnType")
    questions: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    guesses: tuple[str, ...] = ()
    keyword: str = ""
    category: str = ""
    step: int = 0
    remaining_overage_time: float = Field(default=300.0, alias="remainingOverageTime")

    @model_validator(mode="after")
    def _lists_follow_turn_order(self) -> Observation:
        q, a, g = len(self.questions), len(self.answers), len(self.guesses)
        expected = {
            TurnType.ASK: q == a == g,
            TurnType.GUESS: q == a == g + 1,
            TurnType.ANSWER: q == a + 1 and g == a,
        }[self.turn_type]
        if not expected:
            raise ValueError(
                f"{self.turn_type.value} turn with {q} questions, {a} answers, {g} guesses"
            )
        if (self.role is Role.ANSWERER) != (self.turn_type is TurnType.ANSWER):
            raise ValueError(f"a {self.role.value} does not play {self.turn_type.value} turns")
        if self.role is Role.ANSWERER and not self.keyword.strip():
            raise ValueError("an answerer's observation must carry the keyword")
        return self

    @classmethod
    def from_kaggle(cls, raw: Any) -> Observation:
        """Validate a kaggle-environments observation (a Struct/dict or any attribute object)."""
        if not isinstance(raw, dict):
            raw = {name: getattr(raw, name) for name in _FIELDS if hasattr(raw, name)}
        return cls.model_validate(raw)


_FIELDS = ("role", "turnType", "questions", "answers", "guesses", "keyword", "category", "step",
           "remainingOverageTime")  # fmt: skip


@dataclass(frozen=True)
class Round:
    """One round of the game: question, then the answer, then the guess (when made)."""

    question: str
    answer: str | None = None
    guess: str | None = None


@dataclass(frozen=True)
class SeatState:
    """What a seat knows: its role, the turn it expects next and the rounds so far."""

    role: Role | None = None
    expected_turn: TurnType | None = None
    rounds: tuple[Round, ...] = ()
    keyword: str = ""
    category: str = ""
    resyncs: int = 0

    @property
    def questions(self) -> tuple[str, ...]:
        return tuple(r.question for r in self.rounds)

    @property
    def wrong_guesses(self) -> tuple[str, ...]:
        return tuple(r.guess for r in self.rounds if r.guess is not None)


def rounds_from(obs: Observation) -> tuple[Round, ...]:
    """The rounds an observation describes."""
    return tuple(
        Round(
            question=question,
            answer=obs.answers[i] if i < len(obs.answers) else None,
            guess=obs.guesses[i] if i < len(obs.guesses) else None,
        )
        for i, question in enumerate(obs.questions)
    )


def next_turn(turn: TurnType) -> TurnType:
    """The turn a seat plays after ``turn``: a guesser alternates ask and guess."""
    return {
        TurnType.ASK: TurnType.GUESS,
        TurnType.GUESS: TurnType.ASK,
        TurnType.ANSWER: TurnType.ANSWER,
    }[turn]


def _agrees(state: SeatState, obs: Observation, truth: tuple[Round, ...]) -> bool:
    """Whether the state's own record is a faithful prefix of the observed game."""
    if state.role is not obs.role or state.expected_turn is not obs.turn_type:
        return False
    if state.keyword != obs.keyword:
        return False
    known = state.rounds
    expected_rounds = len(known) + (1 if obs.turn_type is TurnType.ANSWER else 0)
    if len(truth) != expected_rounds:
        return False
    for mine, observed in zip(known, truth, strict=False):
        if mine.question != observed.question:
            return False
        if mine.guess is not None and mine.guess != observed.guess:
            return False
        if mine.answer is not None and mine.answer != observed.answer:
            return False
    return True


def observe(state: SeatState, obs: Observation) -> SeatState:
    """The state after seeing ``obs``: the observed rounds, and one more resync if the state's
    own record disagreed with them."""
    truth = rounds_from(obs)
    if state.role is None:  # a fresh seat is in sync when this is its first turn of a game
        in_sync = len(truth) == (1 if obs.turn_type is TurnType.ANSWER else 0)
    else:
        in_sync = _agrees(state, obs, truth)
    return SeatState(
        role=obs.role,
        expected_turn=obs.turn_type,
        rounds=truth,
        keyword=obs.keyword,
        category=obs.category,
        resyncs=state.resyncs + (0 if in_sync else 1),
    )


def record(state: SeatState, action: str) -> SeatState:
    """The state after the seat played ``action`` on its expected turn, as the judge stores it."""
    turn = state.expected_turn
    if turn is None:
        raise ValueError("record() before observe(): no turn is expected")
    rounds = list(state.rounds)
    if turn is TurnType.ASK:
        rounds.append(Round(question=action[:QUESTION_LIMIT]))
    elif turn is TurnType.GUESS:
        rounds[-1] = replace(rounds[-1], guess=action[:GUESS_LIMIT])
    else:
        rounds[-1] = replace(rounds[-1], answer=action)
    return replace(state, rounds=tuple(rounds), expected_turn=next_turn(turn))
