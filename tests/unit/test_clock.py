"""The move clock on a fake time source: budgets, overage, and the seat's time-saving decisions
(model still loading, no time left for a call, deadlines passed on, overage logged)."""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent import events
from agent.clock import ClockLimits, MoveClock, OutOfTime, act_timeout_of, seconds_or
from agent.game import Observation
from agent.legal import FALLBACK_QUESTIONS
from agent.model.loader import BackgroundLoader, ModelUnavailable
from agent.model.protocol import ChatBackend
from agent.model.timed import PROBE_AFTER
from agent.policies.planner import PlannerGuesser
from agent.rules import HANDSHAKE_QUESTION
from agent.runtime import make_seat
from agent.seat import MoveSource, Seat, moves_left
from agent.settings import AgentSettings, Strategy
from tests.fakes import FakeTime, Generate, ScriptedBackend, YesNo, one_line
from tests.unit.test_planner import ANIMALS, TABLE, THINGS, make_kb, save_kb

LIMITS = ClockLimits(margin_seconds=0.2, margin_share=0.1, overage_reserve_share=0.25)
FAST = {"actTimeout": 2}  # the slow-judge benchmark's configuration


class LoadingModel(BackgroundLoader):
    """A model that is ready at ``ready_at`` on the fake clock; waiting for it moves the clock."""

    def __init__(self, time: FakeTime, ready_at: float, backend: ChatBackend) -> None:
        super().__init__(lambda: backend)
        self.time, self.ready_at, self.backend = time, ready_at, backend
        self.waited: list[float] = []

    def start(self) -> None:
        pass

    def get(self, timeout: float | None = None) -> ChatBackend | None:
        if timeout is not None and self.time.now < self.ready_at:
            if timeout > 0:
                self.waited.append(timeout)
            self.time.advance(min(timeout, self.ready_at - self.time.now))
        else:
            self.time.now = max(self.time.now, self.ready_at)
        return self.backend if self.time.now >= self.ready_at else None


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    return save_kb(make_kb(ANIMALS + THINGS, table=TABLE), tmp_path / "knowledge")


@pytest.fixture(autouse=True)
def fresh_events() -> Iterator[None]:
    events.COUNTS.clear()
    yield
    events.COUNTS.clear()


def settings(kb_dir: Path | None = None, **overrides: Any) -> AgentSettings:
    folder = kb_dir if kb_dir is not None else Path("/nonexistent/knowledge")
    return AgentSettings(knowledge_dir=folder, first_call_seconds=1.0, **overrides)


def seat_on(backend: Any, time: FakeTime, config: AgentSettings, name: str = "s") -> Seat:
    return make_seat(name, config, backend, MoveClock(LIMITS, time))


def ask(turn: int = 0, overage: float = 20.0) -> dict[str, Any]:
    questions = [f"Is it thing number {i}?" for i in range(turn)]
    return {"role": "guesser", "turnType": "ask", "questions": questions,
            "answers": ["no"] * turn, "guesses": ["x"] * turn,
            "remainingOverageTime": overage}  # fmt: skip


def answer(question: str, keyword: str = "Cat") -> dict[str, Any]:
    return {"role": "answerer", "turnType": "answer", "questions": [question],
            "answers": [], "guesses": [], "keyword": keyword,
            "remainingOverageTime": 20.0}  # fmt: skip


# ------------------------------------------------------------------------------- the clock


def test_budget_is_act_timeout_less_margin_plus_a_share_of_the_overage(time: FakeTime) -> None:
    clock = MoveClock(LIMITS, time)
    kaggle = clock.start(started=time.now, act_timeout=60, overage=300, moves_left=40)
    assert kaggle.act_deadline == time.now + 54  # 10 % of 60 s kept back
    assert kaggle.overage_share == pytest.approx(300 * 0.75 / 40)
    # the reserve is a share of the game's starting overage (the largest seen), kept to the end
    assert clock.overage_share(100, 4) == pytest.approx((100 - 75) / 4)
    assert clock.overage_share(60, 1) == 0.0
    assert clock.overage_share(300, 0) == 0.0  # no move left to win with: keep it
    fast = MoveClock(LIMITS, time).start(started=time.now, act_timeout=2, overage=20, moves_left=1)
    assert fast.act_deadline == pytest.approx(time.now + 1.8)  # at least 0.2 s kept back
    assert fast.overage_share == pytest.approx(15.0)  # the last move may spend all but the reserve
    assert MoveClock(LIMITS, time).overage_share(-5, 10) == 0.0


