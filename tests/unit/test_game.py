"""The seat state machine: observation validation and the pure transitions observe/record."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from pydantic import ValidationError

from agent.game import (
    Observation,
    Role,
    Round,
    SeatState,
    TurnType,
    next_turn,
    observe,
    record,
    rounds_from,
)


def obs(
    role: str,
    turn: str,
    q: Sequence[str] = (),
    a: Sequence[str] = (),
    g: Sequence[str] = (),
    keyword: str = "",
    **extra: object,
) -> Observation:
    return Observation.from_kaggle(
        {"role": role, "turnType": turn, "questions": list(q), "answers": list(a),
         "guesses": list(g), "keyword": keyword, **extra}
    )  # fmt: skip


def test_observation_accepts_the_judges_turn_order() -> None:
    o = obs("guesser", "guess", ["Is it red?"], ["yes"], [])
    assert o.role is Role.GUESSER and o.turn_type is TurnType.GUESS
    assert rounds_from(o) == (Round("Is it red?", "yes", None),)


@pytest.mark.parametrize(
    ("role", "turn", "q", "a", "g", "keyword"),
    [
        ("guesser", "ask", ["q1"], [], [], ""),  # ask with a pending question
        ("guesser", "guess", ["q1"], [], [], ""),  # guess before the answer
        ("answerer", "answer", [], [], [], "cat"),  # nothing to answer
        ("answerer", "answer", ["q1"], [], [], ""),  # answerer without keyword
        ("guesser", "answer", ["q1"], [], [], "cat"),  # guesser asked to answer
        ("referee", "ask", [], [], [], ""),  # unknown role
        ("guesser", "shout", [], [], [], ""),  # unknown turn type
    ],
)
def test_observation_rejects_impossible_states(
    role: str, turn: str, q: list[str], a: list[str], g: list[str], keyword: str
) -> None:
    with pytest.raises(ValidationError):
        obs(role, turn, q, a, g, keyword)


def test_observation_from_attribute_object() -> None:
    class Struct:
        role = "answerer"
        turnType = "answer"
        questions = ("Is it big?",)
        answers = ()
        guesses = ()
        keyword = "Bus"
        category = "things"

    o = Observation.from_kaggle(Struct())
    assert o.keyword == "Bus" and o.turn_type is TurnType.ANSWER


def test_turn_order() -> None:
    assert next_turn(TurnType.ASK) is TurnType.GUESS
    assert next_turn(TurnType.GUESS) is TurnType.ASK
    assert next_turn(TurnType.ANSWER) is TurnType.ANSWER


def test_guesser_plays_in_sync_without_resync() -> None:
    state = observe(SeatState(), obs("guesser", "ask"))
    state = record(state, "Is it alive?")
    assert state.expected_turn is TurnType.GUESS
    state = observe(state, obs("guesser", "guess", ["Is it alive?"], ["no"]))
    state = record(state, "chair")
    state = observe(state, obs("guesser", "ask", ["Is it alive?"], ["no"], ["chair"]))
    assert state.resyncs == 0
    assert state.rounds == (Round("Is it alive?", "no", "chair"),)
    assert state.wrong_guesses == ("chair",)


def test_answerer_plays_in_sync_without_resync() -> None:
    state = observe(SeatState(), obs("answerer", "answer", ["q1"], [], [], "cat"))
    state = record(state, "yes")
    state = observe(state, obs("answerer", "answer", ["q1", "q2"], ["yes"], ["dog"], "cat"))
    assert state.resyncs == 0
    assert state.rounds[0] == Round("q1", "yes", "dog")


def test_missed_turn_resyncs_from_observation() -> None:
    state = record(observe(SeatState(), obs("guesser", "ask")), "Is it alive?")
    # the seat never saw its guess turn: the judge moved on two rounds
    later = obs("guesser", "ask", ["Is it alive?", "Is it red?"], ["no", "yes"], ["x", "y"])
    state = observe(state, later)
    assert state.resyncs == 1
    assert state.questions == ("Is it alive?", "Is it red?")
    assert state.expected_turn is TurnType.ASK


def test_disagreeing_history_resyncs() -> None:
    state = record(observe(SeatState(), obs("guesser", "ask")), "Is it alive?")
    state = observe(state, obs("guesser", "guess", ["Is it a tool?"], ["no"]))
    assert state.resyncs == 1 and state.questions == ("Is it a tool?",)


def test_restart_mid_game_counts_one_resync() -> None:
    middle = obs("answerer", "answer", ["q1", "q2"], ["no"], ["g1"], "cat")
    state = observe(SeatState(), middle)
    assert state.resyncs == 1 and state.keyword == "cat"


def test_new_episode_resyncs() -> None:
    state = record(observe(SeatState(), obs("answerer", "answer", ["q1"], [], [], "cat")), "no")
    state = observe(state, obs("answerer", "answer", ["other"], [], [], "dog"))
    assert state.resyncs == 1 and state.keyword == "dog" and len(state.rounds) == 1


def test_record_applies_the_judges_truncation() -> None:
    state = observe(SeatState(), obs("guesser", "ask"))
    state = record(state, "Is it " + "x" * 800 + "?")
    assert len(state.questions[0]) == 750


def test_record_before_observe_is_an_error() -> None:
    with pytest.raises(ValueError, match="before observe"):
        record(SeatState(), "yes")
