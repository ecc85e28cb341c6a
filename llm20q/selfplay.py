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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.runtime import LazyBackend
from agent.settings import AgentSettings
from llm20q.judge import Episode, run_episode, seat_agents
from llm20q.keywords import FILE_CATEGORY, OFFICIAL, Keyword, as_played, pick_keywords
from llm20q.replay.html import write_episode


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
        _, html = write_episode(episode, out, f"episode-{index:03d}-{slug(chosen.keyword)}")
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
