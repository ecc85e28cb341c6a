"""``llm20q kb label`` and ``llm20q kb merge``: argparse wiring and printing.

``kb label --work DIR [--kb KNOWLEDGE] [--model GGUF] [--questions property|taxonomy|all|FILE]
[--top N | --candidates official|FILE] [--actors N] [--threads T] [--gpus G] [--address auto]
[--out MERGED]`` labels p(yes | candidate, question) on Ray into the run folder DIR
(:mod:`llm20q.kb.label.plan`, :mod:`llm20q.kb.label.run`); run again with the same arguments
to resume after a kill. With ``--out`` it then writes the merged knowledge folder
(:mod:`llm20q.kb.label.merge`); ``kb merge --kb KNOWLEDGE --labels DIR --out MERGED`` does that
alone (e.g. with other ``--weight table=W --weight llm=W``).

Only the wiring lives here; numpy, Ray and the model are imported when a command runs.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from llm20q.kb.options import DEFAULT_OUT


def _add_merge_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="SOURCE=W",
        help="weight of a source in the merged p(yes): table=W (the base folder's, from "
        "WordNet) or llm=W (the labels); both 1 by default",
    )
    parser.add_argument(
        "--llm-threshold",
        type=float,
        default=0.5,
        metavar="T",
        help="re-centre the LLM's p(yes) so that T maps to 0.5 (the label prompt's calibrated "
        "threshold from `llm20q eval-answerer --calibrate`; default %(default)s: unchanged)",
    )


def add_label_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--work", type=Path, required=True, help="run folder (shards, plan)")
    parser.add_argument("--kb", type=Path, default=DEFAULT_OUT, help="base knowledge folder")
    parser.add_argument(
        "--model", help="GGUF to label with (default: LLM20Q_MODEL_PATH, else the one in models/)"
    )
    parser.add_argument(
        "--questions",
        default="property",
        help="property, taxonomy or all of the folder's table questions, or a file of "
        "questions (one a line) (default %(default)s)",
    )
    parser.add_argument("--max-questions", type=int, metavar="K", help="only the first K")
    parser.add_argument(
        "--top", type=int, default=20_000, help="label the N candidates of highest prior"
    )
    parser.add_argument(
        "--candidates", help="label these keywords instead: 'official' or a keyword file"
    )
    parser.add_argument(
        "--shard-size", type=int, default=2000, help="candidates per shard (default %(default)s)"
    )
    parser.add_argument("--actors", type=int, default=2, help="Ray actors, one model each")
    parser.add_argument(
        "--threads", type=int, default=1, help="llama.cpp threads (and Ray CPUs) per actor"
    )
    parser.add_argument(
        "--gpus", type=float, default=0.0, help="GPUs per actor (all layers offloaded when > 0)"
    )
    parser.add_argument(
        "--lanes", type=int, default=32, help="keywords per decode (sequences sharing a prefix)"
    )
    parser.add_argument("--batch-tokens", type=int, default=512, help="tokens per decode")
    parser.add_argument(
        "--address", help="Ray cluster to join ('auto': the running one); default a local Ray"
    )
    parser.add_argument("--out", type=Path, help="then write the merged knowledge folder here")
    _add_merge_options(parser)
    parser.add_argument("--json", help="write the run's counts and rates here")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def add_merge_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kb", type=Path, default=DEFAULT_OUT, help="base knowledge folder")
    parser.add_argument("--labels", type=Path, required=True, help="a `kb label` run folder")
    parser.add_argument("--out", type=Path, required=True, help="merged knowledge folder")
    _add_merge_options(parser)


def _merge(base: Path, labels: Path, out: Path, args: argparse.Namespace) -> None:
    from llm20q.kb.label.merge import MergeOptions, merge_labels, parse_weights

    weights = parse_weights(args.weight)
    options = MergeOptions(weights["table"], weights["llm"], args.llm_threshold)
    manifest = merge_labels(base, labels, out, options)
    counts = manifest["counts"]
    print(
        f"merged {counts['llm_labels']} labels into {out}: {counts['merged_questions']} "
        f"questions pooled, {counts['new_questions']} new"
    )


def run_label(args: argparse.Namespace) -> int:
    """Plan, label the missing shards on Ray, print the counts; merge when ``--out``."""
    from agent.model.files import resolve_model_path
    from agent.planner.store import KnowledgeBase
    from llm20q.args import settings_from, write_json
    from llm20q.kb.label.labeller import model_id, prompt_digest
    from llm20q.kb.label.plan import LabelPlan, RunFolder, plan_candidates, plan_questions
    from llm20q.kb.label.run import WorkerOptions, label_on_ray

    if args.shard_size < 1 or args.actors < 1 or args.threads < 1 or args.lanes < 1:
        raise ValueError("--shard-size, --actors, --threads and --lanes must be at least 1")
    model = resolve_model_path(settings_from(args)).resolve()
    kb = KnowledgeBase.load(args.kb)
    candidates, missing = plan_candidates(kb, args.top, args.candidates)
    if missing:
        print(f"{len(missing)} keywords are not in the lexicon (skipped): {', '.join(missing[:5])}")
    plan = LabelPlan(
        model=model_id(model),
        prompt_sha256=prompt_digest(),
        questions=plan_questions(kb, args.questions, args.max_questions),
        candidates=candidates,
        shard_size=args.shard_size,
    )
    run = RunFolder(args.work)
    run.start(plan)
    todo = len(run.todo(plan))
    shards = len(plan.shards())
    print(
        f"{len(plan.questions)} questions x {len(plan.candidates)} candidates = {plan.labels} "
        f"labels in {shards} shards; {shards - todo} already done"
    )
    options = WorkerOptions(model, args.threads, args.gpus, args.lanes, args.batch_tokens)
    stats = label_on_ray(
        plan, run, options, actors=args.actors, address=args.address, progress=not args.no_progress
    )
    report = {"plan": plan.identity() | {"questions": len(plan.questions)}, **stats.as_dict()}
    print(json.dumps({k: v for k, v in report.items() if k != "plan"}, indent=1))
    write_json(args.json, report)
    if args.out is not None:
        _merge(args.kb, args.work, args.out, args)
    return 0


def run_merge(args: argparse.Namespace) -> int:
    _merge(args.kb, args.labels, args.out, args)
    return 0
