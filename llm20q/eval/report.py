"""What the evaluations report: summaries (JSON-ready), markdown tables, the cumulative-success
plot, and the header that says which commit, model and settings produced the numbers.

A game summary counts only team 1 (see :mod:`llm20q.eval.games`): solved games, rounds of the
solved ones, cumulative success by round (a share of *all* games), errors and timeouts of team
1's seats, and the latencies of its turns. matplotlib is imported only to draw the plot.

Shortcuts: percentiles are linear interpolation (:mod:`llm20q.stats`); the git state is
``rev-parse HEAD`` plus ``-dirty`` when tracked files changed (untracked files are ignored).
"""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.game import MAX_ROUNDS
from agent.settings import PROJECT_DIR
from llm20q.stats import latency_summary, seconds_summary

if TYPE_CHECKING:
    from agent.runtime import LazyBackend
    from agent.settings import AgentSettings
    from llm20q.eval.games import GameRecord, GamesResult

TURN_TYPES = ("ask", "guess", "answer")
_FAILED = ("ERROR", "INVALID")


# ----------------------------------------------------------------------------- provenance
def git_sha() -> str | None:
    """The checked-out commit, with ``-dirty`` when the work tree has changes; None without git."""
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return sha + ("-dirty" if dirty else "")


def describe_model(backend: LazyBackend) -> dict[str, Any]:
    """What the backend loaded (``describe()`` of the llama.cpp backend when available)."""
    describe = getattr(backend.loaded, "describe", None)
    if callable(describe):
        return dict(describe())
    path = backend.settings.model_path
    return {"model": path.name if path else None}


def run_header(settings: AgentSettings, backend: LazyBackend) -> dict[str, Any]:
    """Model, settings and commit of a run, for the top of its JSON report."""
    return {
        "model": describe_model(backend),
        "settings": settings.model_dump(mode="json"),
        "git_sha": git_sha(),
    }


# ---------------------------------------------------------------------------------- games
def cumulative_success(records: Sequence[GameRecord]) -> list[float]:
    """Fraction of all games solved by round 1, 2, ..., 20."""
    return solved_by_round([r.rounds for r in records if r.solved], len(records))


def solved_by_round(solved_rounds: Sequence[int], games: int) -> list[float]:
    """Fraction of ``games`` solved by round 1, 2, ..., 20, from the solved games' rounds."""
    return [
        round(sum(n <= limit for n in solved_rounds) / max(1, games), 4)
        for limit in range(1, MAX_ROUNDS + 1)
    ]


def summarise_games(result: GamesResult) -> dict[str, Any]:
    """The report's numbers (JSON-ready), per-game rows last."""
    records = result.records
    solved = [r for r in records if r.solved]
    histogram = Counter(r.rounds for r in solved)
    summary: dict[str, Any] = {
        "pairing": result.pairing,
        "games": len(records),
        "solved": len(solved),
        "success_rate": round(len(solved) / len(records), 4) if records else 0.0,
        "mean_rounds_solved": (
            round(sum(r.rounds for r in solved) / len(solved), 2) if solved else None
        ),
        "rounds_histogram": {str(n): histogram.get(n, 0) for n in range(1, MAX_ROUNDS + 1)},
        "cumulative_success": cumulative_success(records),
        "errors": sum(r.guesser_status in _FAILED or r.answerer_status in _FAILED for r in records),
        "timeouts": sum("TIMEOUT" in (r.guesser_status, r.answerer_status) for r in records),
        "seat_errors": sum(r.seat_errors for r in records),
        "latency_ms": {
            turn: latency_summary(result.durations.get(turn, [])) for turn in TURN_TYPES
        },
        "seconds_per_game": seconds_summary([r.seconds for r in records]),
        "seconds_total": round(result.seconds, 1),
    }
    summary["policies"] = dict(
        Counter(f"{r.guesser_policy} + {r.answerer_policy}" for r in records).most_common()
    )
    if result.pairing != "self":
        summary["baseline_fallbacks"] = asdict(result.baseline)
    summary["per_game"] = [asdict(r) for r in records]
    return summary


def games_table(summary: dict[str, Any]) -> str:
    """A short markdown table of one summary."""
    latency = summary["latency_ms"]

    def ms(turn: str) -> str:
        cell = latency[turn]
        return "-" if cell["p50"] is None else f"{cell['p50']:.0f} / {cell['p95']:.0f}"

    mean = summary["mean_rounds_solved"]
    return "\n".join(
        [
            "| pairing | games | solved | success | mean rounds (solved) "
            "| ask ms p50/p95 | guess ms p50/p95 | answer ms p50/p95 | errors | timeouts |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            f"| {summary['pairing']} | {summary['games']} | {summary['solved']} "
            f"| {summary['success_rate']:.1%} | {'-' if mean is None else mean} "
            f"| {ms('ask')} | {ms('guess')} | {ms('answer')} "
            f"| {summary['errors']} | {summary['timeouts']} |",
        ]
    )


def plot_cumulative(summary: dict[str, Any], path: Path, title: str = "") -> Path:
    """PNG of cumulative success (share of all games solved) by round."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display on the machines this runs on
    import matplotlib.pyplot as plt

    rounds = list(range(0, MAX_ROUNDS + 1))
    values = [0.0, *summary["cumulative_success"]]
    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    ax.step(rounds, [100 * v for v in values], where="post", label=summary["pairing"])
    ax.set_xlim(0, MAX_ROUNDS)
    ax.set_ylim(0, min(105.0, max(5.0, 100 * max(values) * 1.2)))
    ax.set_xticks(range(0, MAX_ROUNDS + 1, 2))
    ax.set_xlabel("round")
    ax.set_ylabel("games solved by this round (%)")
    ax.set_title(title or f"{summary['pairing']}: {summary['solved']}/{summary['games']} solved")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


# ------------------------------------------------------------------------------- answerer
def answerer_table(report: dict[str, Any]) -> str:
    """Markdown table: accuracy overall and per labelled kind."""
    lines = [
        "| kind | n | accuracy | yes->no | no->yes |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, cell in [*report["by_kind"].items(), ("**all**", report)]:
        n = cell.get("n", cell.get("questions"))
        lines.append(
            f"| {kind} | {n} | {cell['accuracy']:.1%} | {cell['yes_to_no']} | {cell['no_to_yes']} |"
        )
    return "\n".join(lines)
