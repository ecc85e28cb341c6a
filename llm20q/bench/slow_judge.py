"""Slow-judge benchmark: real episodes on a tight clock with a slow model; never a TIMEOUT.

Real kaggle-environments episodes of ``llm_20_questions`` with ``actTimeout`` cut to 2 s and each
agent's overage to 20 s (the env's specification is changed before ``make``), four seats of this
agent in one process on a slowed backend: the real tiny GGUF behind :class:`SlowBackend`, which
adds 1.5 s to every call and 10 s to the load (a fresh load per episode, as a Kaggle process
would). Each strategy plays ``episodes`` episodes on official keywords in a seeded order: ``llm``
(every turn is the model's: the LLM guesser and the plain LLM answerer, no rules, as in
``bench kv``) and ``planner`` (the default: planner guesser, rule-first answerer).

Printed and written to the JSON: every episode's statuses, the TIMEOUT and ERROR counts, the
moves played by the model vs without it (the planner, rules or table by design, time-saving
paths, fallbacks), the time-saving decisions and fallbacks by cause, move durations and the
overage spent. Target: every status DONE (0 TIMEOUT, 0 ERROR).

Shortcut: the slow-down is a sleep, so it costs wall time but no CPU; the tiny model's own compute
comes on top of it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

from agent import events
from agent.model.protocol import CallStats, ChatBackend, ChatMessage, GenerateOptions
from agent.runtime import LazyBackend, load_llama_backend, make_seat
from agent.seat import MoveSource
from agent.settings import AgentSettings, Strategy
from llm20q.judge import run_episode, seat_agent
from llm20q.keywords import OFFICIAL, pick_keywords
from llm20q.stats import median_p95_max

ACT_TIMEOUT = 2.0
OVERAGE = 20.0
CALL_SECONDS = 1.5
LOAD_SECONDS = 10.0


class SlowBackend:
    """A chat backend that takes ``call_seconds`` longer per call than ``inner`` (a sleep first,
    then the real call with the same deadline)."""

    def __init__(self, inner: ChatBackend, call_seconds: float) -> None:
        self.inner = inner
        self.call_seconds = call_seconds

    @property
    def last_call(self) -> CallStats | None:
        return getattr(self.inner, "last_call", None)

    def yes_probability(
        self, session: str, messages: Sequence[ChatMessage], *, deadline: float | None = None
    ) -> float:
        time.sleep(self.call_seconds)
        return self.inner.yes_probability(session, messages, deadline=deadline)

    def generate(
        self, session: str, messages: Sequence[ChatMessage], options: GenerateOptions
    ) -> str:
        time.sleep(self.call_seconds)
        return self.inner.generate(session, messages, options)


def slow_loader(settings: AgentSettings, load_seconds: float, call_seconds: float) -> LazyBackend:
    """The process backend, loaded in ``load_seconds`` more than the real one, slowed per call."""

    def load() -> ChatBackend:
        time.sleep(load_seconds)
        return SlowBackend(load_llama_backend(settings), call_seconds)

    return LazyBackend(settings, load)


def play_strategy(
    settings: AgentSettings, episodes: int, seed: int, *, quiet: bool = True
) -> dict[str, Any]:
    """``episodes`` slow-judge episodes with the settings' strategy."""
    rows: list[dict[str, Any]] = []
    played_by: Counter[MoveSource] = Counter()
    durations: list[float] = []
    over_act_timeout = 0
    decisions_before = Counter(events.COUNTS)
    for index, keyword in enumerate(pick_keywords(OFFICIAL, episodes, seed), start=1):
        loader = slow_loader(settings, LOAD_SECONDS, CALL_SECONDS)
        seats = [make_seat(f"p{i}", settings, loader) for i in range(4)]
        episode = run_episode(
            [seat_agent(seat) for seat in seats],
            keyword,
            configuration={"actTimeout": ACT_TIMEOUT},
            overage=OVERAGE,
        )
        final = episode.env.steps[-1]
        overage_spent = [
            round(OVERAGE - agent.observation.remainingOverageTime, 3) for agent in final
        ]
        for seat in seats:
            played_by.update(seat.played_by)
            durations.extend(seat.clock.durations)
            over_act_timeout += seat.clock.overruns
        rows.append(
            {
                "episode": index,
                "keyword": keyword.keyword,
                "statuses": list(episode.statuses),
                "result": episode.summary(),
                "rounds": max(team.rounds for team in episode.teams),
                "seconds": round(episode.seconds, 1),
                "overage_spent": overage_spent,
                "model_load_seconds": round(loader.load_seconds or 0.0, 2),
            }
        )
        if not quiet:
            print(f"{settings.strategy.value} {index}/{episodes} {keyword.keyword}: "
                  f"{rows[-1]['result']} {rows[-1]['statuses']} in {rows[-1]['seconds']} s",
                  flush=True)  # fmt: skip
        backend = loader.loaded
        if isinstance(backend, SlowBackend):
            close = getattr(backend.inner, "close", None)
            if close is not None:
                close()
    decisions = Counter(events.COUNTS)
    decisions.subtract(decisions_before)
    statuses = Counter(status for row in rows for status in row["statuses"])
    return {
        "episodes": rows,
        "statuses": dict(statuses),
        "done_episodes": sum(set(row["statuses"]) == {"DONE"} for row in rows),
        "timeouts": statuses.get("TIMEOUT", 0),
        "errors": statuses.get("ERROR", 0),
        "moves_played_by": {source.value: n for source, n in played_by.items()},
        "decisions": {f"{kind} {cause}": n for (kind, cause), n in sorted(decisions.items()) if n},
        "move_seconds": median_p95_max(durations),
        "moves_over_act_timeout": over_act_timeout,
        "max_overage_spent": max((s for row in rows for s in row["overage_spent"]), default=0.0),
    }


def run(
    settings: AgentSettings, *, episodes: int, strategies: Sequence[str], seed: int
) -> dict[str, Any]:
    results: dict[str, Any] = {
        "act_timeout": ACT_TIMEOUT,
        "overage": OVERAGE,
        "call_seconds": CALL_SECONDS,
        "load_seconds": LOAD_SECONDS,
    }
    for name in strategies:
        llm = name == Strategy.LLM.value
        chosen = settings.model_copy(update={"strategy": Strategy(name), "answerer_rules": not llm})
        results[name] = play_strategy(chosen, episodes, seed, quiet=False)
    total = episodes * len(strategies)
    done = sum(results[name]["done_episodes"] for name in strategies)
    results["targets"] = {
        "all_done": {"target": total, "value": done, "met": done == total},
        "timeouts": {
            "target": 0,
            "value": sum(results[name]["timeouts"] for name in strategies),
            "met": all(results[name]["timeouts"] == 0 for name in strategies),
        },
    }
    return results
