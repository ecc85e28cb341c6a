"""Self-play: this agent in all four seats of the official judge, one process, one model.

Every episode gets four fresh seats (``p0``..``p3``) on one backend, so the GGUF loads once and
each seat keeps its own KV-cache sequence. Keywords come from the official list in a seeded order
(or one given keyword, with its official category and alternatives when it is on the list).
Each episode's JSON and HTML replay (the env's own renderer) are written to the output folder,
and a table is printed.

Shortcut: both teams are this agent, so the table gives one result per episode and the rounds of
the longer-playing team.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.runtime import LazyBackend, make_seat
from agent.seat import Seat
from agent.settings import AgentSettings
from llm20q.judge import Episode, TimedAgent, run_episode
from llm20q.keywords import FILE_CATEGORY, OFFICIAL, Keyword, as_played, pick_keywords


def seat_agents(backend: LazyBackend, settings: AgentSettings) -> list[TimedAgent]:
    """Four timed agent functions, guesser/answerer/guesser/answerer, on one backend."""
    return [TimedAgent(seat_agent(make_seat(f"p{index}", settings, backend))) for index in range(4)]


def seat_agent(seat: Seat) -> Callable[[Any, Any], str]:
    """The agent function the judge calls for ``seat``: the move's clock starts when it is
    entered, with the judge's configuration (``actTimeout``)."""

    def agent(observation: Any, configuration: Any) -> str:
        started = time.monotonic()
        return seat.act(observation, configuration, started=started)

    return agent


@dataclass
class SelfPlayRow:
    """One played episode and the HTML replay written for it."""

    index: int
    episode: Episode
    replay: Path


def slug(text: str) -> str:
    """A file-name-safe form of a keyword: lowercase letters and digits joined by hyphens."""
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
    """``episodes`` episodes (official keywords in a seeded order, or ``keyword`` every time),
    each written to ``out`` as JSON and HTML."""
    backend = backend or LazyBackend(settings)
    if keyword is not None:
        keywords = [as_played(Keyword(keyword, FILE_CATEGORY))] * episodes
    else:
        keywords = pick_keywords(OFFICIAL, episodes, seed)
    rows = []
    for index, chosen in enumerate(keywords, start=1):
        episode = run_episode(seat_agents(backend, settings), chosen)
        _, html = episode.write(out, f"episode-{index:03d}-{slug(chosen.keyword)}")
        rows.append(SelfPlayRow(index, episode, html))
    return rows


def format_table(rows: Sequence[SelfPlayRow]) -> str:
    """A markdown table: keyword, result, rounds, seconds and replay file of every episode."""
    lines = [
        "| # | keyword | result | rounds | seconds | replay |",
        "|---|---------|--------|-------:|--------:|--------|",
    ]
    for row in rows:
        ep = row.episode
        rounds = max(team.rounds for team in ep.teams)
        lines.append(
            f"| {row.index} | {ep.keyword.keyword} | {ep.summary()} | {rounds} "
            f"| {ep.seconds:.1f} | {row.replay.name} |"
        )
    return "\n".join(lines)
