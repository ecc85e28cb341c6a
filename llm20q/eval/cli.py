"""Command-line wiring of ``llm20q eval`` and ``llm20q eval-answerer``.

Only argparse set-up and printing live here; the work is in :mod:`llm20q.eval.games`,
:mod:`llm20q.eval.answerer` and :mod:`llm20q.eval.report`, imported when a command runs (so
``--help`` stays instant and imports neither numpy nor kaggle_environments). Every report is
printed as a short markdown table, and the full JSON goes to ``--json`` when given.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from llm20q.args import add_model_argument, settings_from, write_json
from llm20q.eval import PAIRINGS
from llm20q.eval.profiles import PROFILES

if TYPE_CHECKING:
    from agent.settings import AgentSettings
    from llm20q.eval.answerer import Triple

DEFAULT_QUESTIONS = "data/answerer_eval.jsonl"


# ------------------------------------------------------------------------------------- eval
def partner_name(text: str) -> str:
    """A simulated profile or ``llm:GGUF[:style]`` (the file is checked when the games start)."""
    if text in PROFILES or (text.startswith("llm:") and len(text) > len("llm:")):
        return text
    raise argparse.ArgumentTypeError(
        f"{text!r}: choose a profile ({', '.join(PROFILES)}) or llm:GGUF[:style]"
    )


def add_eval_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--keywords",
        default="official",
        help="'official' (the judge's 579 things) or a file: one keyword per line, '#' comments, "
        "'a|b' = keyword a with alternative b",
    )
    parser.add_argument("--games", type=int, default=10, help="games to play (default 10)")
    parser.add_argument(
        "--pairing",
        choices=PAIRINGS,
        default="self",
        help="team under test: this agent in both seats (self), this agent's guesser with the "
        "LLM-only baseline answerer, the baseline questioner with this agent's answerer, this "
        "agent's guesser with a simulated partner (vs-partner, see --partner), or the LLM-only "
        "team (baseline: the starter notebook's questioner and answerer on the same model)",
    )
    parser.add_argument(
        "--partner",
        type=partner_name,
        help=f"the answerer of --pairing vs-partner: a simulated profile "
        f"({', '.join(PROFILES)}) or a plain LLM, llm:GGUF[:style] with style "
        "zero-shot (default: the keyword in the system prompt), few-shot ('Thing / Question' "
        "turns) or notebook (the starter notebook's prompts)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the keyword order (default 0)")
    parser.add_argument("--json", help="write the full report (with per-game rows) here")
    parser.add_argument("--plot", help="write a PNG of cumulative success by round here")
    add_model_argument(parser)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run_eval(args: argparse.Namespace) -> int:
    """Play the games, print the table, write JSON/PNG; 1 when a game ended in an error or a
    timeout of team 1."""
    from agent.runtime import LazyBackend
    from llm20q.eval.games import evaluate_games
    from llm20q.eval.report import games_table, plot_cumulative, run_header, summarise_games
    from llm20q.keywords import pick_keywords

    if (args.pairing == "vs-partner") != (args.partner is not None):
        raise ValueError("--partner goes with --pairing vs-partner, and it needs one")
    settings = settings_from(args)
    keywords = pick_keywords(args.keywords, args.games, args.seed)
    backend = LazyBackend(settings)
    result = evaluate_games(
        keywords,
        args.pairing,
        settings,
        backend=backend,
        progress=not args.no_progress,
        partner=args.partner,
    )
    summary = summarise_games(result)
    report = {
        **{k: v for k, v in summary.items() if k != "per_game"},
        "keywords": args.keywords,
        "seed": args.seed,
        **run_header(settings, backend),
        "per_game": summary["per_game"],
    }
    print(games_table(summary))
    write_json(args.json, report)
    if args.plot:
        model = report["model"].get("model") or "model"
        pairing = f"{args.pairing} {args.partner}" if args.partner else args.pairing
        title = f"{pairing}, {model}: {summary['solved']}/{summary['games']} solved"
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
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="fit the yes threshold on part of the triples (--split) and report the held-out "
        "accuracy by kind before and after (llm20q.eval.calibrate)",
    )
    parser.add_argument(
        "--split", type=float, default=0.5, help="calibrate: share of each kind used to fit"
    )
    parser.add_argument("--seed", type=int, default=0, help="calibrate: seed of the split")
    parser.add_argument(
        "--card",
        action="store_true",
        help="calibrate: then ask every triple at the calibrated threshold and write the model's "
        "card (models/cards/<name>.json beside the GGUF: threshold, accuracy by kind, p95 "
        "seconds per answer, prompt tokens/s), which the agent reads",
    )
    add_model_argument(parser)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run_calibrate(args: argparse.Namespace) -> int:
    """``eval-answerer --calibrate``: print the before/after table and the thresholds."""
    from llm20q.eval.answerer import read_triples
    from llm20q.eval.calibrate import calibrate, calibration_table
    from llm20q.eval.report import git_sha

    settings = settings_from(args)
    triples = read_triples(Path(args.questions))
    report = calibrate(
        triples, settings, fraction=args.split, seed=args.seed, progress=not args.no_progress
    )
    settings_json = settings.model_dump(mode="json")
    report = {"questions_file": args.questions, **report, "git_sha": git_sha()}
    report["settings"] = settings_json
    print(calibration_table(report))
    answerer, labels = report["answerer"], report["label_prompt"]
    print(
        f"answerer: LLM20Q_YES_THRESHOLD={answerer['threshold_calibrated']} "
        f"(prompt {report['answerer_prompt']}); labels: kb merge --llm-threshold "
        f"{labels['threshold_calibrated']}"
    )
    write_json(args.json, report)
    if args.card:
        threshold = float(answerer["threshold_calibrated"])
        write_model_card(args, settings.model_copy(update={"yes_threshold": threshold}), triples)
    return 0


def write_model_card(
    args: argparse.Namespace, settings: AgentSettings, triples: Sequence[Triple]
) -> None:
    """Every triple again at the calibrated threshold, and the card from what was measured."""
    from agent.model.card import write_card
    from agent.model.files import resolve_model_path
    from agent.runtime import LazyBackend
    from llm20q.eval.answerer import evaluate_answerer
    from llm20q.eval.report import answerer_table, git_sha
    from llm20q.models.cards import measured_card

    model = resolve_model_path(settings)
    backend = LazyBackend(settings)
    evaluation = evaluate_answerer(
        triples, settings, backend=backend, progress=not args.no_progress
    )
    print(answerer_table(evaluation))
    card = measured_card(model, settings, evaluation, backend(), git_sha() or "")
    print(f"model card written: {write_card(model, card)}")


def run_eval_answerer(args: argparse.Namespace) -> int:
    """Ask every triple, print the accuracy table, write the JSON; 0 even with wrong answers (a
    failed turn is reported on stderr)."""
    from agent.runtime import LazyBackend
    from llm20q.eval.answerer import evaluate_answerer, read_triples
    from llm20q.eval.report import answerer_table, run_header

    if args.calibrate:
        return run_calibrate(args)
    settings = settings_from(args)
    triples = read_triples(Path(args.questions))
    backend = LazyBackend(settings)
    report = evaluate_answerer(triples, settings, backend=backend, progress=not args.no_progress)
    report = {"questions_file": args.questions, **report, **run_header(settings, backend)}
    print(answerer_table(report))
    write_json(args.json, report)
    if report["seat_errors"]:
        print(f"{report['seat_errors']} answer turns failed (fallback used)", file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------- eval-partners
def add_partners_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--keywords",
        default="data/heldout_things.txt,official",
        help="comma-separated keyword sources: 'official' or keyword files "
        "(default: the held-out things and the official list)",
    )
    parser.add_argument("--count", type=int, default=0, help="keywords per source (0 = all)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the keyword order and coins")
    parser.add_argument(
        "--partners",
        default=",".join(PROFILES),
        help=f"comma-separated profiles (default: all of {', '.join(PROFILES)})",
    )
    parser.add_argument(
        "--knowledge",
        type=Path,
        required=True,
        help="knowledge folder of this agent (build one with `kb build --exclude-official` for "
        "honest numbers on the official list)",
    )
    parser.add_argument("--set", action="append", default=[], help="setting=value (repeatable)")
    parser.add_argument("--before", metavar="REF", help="also play the agent of git commit REF")
    parser.add_argument(
        "--before-knowledge",
        type=Path,
        help="knowledge folder of the REF side (default: --knowledge)",
    )
    parser.add_argument(
        "--before-set", action="append", default=[], help="setting=value for the REF side"
    )
    parser.add_argument(
        "--real-games",
        type=int,
        default=0,
        help="also N games per source with the plain LLM answerer and questioner (loads the model)",
    )
    parser.add_argument("--local-judge", action="store_true", help="match guesses locally")
    parser.add_argument("--json", help="write every summary and game here")
    parser.add_argument("--plot", help="write a PNG of cumulative success by round here")
    add_model_argument(parser)


def run_partners(args: argparse.Namespace) -> int:
    """Play every partner profile on every keyword list (before and after), print the table,
    write the JSON and the plot."""
    from llm20q.eval import suite, suite_report

    args.sources = suite.absolute_sources(args.keywords.split(","))
    args.partners = suite.partner_list(args.partners)
    report = suite.run_suite(args)
    print(suite_report.suite_table(report["summaries"]))
    for line in suite_report.people_agreement_lines(report["people_agreement"]):
        print(line)
    write_json(args.json, report)
    if args.plot:
        print(f"plot written to {suite_report.plot_suite(report['summaries'], Path(args.plot))}")
    return 0
