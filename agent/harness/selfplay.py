"""Self-play: this agent in all four seats of the official judge, one process, one model.

Every episode gets four fresh seats (``p0``..``p3``) on one backend, so the GGUF loads once and
each seat keeps its own KV-cache sequence. Keywords come from the official list in a seeded order
(or one given keyword). Each episode's JSON and HTML replay (the env's own renderer) are written
to the output folder, and a table is printed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.harness.judge import Episode, TimedAgent, run_episode
from agent.harness.official import Keyword, official_keywords
from agent.runtime import LazyBackend, make_seat
from agent.seat import Seat
from agent.settings import AgentSettings


def pick_keywords(count: int, seed: int, keyword: str | None = None) -> list[Keyword]:
    """``count`` official keywords in a seeded order, or ``keyword`` repeated (its category and
    alternatives from the official list when it is there)."""
    known = official_keywords()
    if keyword is not None:
        match = next((k for k in known if k.keyword.lower() == keyword.lower()), None)
        return [match or Keyword(keyword, "things")] * count
    order = list(known)
    random.Random(seed).shuffle(order)
    return [order[i % len(order)] for i in range(count)]


def seat_agents(backend: LazyBackend, settings: AgentSettings) -> list[TimedAgent]:
    """Four timed agent functions, guesser/answerer/guesser/answerer, on one backend."""
    return [TimedAgent(_as_agent(make_seat(f"p{index}", settings, backend))) for index in range(4)]


def _as_agent(seat: Seat) -> Callable[[Any, Any], str]:
    def agent(observation: Any, configuration: Any) -> str:
        return seat.act(observation)

    return agent


@dataclass
class SelfPlayRow:
    index: int
    episode: Episode
    replay: Path


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "keyword"


def run_selfplay(
    episodes: int,
    out: Path,
    settings: AgentSettings,
    *,
    keyword: str | None = None,
    seed: int = 0,
    backend: LazyBackend | None = None,
) -> list[SelfPlayRow]:
    backend = backend or LazyBackend(settings)
    rows = []
    for index, chosen in enumerate(pick_keywords(episodes, seed, keyword), start=1):
        episode = run_episode(seat_agents(backend, settings), chosen)
        _, html = episode.write(out, f"episode-{index:03d}-{slug(chosen.keyword)}")
        rows.append(SelfPlayRow(index, episode, html))
    return rows


def format_table(rows: Sequence[SelfPlayRow]) -> str:
    lines = [
        "| # | keyword | result | rounds | seconds |",
        "|---|---------|--------|-------:|--------:|",
    ]
    for row in rows:
        ep = row.episode
        rounds = max(team.rounds for team in ep.teams)
        lines.append(
            f"| {row.index} | {ep.keyword.keyword} | {ep.summary()} | {rounds} | {ep.seconds:.1f} |"
        )
    return "\n".join(lines)
