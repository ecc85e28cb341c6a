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
    "kv": "KV-cache reuse: evaluated tokens and time with and without reuse; 4-seat self-play: "
    "tokens evaluated twice",
    "overhead": "the agent's yes/no path and generation loop vs raw llama-cpp-python",
    "planner": "milliseconds per planner move on the knowledge folder",
    "label": "knowledge labelling: labels/s in process, raw llama.cpp, Ray with 1 and 2 actors",
    "speed": "prompt and generation tokens/s of the installed llama.cpp build",
    "builds": "speed of several llama-cpp-python wheels (--wheel NAME=WHEEL), alternating, one run",
    "slow-judge": "real episodes, actTimeout 2 s, overage 20 s, a model 1.5 s slower per call and "
    "10 s slower to load: every status DONE, moves by the model vs time-saving paths",
    "fuzz": "N fuzzed observations through main.py loaded as kaggle-environments loads it: "
    "escaped exceptions, illegal actions, fallbacks by cause",
    "context": "20 rounds of 750-character questions, one seat and four seats in one process: "
    "tokens per session, re-evaluated tokens, no overflow",
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
    parser.add_argument(
        "--no-cold",
        action="store_true",
        help="kv: skip the game without cache reuse (an hour with a 1.5B model on a busy CPU)",
    )
    parser.add_argument("--games", type=int, default=20, help="planner: games per mode")
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="planner, slow-judge: seed of the keyword order; fuzz: seed of the observations",
    )
    parser.add_argument(
        "--episodes", type=int, default=20, help="slow-judge: episodes per strategy"
    )
    parser.add_argument(
        "--strategy",
        choices=("both", "llm", "planner"),
        default="both",
        help="slow-judge: the guesser strategies to play (default both)",
    )
    parser.add_argument("--n", type=int, default=10_000, help="fuzz: observations")
    parser.add_argument("--main", default="main.py", help="fuzz: the agent file to load")
    parser.add_argument("--questions", type=int, default=4, help="label: property questions")
    parser.add_argument("--candidates", type=int, default=256, help="label: top candidates")
    parser.add_argument("--repeats", type=int, default=5, help="speed, builds: repeats per run")
    parser.add_argument("--rounds", type=int, default=5, help="builds: processes per build")
    parser.add_argument(
        "--wheel",
        action="append",
        default=[],
        help="builds: NAME=WHEEL (the first is the reference)",
    )


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    results: dict[str, Any]
    if args.name == "kv":
        from llm20q.bench.kv import run as run_kv

        results = run_kv(settings, selfplay=not args.no_selfplay, cold=not args.no_cold)
    elif args.name == "overhead":
        from llm20q.bench.overhead import run as run_overhead

        results = run_overhead(settings)
    elif args.name == "label":
        from llm20q.bench.label import run as run_label

        results = run_label(settings, questions=args.questions, candidates=args.candidates)
    elif args.name == "speed":
        from agent.model.files import resolve_model_path
        from llm20q.bench.speed import measure

        results = measure(resolve_model_path(settings), settings, repeats=args.repeats)
    elif args.name == "builds":
        from llm20q.bench.builds import run as run_builds

        results = run_builds(args.wheel, model=args.model, rounds=args.rounds, repeats=args.repeats)
    elif args.name == "planner":
        from llm20q.bench.planner import run as run_planner

        results = run_planner(settings, games=args.games, seed=args.seed)
    elif args.name == "slow-judge":
        from llm20q.bench.slow_judge import run as run_slow_judge

        strategies = ("llm", "planner") if args.strategy == "both" else (args.strategy,)
        results = run_slow_judge(
            settings, episodes=args.episodes, strategies=strategies, seed=args.seed
        )
    elif args.name == "fuzz":
        from llm20q.bench.fuzz import run as run_fuzz

        results = run_fuzz(settings, main=args.main, n=args.n, seed=args.seed)
    else:
        from llm20q.bench.context import run as run_context

        results = run_context(settings)
    write_json(args.json, results, echo=True)
    missed = [name for name, check in results.get("targets", {}).items() if not check["met"]]
    if missed:
        print(f"targets missed: {', '.join(missed)}", file=sys.stderr)
    return 0
