"""``llm20q bench <name>``: argparse wiring for the benchmarks (imported lazily: no numpy here).

Every benchmark prints its results as JSON (and writes them to ``--json``) with a ``targets``
block; a missed target is reported on stderr. Speed and memory targets live here, never in
timed unit tests.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from llm20q.args import add_model_argument, settings_from, write_json

BENCHMARKS = {
    "kv": "KV-cache reuse: evaluated tokens and time with and without reuse, 4-seat self-play",
    "overhead": "the agent's yes/no path and generation loop vs raw llama-cpp-python",
    "planner": "milliseconds per planner move on the knowledge folder",
    "label": "knowledge labelling: labels/s in process, raw llama.cpp, Ray with 1 and 2 actors",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "name",
        choices=sorted(BENCHMARKS),
        help="; ".join(f"{name}: {what}" for name, what in BENCHMARKS.items()),
    )
    parser.add_argument("--json", help="also write the results to this JSON file")
    add_model_argument(parser)
    parser.add_argument("--no-selfplay", action="store_true", help="kv: skip the self-play episode")
    parser.add_argument("--games", type=int, default=20, help="planner: games per mode")
    parser.add_argument("--seed", type=int, default=0, help="planner: seed of the keyword order")
    parser.add_argument("--questions", type=int, default=4, help="label: property questions")
    parser.add_argument("--candidates", type=int, default=256, help="label: top candidates")


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    results: dict[str, Any]
    if args.name == "kv":
        from llm20q.bench.kv import run as run_kv

        results = run_kv(settings, selfplay=not args.no_selfplay)
    elif args.name == "overhead":
        from llm20q.bench.overhead import run as run_overhead

        results = run_overhead(settings)
    elif args.name == "label":
        from llm20q.bench.label import run as run_label

        results = run_label(settings, questions=args.questions, candidates=args.candidates)
    else:
        from llm20q.bench.planner import run as run_planner

        results = run_planner(settings, games=args.games, seed=args.seed)
    write_json(args.json, results, echo=True)
    missed = [name for name, check in results.get("targets", {}).items() if not check["met"]]
    if missed:
        print(f"targets missed: {', '.join(missed)}", file=sys.stderr)
    return 0
