"""Command line: ``python -m agent <command>`` (also installed as ``llm20q``).

Each command imports what it needs when it runs, so ``--help`` is instant and the Kaggle runtime
never pays for kaggle_environments, matplotlib or the knowledge builder.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agent.settings import AgentSettings


def _fetch_model(args: argparse.Namespace) -> int:
    from agent.model_files import fetch_default_model

    path = fetch_default_model(Path(args.dest))
    print(f"model ready: {path}")
    return 0


def _settings(args: argparse.Namespace) -> AgentSettings:
    from agent.settings import load_settings

    overrides = {}
    if getattr(args, "model", None):
        overrides["model_path"] = Path(args.model)
    return load_settings(**overrides)


def _selfplay(args: argparse.Namespace) -> int:
    from agent.harness.selfplay import format_table, run_selfplay

    rows = run_selfplay(
        args.episodes, Path(args.out), _settings(args), keyword=args.keyword, seed=args.seed
    )
    print(format_table(rows))
    print(f"replays (JSON + HTML) in {args.out}")
    return 0 if all(row.episode.errors == row.episode.timeouts == 0 for row in rows) else 1


def _write_json(path: str | None, payload: dict[str, Any]) -> None:
    text = json.dumps(payload, indent=2, sort_keys=False)
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text + "\n", encoding="utf-8")
    print(text)


def _bench(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.name == "kv":
        from bench.kv import run as run_kv

        results = run_kv(settings, selfplay=not args.no_selfplay)
    elif args.name == "overhead":
        from bench.overhead import run as run_overhead

        results = run_overhead(settings)
    else:
        from bench.planner import run as run_planner

        results = run_planner(settings, games=args.games, seed=args.seed)
    _write_json(args.json, results)
    missed = [name for name, check in results.get("targets", {}).items() if not check["met"]]
    if missed:
        print(f"targets missed: {', '.join(missed)}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m agent", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="<command>")

    fetch = commands.add_parser(
        "fetch-model", help="put the default GGUF (SmolLM2-135M-Instruct Q4_1) in models/"
    )
    fetch.add_argument("--dest", default="models", help="target folder (default: models)")
    fetch.set_defaults(handler=_fetch_model)

    selfplay = commands.add_parser(
        "selfplay", help="play episodes of the official judge with this agent in all four seats"
    )
    selfplay.add_argument("--episodes", type=int, default=3, help="episodes to play (default 3)")
    selfplay.add_argument("--out", default="runs/selfplay", help="folder for JSON/HTML replays")
    selfplay.add_argument("--keyword", help="play this keyword instead of official ones")
    selfplay.add_argument("--seed", type=int, default=0, help="seed of the keyword order")
    selfplay.add_argument("--model", help="GGUF to load (default: LLM20Q_MODEL_PATH or models/)")
    selfplay.set_defaults(handler=_selfplay)

    from agent.harness import eval_cli  # argparse wiring only, no heavy imports

    evaluate = commands.add_parser(
        "eval", help="success rate, rounds and latency over keyword lists (official judge)"
    )
    eval_cli.add_eval_arguments(evaluate)
    evaluate.set_defaults(handler=eval_cli.run_eval)

    eval_answerer = commands.add_parser(
        "eval-answerer", help="answerer accuracy on labelled (keyword, question, answer) triples"
    )
    eval_cli.add_eval_answerer_arguments(eval_answerer)
    eval_answerer.set_defaults(handler=eval_cli.run_eval_answerer)

    kb = commands.add_parser("kb", help="knowledge base: build it, measure lexicon coverage")
    from agent.knowledge import cli as knowledge_cli  # argparse wiring only, no heavy imports

    knowledge_cli.add_arguments(kb)
    kb.set_defaults(handler=knowledge_cli.run)

    bench = commands.add_parser("bench", help="benchmarks (speed and token targets)")
    bench.add_argument(
        "name",
        choices=["kv", "overhead", "planner"],
        help="kv: KV-cache reuse; overhead: agent vs raw llama-cpp-python; "
        "planner: milliseconds per planner move",
    )
    bench.add_argument("--json", help="also write the results to this JSON file")
    bench.add_argument("--model", help="GGUF to load (default: LLM20Q_MODEL_PATH or models/)")
    bench.add_argument("--no-selfplay", action="store_true", help="kv: skip the self-play episode")
    bench.add_argument("--games", type=int, default=20, help="planner: games per mode")
    bench.add_argument("--seed", type=int, default=0, help="planner: seed of the keyword order")
    bench.set_defaults(handler=_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        return 130
    except (OSError, RuntimeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