def test_remaining_counts_from_when_the_move_started(time: FakeTime) -> None:
    clock = MoveClock(LIMITS, time)
    assert clock.remaining() is None and clock.deadline() is None
    started = time.now
    time.advance(1.5)  # importing the agent on the first move
    clock.start(started=started, act_timeout=2, overage=0, moves_left=3)
    assert clock.remaining() == pytest.approx(0.3)
    time.advance(0.5)
    assert clock.remaining() == pytest.approx(-0.2)
    assert clock.finish() == pytest.approx(2.0) and clock.durations == [pytest.approx(2.0)]
    assert clock.overruns == 0 and clock.remaining() is None


@pytest.mark.parametrize(
    ("configuration", "expected"),
    [
        ({"actTimeout": 2}, 2.0),
        ({"actTimeout": 0}, 60.0),
        ({"actTimeout": "2"}, 60.0),
        ({"actTimeout": math.nan}, 60.0),
        ({"actTimeout": True}, 60.0),
        ({}, 60.0),
        (None, 60.0),
        (type("Struct", (), {"actTimeout": 7.5})(), 7.5),
    ],
)
def test_act_timeout_from_any_configuration(configuration: object, expected: float) -> None:
    assert act_timeout_of(configuration) == expected


def test_seconds_reject_what_is_not_a_duration() -> None:
    assert seconds_or(3, 0.0) == 3.0
    assert [seconds_or(v, 9.0) for v in (-1, math.inf, None, "1", False)] == [9.0] * 5


def test_moves_left_counts_the_seats_moves_in_a_full_game() -> None:
    def left(raw: dict[str, Any]) -> int:
        return moves_left(Observation.from_kaggle(raw))

    assert left(ask(0)) == 40 and left(ask(19)) == 2
    assert left(answer("Is it big?")) == 20


# ------------------------------------------------------------------------- seat decisions


def test_generation_gets_the_moves_deadline(time: FakeTime, fake_backend: ScriptedBackend) -> None:
    config = settings(strategy=Strategy.LLM)
    fake_backend.time = time
    # started at 100: act deadline 100 + 2 - 0.2, plus 20 s x 0.75 spread over 40 moves
    fake_backend.expect(
        Generate(
            "s/guesser",
            "Round 1",
            "Is it alive?",
            one_line(48, end_after=("?",), deadline=102.175),
        )
    )
    seat = seat_on(lambda: fake_backend, time, config)
    assert seat.act(ask(), FAST) == "Is it alive?"
    assert seat.played_by == {MoveSource.MODEL: 1}


def test_model_still_loading_plays_the_planner_and_waits_only_what_the_move_affords(
    time: FakeTime, kb_dir: Path, fake_backend: ScriptedBackend, caplog: pytest.LogCaptureFixture
) -> None:
    loading = LoadingModel(time, ready_at=time.now + 10, backend=fake_backend)  # a 10 s load
    seat = seat_on(loading, time, settings(kb_dir, strategy=Strategy.LLM))
    with caplog.at_level(logging.WARNING, logger="agent.events"):
        action = seat.act(ask(), FAST)
    assert action == HANDSHAKE_QUESTION  # the planner's first question, not a model's
    # it waited for the model until only the expected call time (1 s) was left
    assert loading.waited == [pytest.approx(2 - 0.2 + 15 / 40 - 1.0)]
    assert seat.played_by == {MoveSource.TIME_SAVING: 1}
    assert isinstance(seat.policies.quick_guesser, PlannerGuesser)
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1 and lines[0].startswith("time model-loading: ask turn played by")


def test_no_time_for_a_call_skips_the_model(time: FakeTime, fake_backend: ScriptedBackend) -> None:
    # the model is ready but the move started 1.5 s ago (imports): 0.675 s left, a call takes 1 s
    seat = seat_on(lambda: fake_backend, time, settings(strategy=Strategy.LLM))
    started = time.now
    time.advance(1.5)
    assert seat.act(ask(), FAST, started=started) == FALLBACK_QUESTIONS[0]  # no knowledge folder
    assert events.COUNTS == {("time", "no-time"): 1}
    assert seat.played_by == {MoveSource.TIME_SAVING: 1} and seat.errors == 0


def test_measured_calls_set_the_next_estimate(
    time: FakeTime, fake_backend: ScriptedBackend
) -> None:
    fake_backend.time = time
    fake_backend.expect(YesNo("s/answerer", "blue?", 0.9, seconds=1.5))
    seat = seat_on(lambda: fake_backend, time, settings())
    assert seat.act(answer("Is it blue?"), FAST) == "yes"
    # the next call is expected to take 1.5 s; a move that has 1.4 s left does not start it
    started = time.now
    time.advance(0.4 + 15 / 20)
    second = answer("Is it blue?") | {
        "questions": ["Is it blue?", "Is it red?"],
        "answers": ["yes"],
        "guesses": ["sky"],
    }
    assert seat.act(second, FAST, started=started) == "no"  # the quick answerer: no table
    assert events.COUNTS == {("time", "no-time"): 1}
    assert seat.played_by == {MoveSource.MODEL: 1, MoveSource.TIME_SAVING: 1}


