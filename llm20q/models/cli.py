"""``llm20q fetch-model --name NAME`` and ``llm20q models`` (what is present, with its card)."""

from __future__ import annotations

import argparse
from pathlib import Path

from llm20q.models.registry import DEFAULT_NAME, MODELS


def add_fetch_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--name",
        choices=sorted(MODELS),
        default=DEFAULT_NAME,
        help=f"which model (default {DEFAULT_NAME}); see `llm20q models`",
    )
    parser.add_argument("--dest", default="models", help="target folder (default: models)")
    parser.add_argument(
        "--cache", help="where the GGUF is assembled (default ~/.cache/llm20q/models)"
    )


def run_fetch(args: argparse.Namespace) -> int:
    from llm20q.models.registry import fetch_model

    path = fetch_model(args.name, Path(args.dest), Path(args.cache) if args.cache else None)
    print(f"model ready: {path}")
    return 0


def add_list_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dir", default="models", help="folder to look in (default: models)")


def _cell(value: float | None, pattern: str) -> str:
    return "-" if value is None else pattern.format(value)


def run_list(args: argparse.Namespace) -> int:
    """One row per registry model (present or not) and per other GGUF in the folder."""
    from agent.model.card import best_model, read_card

    folder = Path(args.dir)
    files = sorted(folder.glob("*.gguf")) if folder.is_dir() else []
    known = {spec.file: spec for spec in MODELS.values()}
    default = best_model(files) if len(files) > 1 else (files[0] if files else None)
    print("| name | file | present | size | template | semantic | p95 s/answer | prompt tok/s "
          "| yes_threshold | measured |")  # fmt: skip
    print("|---|---|---|---:|---|---:|---:|---:|---:|---|")
    rows = [(spec.name, folder / spec.file) for spec in MODELS.values()]
    rows += [(path.stem, path) for path in files if path.name not in known]
    for name, path in rows:
        card = read_card(path) if path.is_file() else None
        spec = known.get(path.name)
        size = path.stat().st_size if path.is_file() else (spec.size if spec else 0)
        mark = ("yes (default)" if path == default else "yes") if path.is_file() else "no"
        print(
            f"| {name} | {path.name} | {mark} | {size / 2**20:,.0f} MiB "
            f"| {spec.template if spec else (card.chat_template if card else '-')} "
            f"| {_cell(card.semantic_accuracy if card else None, '{:.1%}')} "
            f"| {_cell(card.answer_p95_seconds if card else None, '{:.2f}')} "
            f"| {_cell(card.prompt_tokens_per_second if card else None, '{:.0f}')} "
            f"| {_cell(card.yes_threshold if card else None, '{:.4f}')} "
            f"| {card.measured if card and card.measured else 'no card'} |"
        )
    if not files:
        print(f"no GGUF in {folder}: llm20q fetch-model --name NAME")
    return 0
