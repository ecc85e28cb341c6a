"""``llm20q doctor [--model GGUF] [--tarball FILE] [--json]``: will this submission work?

With ``--tarball``: the tarball checks (:mod:`llm20q.doctor.tarball`), then the model checks on
the GGUF inside it with the prompts inside it. With ``--model`` (or neither: the model the agent
would load): the model checks (:mod:`llm20q.doctor.model`). A table for a person (rich), or
``--json`` for scripts; exit status 1 when a check fails, and each failed check names its fix.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from llm20q.args import add_model_argument, settings_from

if TYPE_CHECKING:
    from llm20q.doctor.checks import Check

KAGGLE_PYTHON = "3.10"
STYLE = {"ok": "green", "warn": "yellow", "fail": "bold red"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_model_argument(parser)
    parser.add_argument("--tarball", type=Path, help="a submission.tar.gz to check and play")
    parser.add_argument(
        "--python-version",
        default=KAGGLE_PYTHON,
        help=f"the CPython the tarball must run on (default {KAGGLE_PYTHON}, Kaggle's)",
    )
    parser.add_argument("--python", help="interpreter for the tarball's isolated play")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def print_table(checks: Sequence[Check]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="llm20q doctor", show_lines=True)
    for column in ("check", "status", "detail", "fix"):
        table.add_column(column, overflow="fold")
    for check in checks:
        style = STYLE[check.status]
        table.add_row(check.name, f"[{style}]{check.status}[/]", check.detail, check.fix)
    Console(width=140).print(table)


def run(args: argparse.Namespace) -> int:
    from agent.model.files import resolve_model_path
    from llm20q.doctor.checks import as_json, passed
    from llm20q.doctor.model import model_checks
    from llm20q.doctor.tarball import shipped_model, tarball_checks

    settings = settings_from(args)
    checks: list[Check] = []
    with tempfile.TemporaryDirectory(prefix="llm20q-doctor-") as scratch:
        if args.tarball is not None:
            if not args.tarball.is_file():
                raise FileNotFoundError(f"no such tarball: {args.tarball}")
            checks += tarball_checks(args.tarball, Path(scratch), args.python_version, args.python)
            folder = Path(scratch) / "agent"
            if checks[0].status != "fail" and args.model is None:
                checks += model_checks(shipped_model(folder), settings, folder / "prompts")
        if args.tarball is None or args.model is not None:
            checks += model_checks(resolve_model_path(settings), settings)
    if args.json:
        print(json.dumps(as_json(checks), indent=2))
    else:
        print_table(checks)
        failed = [c.name for c in checks if c.status == "fail"]
        print(f"problems: {', '.join(failed)}" if failed else "no problems found")
    return 0 if passed(checks) else 1
