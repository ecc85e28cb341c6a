"""Evaluation: how often and how fast the keyword is found (official judge), and how accurate the
answerer is on a labelled set.

Games (:func:`evaluate_games`): every game is one episode of kaggle-environments' own
``llm_20_questions`` judge (:func:`agent.harness.judge.run_episode`, keyword set for that game;
the judge's ``keyword_guessed`` decides). Team 1 (seats 0 and 1) is the pairing under test:

- ``self``: this agent's guesser with this agent's answerer (seats from ``make_seat``);
- ``vs-baseline-answerer``: this agent's guesser with the plain LLM-only baseline answerer;
- ``vs-baseline-questioner``: the baseline guesser (questioner) with this agent's answerer.

The judge ends the episode as soon as either team guesses right or errs, so team 2 is a fixed
pair that can do neither: a guesser that always asks "Is it a thing?" and guesses a nonsense
word, and an answerer that always says "no". Only team 1 is reported. All seats of team 1 share
one backend (the GGUF is loaded once, before the first game, so load time is not in the
latencies), and every game gets fresh seats.

Answerer accuracy (:func:`evaluate_answerer`): each (keyword, question, expected) triple is put
to a fresh seat from ``make_seat`` as round 1 of a game (so exactly the answerer the agent plays
with, rules included); all triples use one session name, so the backend's cached prefix is reused.

Shortcuts: latencies are wall times of the seat's ``act`` (what the judge waits for), not of
the env's step; percentiles interpolate linearly between order statistics.
"""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from agent.baseline import BaselineStats, make_baseline_seat
from agent.game import MAX_ROUNDS
from agent.harness.judge import TimedAgent, judge_module, run_episode
from agent.harness.official import Keyword, official_keywords
from agent.llm import ChatBackend
from agent.runtime import LazyBackend, make_seat
from agent.seat import Seat
from agent.settings import PROJECT_DIR, AgentSettings

PAIRINGS = ("self", "vs-baseline-answerer", "vs-baseline-questioner")
TURN_TYPES = ("ask", "guess", "answer")

# Team 2: never guesses right, never errs, so it never ends team 1's game.
DUMMY_QUESTION = "Is it a thing?"
DUMMY_GUESS = "zzxqv"


def dummy_guesser(observation: Any, _configuration: Any) -> str:
    return DUMMY_GUESS if getattr(observation, "turnType", "") == "guess" else DUMMY_QUESTION


def dummy_answerer(_observation: Any, _configuration: Any) -> str:
    return "no"


