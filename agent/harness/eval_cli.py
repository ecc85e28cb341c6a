"""Command-line wiring of ``python -m agent eval``, ``eval-answerer`` and ``bench overhead``.

Only argparse set-up and reporting live here; the work is in :mod:`agent.harness.evaluate` and
:mod:`bench.overhead`, imported when a command runs (so ``--help`` stays instant). Every report is
printed as a short markdown table, and the full JSON goes to ``--json`` when given.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agent.settings import AgentSettings

PAIRING_CHOICES = ("self", "vs-baseline-answerer", "vs-baseline-questioner")
DEFAULT_QUESTIONS = "data/answerer_eval.jsonl"


def _settings(args: argparse.Namespace) -> AgentSettings:
    from agent.settings import load_settings

    overrides: dict[str, object] = {}
    if getattr(args, "model", None):
        overrides["model_path"] = Path(args.model)
    return load_settings(**overrides)


def _write_json(path: str | None, payload: dict[str, Any]) -> None:
    if not path:
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"JSON written to {target}")


def _header(settings: AgentSettings, backend: Any) -> dict[str, Any]:
    from agent.harness.evaluate import describe_model, git_sha

    return {
        "model": describe_model(backend),
        "settings": settings.model_dump(mode="json"),
        "git_sha": git_sha(),
    }


# ------------------------------------------------------------------------------------- eval
def add_eval_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--keywords",
        default="official",
        help="'official' (the judge's 579 things) or a file with one keyword per line",
    )
    parser.add_argument("--games", type=int, default=10, help="games to play (default 10)")
    parser.add_argument(
        "--pairing",
        choices=PAIRING_CHOICES,
        default="self",
        help="team under test: this agent in both seats (self), this agent's guesser with the "
        "LLM-only baseline answerer, or the baseline questioner with this agent's answerer",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the keyword order (default 0)")
    parser.add_argument("--json", help="write the full report (with per-game rows) here")
    parser.add_argument("--plot", help="write a PNG of cumulative success by round here")
    parser.add_argument("--model", help="GGUF to load (default: LLM20Q_MODEL_PATH or models/)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run_eval(args: argparse.Namespace) -> int:
    """Play the games, print the table, write JSON/PNG; 1 when a game ended in an error or a
    timeout of team 1."""
    from agent.harness.evaluate import (
        evaluate_games,
        games_table,
        load_keywords,
        plot_cumulative,
        summarise_games,
    )
    from agent.runtime import LazyBackend

    settings = _settings(args)
    keywords = load_keywords(args.keywords, args.games, args.seed)
    backend = LazyBackend(settings)
    result = evaluate_games(
        keywords, args.pairing, settings, backend=backend, progress=not args.no_progress
    )
    summary = summarise_games(result)
    report = {
        **{k: v for k, v in summary.items() if k != "per_game"},
        "keywords": args.keywords,
        "seed": args.seed,
        **_header(settings, backend),
        "per_game": summary["per_game"],
    }
    print(games_table(summary))
    _write_json(args.json, report)
    if args.plot:
        model = report["model"].get("model") or "model"
        title = f"{args.pairing}, {model}: {summary['solved']}/{summary['games']} solved"
        print(f"plot written to {plot_cumulative(summary, Path(args.plot), title)}")
    return 1 if summary["errors"] or summary["timeouts"] else 0


# ---------------------------------------------------------------------------- eval-answerer
def add_eval_answerer_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--questions",
        default=DEFAULT_QUESTIONS,
        help="JSON lines of keyword, question, expected (yes|no), kind "
        f"(default {DEFAULT_QUESTIONS})",
    )
    parser.add_argument("--json", help="write the full report (with the wrong answers) here")
    parser.add_argument("--model", help="GGUF to load (default: LLM20Q_MODEL_PATH or models/)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run_eval_answerer(args: argparse.Namespace) -> int:
    from agent.harness.evaluate import answerer_table, evaluate_answerer, read_triples
    from agent.runtime import LazyBackend

    settings = _settings(args)
    triples = read_triples(Path(args.questions))
    backend = LazyBackend(settings)
    report = evaluate_answerer(triples, settings, backend=backend, progress=not args.no_progress)
    report = {"questions_file": args.questions, **report, **_header(settings, backend)}
    print(answerer_table(report))
    _write_json(args.json, report)
    if report["seat_errors"]:
        print(f"{report['seat_errors']} answer turns failed (fallback used)", file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------- bench overhead
def run_overhead(settings: AgentSettings) -> dict[str, Any]:
    """``bench overhead``: the agent's yes/no path and generation loop against raw llama-cpp."""
    from bench.overhead import run

    return run(settings)
