"""Run one episode of kaggle-environments' own ``llm_20_questions`` judge with any four agents.

The judge module picks its keyword at import time and keeps it in module globals
(``keyword``, ``alts``, ``category``) that its interpreter reads; we set those globals before each
episode, so answer parsing, truncation and keyword matching stay the judge's own code. The clock is
the judge's too: ``configuration`` may cut ``actTimeout``, and ``overage`` replaces the spec's
``remainingOverageTime`` (300 s) in a copy of the env's specification given to ``make``.
Importing kaggle_environments takes about 14 s (it loads every env): it happens on first use, in
:func:`kaggle_environments`, the one place the workbench imports it, with its import-time chatter
kept back (:mod:`llm20q.quiet`; ``llm20q -v`` shows it).
"""

from __future__ import annotations

import copy
import importlib
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

from llm20q.keywords import Keyword
from llm20q.quiet import muted

if TYPE_CHECKING:  # agent.runtime loads the planner: imported where four seats are made
    from agent.runtime import LazyBackend
    from agent.seat import Seat
    from agent.settings import AgentSettings

JUDGE_MODULE = "kaggle_environments.envs.llm_20_questions.llm_20_questions"
AgentFn = Callable[[Any, Any], Any] | str
_import_lock = threading.Lock()


def kaggle_environments() -> ModuleType:
    """The kaggle_environments package, imported once (every env registered) without its
    import-time prints and INFO logs reaching the person (see :mod:`llm20q.quiet`)."""
    with _import_lock:  # play imports it in a background thread; a guess may need it at once
        loaded = sys.modules.get("kaggle_environments")
        if loaded is not None:
            return loaded
        with muted("kaggle_environments"):
            return importlib.import_module("kaggle_environments")


def judge_module() -> Any:  # the judge module: its globals are set per episode
    kaggle_environments()
    return importlib.import_module(JUDGE_MODULE)


@dataclass(frozen=True)
class TeamResult:
    """One team's outcome: solved (and in which round), or not, with the statuses."""

    solved: bool
    rounds: int
    reward: float
    guesser_status: str
    answerer_status: str
    questions: tuple[str, ...]
    answers: tuple[str, ...]
    guesses: tuple[str, ...]


@dataclass
class Episode:
    keyword: Keyword
    teams: tuple[TeamResult, TeamResult]
    seconds: float
    statuses: tuple[str, ...]
    env: Any = None

    @property
    def errors(self) -> int:
        return sum(status == "ERROR" for status in self.statuses)

    @property
    def timeouts(self) -> int:
        return sum(status == "TIMEOUT" for status in self.statuses)

    def summary(self) -> str:
        """One word-ish result for tables."""
        if self.errors or self.timeouts:
            bad = [f"seat{i}:{s}" for i, s in enumerate(self.statuses) if s != "DONE"]
            return "error " + ",".join(bad)
        solved = [i + 1 for i, team in enumerate(self.teams) if team.solved]
        if not solved:
            return "unsolved"
        if len(solved) == 2:
            return f"both solved r{self.teams[0].rounds}"
        return f"team{solved[0]} solved r{self.teams[solved[0] - 1].rounds}"


def _team(state: Sequence[Any], guesser: int) -> TeamResult:
    obs = state[guesser].observation
    guesses = tuple(obs.guesses)
    return TeamResult(
        # the judge's own keyword matching decides whether the last guess was right
        solved=bool(guesses) and bool(judge_module().keyword_guessed(guesses[-1])),
        rounds=len(obs.questions),
        reward=float(state[guesser].reward or 0.0),
        guesser_status=state[guesser].status,
        answerer_status=state[guesser + 1].status,
        questions=tuple(obs.questions),
        answers=tuple(obs.answers),
        guesses=guesses,
    )


class TimedAgent:
    """Wraps an agent function and records its wall time per turn type."""

    def __init__(self, agent: Callable[[Any, Any], Any]) -> None:
        self.agent = agent
        self.durations: dict[str, list[float]] = {}

    def __call__(self, observation: Any, configuration: Any) -> Any:
        started = time.perf_counter()
        try:
            return self.agent(observation, configuration)
        finally:
            turn = str(getattr(observation, "turnType", "") or "unknown")
            self.durations.setdefault(turn, []).append(time.perf_counter() - started)


def seat_agent(seat: Seat) -> Callable[[Any, Any], str]:
    """The agent function the judge calls for ``seat``: the move's clock starts when it is
    entered, with the judge's configuration (``actTimeout``)."""

    def agent(observation: Any, configuration: Any) -> str:
        started = time.monotonic()
        return seat.act(observation, configuration, started=started)

    return agent


def seat_agents(backend: LazyBackend, settings: AgentSettings) -> list[TimedAgent]:
    """Four timed agent functions, guesser/answerer/guesser/answerer, on one backend."""
    from agent.runtime import make_seat

    return [TimedAgent(seat_agent(make_seat(f"p{index}", settings, backend))) for index in range(4)]


def run_episode(
    agents: Sequence[AgentFn],
    keyword: Keyword,
    *,
    configuration: dict[str, Any] | None = None,
    overage: float | None = None,
    debug: bool = False,
) -> Episode:
    """Play one episode of the official judge with ``agents`` (guesser, answerer, guesser,
    answerer) on ``keyword``; ``overage`` seconds of overage per agent instead of 300."""
    judge = judge_module()
    package = kaggle_environments()
    judge.keyword = keyword.keyword
    judge.alts = list(keyword.alts)
    judge.category = keyword.category
    environment: Any = "llm_20_questions"
    if overage is not None:
        environment = dict(package.environments["llm_20_questions"])
        environment["specification"] = copy.deepcopy(environment["specification"])
        environment["specification"]["observation"]["remainingOverageTime"] = overage
    env = package.make(environment, configuration=configuration or {}, debug=debug)
    started = time.perf_counter()
    env.run(list(agents))
    seconds = time.perf_counter() - started
    final = env.steps[-1]
    return Episode(
        keyword=keyword,
        teams=(_team(final, 0), _team(final, 2)),
        seconds=seconds,
        statuses=tuple(agent.status for agent in final),
        env=env,
    )