def rounds_of_answers(n: int) -> dict[str, Any]:
    questions = [f"Is it blue number {i}?" for i in range(n)]
    return answer(questions[-1]) | {
        "questions": questions,
        "answers": ["no"] * (n - 1),
        "guesses": ["x"] * (n - 1),
    }


def test_a_call_stopped_at_the_deadline_counts_the_work_it_left(
    time: FakeTime, fake_backend: ScriptedBackend
) -> None:
    fake_backend.time = time
    stopped = OutOfTime("deadline", "300 prompt tokens not evaluated", needed_seconds=2.0)
    fake_backend.expect(YesNo("s/answerer", "", 0.9, seconds=1.0, error=stopped))
    seat = seat_on(lambda: fake_backend, time, settings())
    assert seat.act(rounds_of_answers(1), FAST) == "no"  # the quick answerer
    # 1 s spent + 2 s left undone: a call is now expected to take 3 s, more than a move has
    for n in range(2, 2 + PROBE_AFTER):
        assert seat.act(rounds_of_answers(n), FAST) == "no"
    # after PROBE_AFTER skips in a row, one call is tried anyway
    fake_backend.expect(YesNo("s/answerer", "", 0.9))
    assert seat.act(rounds_of_answers(2 + PROBE_AFTER), FAST) == "yes"
    assert events.COUNTS == {("time", "deadline"): 1, ("time", "no-time"): PROBE_AFTER}
    assert seat.played_by == {MoveSource.TIME_SAVING: 1 + PROBE_AFTER, MoveSource.MODEL: 1}


def test_quick_answerer_trusts_any_table_entry(
    time: FakeTime, kb_dir: Path, fake_backend: ScriptedBackend
) -> None:
    loading = LoadingModel(time, ready_at=time.now + 100, backend=fake_backend)
    seat = seat_on(loading, time, settings(kb_dir))
    # rules and a confident table need no model at all
    assert seat.act(answer('Does the keyword start with the letter "c"?'), FAST) == "yes"
    assert seat.act(answer("Is it an animal?", "Cat"), FAST) == "yes"
    assert seat.played_by == {MoveSource.NO_MODEL: 2} and loading.waited == []
    # "Is it soft?" is 0.5 in the table: the LLM's question, played from the table meanwhile
    assert seat.act(answer("Is it soft?", "Cat"), FAST) == "yes"
    assert events.COUNTS == {("time", "model-loading"): 1}


def test_a_move_over_act_timeout_logs_its_overage(
    time: FakeTime, fake_backend: ScriptedBackend
) -> None:
    fake_backend.time = time
    fake_backend.expect(
        Generate(
            "s/guesser", "Round 1", "Is it alive?", one_line(48, end_after=("?",)), seconds=2.1
        )
    )
    seat = seat_on(lambda: fake_backend, time, settings(strategy=Strategy.LLM))
    seat.act(ask(), FAST)
    assert events.COUNTS == {("time", "overage"): 1}
    assert seat.clock.overruns == 1


def test_a_model_that_failed_to_load_is_a_fallback_with_its_cause(
    time: FakeTime, kb_dir: Path
) -> None:
    def broken() -> ChatBackend:
        raise FileNotFoundError("no *.gguf found")

    loader = BackgroundLoader(broken, background=False)
    seat = seat_on(loader, time, settings(kb_dir))
    assert seat.act(answer("Is it soft?"), FAST) == "yes"  # the table, played without the model
    assert events.COUNTS == {("fallback", "FileNotFoundError"): 1}
    assert seat.played_by == {MoveSource.FALLBACK: 1} and seat.errors == 0


# ------------------------------------------------------------------------ background load


def test_background_loader_hands_out_the_model_once_loaded(fake_backend: ScriptedBackend) -> None:
    release = threading.Event()
    loads = []

    def load() -> ChatBackend:
        release.wait()
        loads.append(1)
        return fake_backend

    loader = BackgroundLoader(load)
    loader.start()
    assert loader.get(0.0) is None and loader.loaded is None
    release.set()
    assert loader.get(None) is fake_backend and loader.get(0.0) is fake_backend
    loader.start()
    assert loads == [1] and loader.load_seconds is not None


def test_background_loader_reports_a_failed_load_to_every_caller() -> None:
    def load() -> ChatBackend:
        raise OSError("disk on fire")

    loader = BackgroundLoader(load)
    for _ in range(2):
        with pytest.raises(ModelUnavailable, match="disk on fire") as raised:
            loader.get(None)
        assert raised.value.cause == "OSError"