# ------------------------------------------------------------------------------- statistics
def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100) with linear interpolation (numpy's default method)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0.0 <= q <= 100.0:
        raise ValueError(f"percentile {q} is outside 0..100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_summary(seconds: Sequence[float]) -> dict[str, float | int | None]:
    """p50 and p95 in milliseconds, and the count."""
    if not seconds:
        return {"n": 0, "p50": None, "p95": None}
    return {
        "n": len(seconds),
        "p50": round(percentile(seconds, 50) * 1000, 1),
        "p95": round(percentile(seconds, 95) * 1000, 1),
    }


def seconds_summary(seconds: Sequence[float]) -> dict[str, float | None]:
    """p50 and p95 in seconds."""
    if not seconds:
        return {"p50": None, "p95": None}
    return {"p50": round(percentile(seconds, 50), 2), "p95": round(percentile(seconds, 95), 2)}


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
    loaded = backend.loaded
    describe = getattr(loaded, "describe", None)
    if callable(describe):
        return dict(describe())
    path = backend.settings.model_path
    return {"model": path.name if path else None}


# --------------------------------------------------------------------------------- keywords
def read_keyword_file(path: Path) -> list[str]:
    """One keyword per line; blank lines and ``#`` comments are skipped."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.strip()
        if word and not word.startswith("#"):
            words.append(word)
    if not words:
        raise ValueError(f"{path} holds no keywords")
    return words


def load_keywords(source: str, games: int, seed: int) -> list[Keyword]:
    """``games`` keywords from ``official`` (the judge's 579 things) or a file, in a seeded order
    (cycling when more games than keywords are asked for). A file's keyword that is also in the
    official list gets the official category and alternatives."""
    if games < 1:
        raise ValueError("--games must be at least 1")
    known = official_keywords()
    if source == "official":
        pool = list(known)
    else:
        path = Path(source)
        if not path.is_file():
            raise ValueError(f"keyword file not found: {path} (or pass 'official')")
        by_name = {k.keyword.lower(): k for k in known}
        pool = [by_name.get(w.lower(), Keyword(w, "things")) for w in read_keyword_file(path)]
    random.Random(seed).shuffle(pool)
    return [pool[i % len(pool)] for i in range(games)]


# ------------------------------------------------------------------------------------ games
@dataclass
class GameRecord:
    """Team 1's result in one game."""

    index: int
    keyword: str
    solved: bool
    rounds: int
    seconds: float
    guesser_status: str
    answerer_status: str
    seat_errors: int
    last_guess: str | None
    guesser_policy: str
    answerer_policy: str


@dataclass
class TeamOne:
    """Team 1's two timed agents and the seats behind them."""

    guesser: TimedAgent
    answerer: TimedAgent
    seats: tuple[Seat, Seat]


def team_one(
    pairing: str, settings: AgentSettings, backend: Callable[[], ChatBackend], stats: BaselineStats
) -> TeamOne:
    """Fresh seats for one game of ``pairing``."""
    if pairing not in PAIRINGS:
        raise ValueError(f"unknown pairing {pairing!r}: choose one of {', '.join(PAIRINGS)}")
    guesser: Seat
    answerer: Seat
    if pairing == "vs-baseline-questioner":
        guesser = make_baseline_seat("baseline-g", settings, backend, stats)
    else:
        guesser = make_seat("eval-g", settings, backend)
    if pairing == "vs-baseline-answerer":
        answerer = make_baseline_seat("baseline-a", settings, backend, stats)
    else:
        answerer = make_seat("eval-a", settings, backend)
    return TeamOne(
        guesser=TimedAgent(lambda obs, _cfg: guesser.act(obs)),
        answerer=TimedAgent(lambda obs, _cfg: answerer.act(obs)),
        seats=(guesser, answerer),
    )


def _solved_by_question(questions: Sequence[str], guesses: Sequence[str]) -> bool:
    """The judge also ends a game when a *question* matches the keyword (its ``guesser_action``
    checks every guesser action): true when the last action was such a question."""
    return len(questions) > len(guesses) and bool(judge_module().keyword_guessed(questions[-1]))


def play_game(
    index: int,
    keyword: Keyword,
    pairing: str,
    settings: AgentSettings,
    backend: Callable[[], ChatBackend],
    stats: BaselineStats,
    durations: dict[str, list[float]],
) -> GameRecord:
    """One official episode with team 1 = ``pairing``; adds team 1's turn times to
    ``durations``."""
    team = team_one(pairing, settings, backend, stats)
    episode = run_episode(
        [team.guesser, team.answerer, dummy_guesser, dummy_answerer], keyword, debug=False
    )
    result = episode.teams[0]
    solved = result.solved or _solved_by_question(result.questions, result.guesses)
    for agent in (team.guesser, team.answerer):
        for turn, seconds in agent.durations.items():
            durations.setdefault(turn, []).extend(seconds)
    return GameRecord(
        index=index,
        keyword=keyword.keyword,
        solved=solved,
        rounds=result.rounds,
        seconds=round(episode.seconds, 3),
        guesser_status=result.guesser_status,
        answerer_status=result.answerer_status,
        seat_errors=sum(seat.errors for seat in team.seats),
        last_guess=result.guesses[-1] if result.guesses else None,
        guesser_policy=type(team.seats[0].policies.guesser).__name__,
        answerer_policy=type(team.seats[1].policies.answerer).__name__,
    )


@dataclass
class GamesResult:
    pairing: str
    records: list[GameRecord]
    durations: dict[str, list[float]]
    baseline: BaselineStats
    seconds: float


def evaluate_games(
    keywords: Sequence[Keyword],
    pairing: str,
    settings: AgentSettings,
    *,
    backend: LazyBackend | None = None,
    progress: bool = True,
) -> GamesResult:
    """Play one game per keyword with team 1 = ``pairing``."""
    if pairing not in PAIRINGS:
        raise ValueError(f"unknown pairing {pairing!r}: choose one of {', '.join(PAIRINGS)}")
    backend = backend or LazyBackend(settings)
    judge_module()  # the 14 s import of kaggle_environments, before the clock and the bar
    backend()  # load the GGUF once, before any turn is timed
    stats = BaselineStats()
    durations: dict[str, list[float]] = {}
    records: list[GameRecord] = []
    bar = _progress_bar(len(keywords), pairing) if progress else None
    started = time.perf_counter()
    try:
        for index, keyword in enumerate(keywords, start=1):
            record = play_game(index, keyword, pairing, settings, backend, stats, durations)
            records.append(record)
            if bar is not None:
                bar.set_postfix(solved=sum(r.solved for r in records), refresh=False)
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return GamesResult(pairing, records, durations, stats, time.perf_counter() - started)


def _progress_bar(total: int, label: str) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=label, unit="game", file=sys.stderr, dynamic_ncols=True)


def summarise_games(result: GamesResult) -> dict[str, Any]:
    """The report's numbers (JSON-ready); see the module docstring for what a game is."""
    records = result.records
    solved = [r for r in records if r.solved]
    histogram = Counter(r.rounds for r in solved)
    bad = ("ERROR", "INVALID")
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
        "errors": sum(r.guesser_status in bad or r.answerer_status in bad for r in records),
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


def cumulative_success(records: Sequence[GameRecord]) -> list[float]:
    """Fraction of all games solved by round 1, 2, ..., 20."""
    if not records:
        return [0.0] * MAX_ROUNDS
    solved_rounds = [r.rounds for r in records if r.solved]
    return [
        round(sum(n <= limit for n in solved_rounds) / len(records), 4)
        for limit in range(1, MAX_ROUNDS + 1)
    ]


def games_table(summary: dict[str, Any]) -> str:
    """A short markdown table of one summary."""
    lat = summary["latency_ms"]

    def ms(turn: str) -> str:
        cell = lat[turn]
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

    matplotlib.use("Agg")
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


# --------------------------------------------------------------------------- answerer eval
@dataclass(frozen=True)
class Triple:
    keyword: str
    question: str
    expected: str
    kind: str
    category: str = "things"


def read_triples(path: Path) -> list[Triple]:
    """(keyword, question, expected yes|no, kind) per JSON line; errors name the line."""
    if not path.is_file():
        raise ValueError(f"questions file not found: {path}")
    triples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            expected = str(row["expected"]).strip().lower()
            if expected not in ("yes", "no"):
                raise ValueError(f"expected must be yes or no, not {row['expected']!r}")
            triples.append(
                Triple(
                    keyword=str(row["keyword"]),
                    question=str(row["question"]),
                    expected=expected,
                    kind=str(row.get("kind") or "unlabelled"),
                    category=str(row.get("category") or "things"),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: {error}") from error
    if not triples:
        raise ValueError(f"{path} holds no triples")
    return triples


def answer_observation(triple: Triple) -> dict[str, Any]:
    """The judge's observation for an answerer asked ``triple.question`` in round 1."""
    return {
        "role": "answerer",
        "turnType": "answer",
        "questions": [triple.question],
        "answers": [],
        "guesses": [],
        "keyword": triple.keyword,
        "category": triple.category,
        "step": 1,
    }


def _tally(rows: Iterable[tuple[Triple, str]]) -> dict[str, Any]:
    rows = list(rows)
    correct = sum(t.expected == got for t, got in rows)
    return {
        "n": len(rows),
        "correct": correct,
        "accuracy": round(correct / len(rows), 4) if rows else None,
        "yes_to_no": sum(t.expected == "yes" and got == "no" for t, got in rows),
        "no_to_yes": sum(t.expected == "no" and got == "yes" for t, got in rows),
    }


def evaluate_answerer(
    triples: Sequence[Triple],
    settings: AgentSettings,
    *,
    backend: LazyBackend | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Accuracy of ``make_seat``'s answerer on ``triples``, overall, by labelled kind and by the
    rules' own ``classify`` kind, with the confusion (yes->no, no->yes) of each."""
    from agent.rules import classify

    backend = backend or LazyBackend(settings)
    backend()
    order = sorted(range(len(triples)), key=lambda i: triples[i].keyword.lower())
    answers: dict[int, str] = {}
    seconds: list[float] = []
    seat_errors = 0
    bar = _progress_bar(len(triples), "answerer") if progress else None
    try:
        for i in order:
            seat = make_seat("eval-answerer", settings, backend)
            started = time.perf_counter()
            answers[i] = seat.act(answer_observation(triples[i]))
            seconds.append(time.perf_counter() - started)
            seat_errors += seat.errors
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    rows = [(t, answers[i]) for i, t in enumerate(triples)]
    by_kind: dict[str, list[tuple[Triple, str]]] = {}
    by_rule: dict[str, list[tuple[Triple, str]]] = {}
    for triple, got in rows:
        by_kind.setdefault(triple.kind, []).append((triple, got))
        by_rule.setdefault(classify(triple.question).value, []).append((triple, got))
    overall = _tally(rows)
    return {
        "questions": len(rows),
        "correct": overall["correct"],
        "accuracy": overall["accuracy"],
        "yes_to_no": overall["yes_to_no"],
        "no_to_yes": overall["no_to_yes"],
        "by_kind": {kind: _tally(group) for kind, group in sorted(by_kind.items())},
        "by_rule_kind": {kind: _tally(group) for kind, group in sorted(by_rule.items())},
        "latency_ms": latency_summary(seconds),
        "seat_errors": seat_errors,
        "wrong": [
            {"keyword": t.keyword, "question": t.question, "expected": t.expected, "kind": t.kind}
            for t, got in rows
            if got != t.expected
        ],
    }


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
