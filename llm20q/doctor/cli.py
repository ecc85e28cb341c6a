"""``llm20q doctor [--model GGUF] [--tarball FILE] [--json]``: will this submission work?

With ``--tarball``: the tarball checks (:mod:`llm20q.doctor.tarball`), then the model checks on
the GGUF inside it with the prompts inside it. With ``--model`` (or neither: the model the agent
would load): the model checks (:mod:`llm20q.doctor.model`).

For a person, each check is printed (with ``rich``) the moment it finishes, one row in plain words
and, when it is not ok, the fix under it; on a terminal a spinner says what runs meanwhile. The
last line is the verdict, derived from the checks (:func:`llm20q.doctor.checks.verdict`): "ready
for Kaggle: yes / only on a GPU / no (reason)", with the warnings counted. ``--json`` prints the
checks and the verdict for scripts (the rows then go to stderr). Exit status 1 when the verdict
is no.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from llm20q.args import add_model_argument, settings_from

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from agent.settings import AgentSettings
    from llm20q.doctor.checks import Check, Verdict
    from llm20q.doctor.model import Progress

KAGGLE_PYTHON = "3.10"
BADGE = {"ok": ("ok", "green"), "warn": ("warn", "yellow"), "gpu": ("GPU", "cyan"),
         "fail": ("FAIL", "bold red")}  # fmt: skip
READY_STYLE = {"yes": "bold green", "only on a GPU": "bold cyan", "no": "bold red"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_model_argument(parser)
    parser.add_argument("--tarball", type=Path, help="a submission.tar.gz to check and play")
    parser.add_argument(
        "--python-version",
        default=KAGGLE_PYTHON,
        help=f"the CPython the tarball must run on (default {KAGGLE_PYTHON}, Kaggle's)",
    )
    parser.add_argument("--python", help="interpreter for the tarball's isolated play")
    parser.add_argument("--json", action="store_true", help="print JSON instead of rows")


def row(check: Check) -> RenderableType:
    """One check: badge, name, the plain-words detail and, when not ok, the fix under it."""
    from rich.table import Table
    from rich.text import Text

    badge, style = BADGE[check.status]
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=4)
    grid.add_column(width=14)
    grid.add_column(ratio=1)
    detail = Text(check.detail)
    if check.fix and check.status != "ok":
        detail.append(f"\n→ {check.fix}", style=style)
    grid.add_row(Text(badge, style=style), Text(check.name, style="bold"), detail)
    return grid


def verdict_line(found: Verdict) -> RenderableType:
    from rich.text import Text

    return Text(found.line, style=READY_STYLE[found.ready])


def all_checks(args: argparse.Namespace, settings: AgentSettings, progress: Progress) -> Iterator[
    Check
]:  # fmt: skip
    """The checks the arguments ask for, each as it finishes."""
    from agent.model.files import resolve_model_path
    from llm20q.doctor.model import model_checks
    from llm20q.doctor.tarball import shipped_model, tarball_checks

    with tempfile.TemporaryDirectory(prefix="llm20q-doctor-") as scratch:
        if args.tarball is not None:
            if not args.tarball.is_file():
                raise FileNotFoundError(f"no such tarball: {args.tarball}")
            unpacked = True
            for check in tarball_checks(
                args.tarball, Path(scratch), args.python_version, args.python, progress
            ):
                unpacked = unpacked and not (check.name == "tarball" and check.status == "fail")
                yield check
            folder = Path(scratch) / "agent"
            if unpacked and args.model is None:
                yield from model_checks(
                    shipped_model(folder), settings, folder / "prompts", progress
                )
        if args.tarball is None or args.model is not None:
            # a path given (--model, LLM20Q_MODEL_PATH) is checked as it is; else the search
            path = settings.model_path or resolve_model_path(settings)
            yield from model_checks(path, settings, None, progress)


def report(args: argparse.Namespace, settings: AgentSettings, console: Console) -> list[Check]:
    """Run the checks, printing each row as it finishes (a spinner names the one running)."""
    from llm20q.bench.speed import Load

    what = str(args.tarball or settings.model_path or "the model the agent would load")
    header = f"[bold magenta]llm20q doctor[/] {what} ({Load.now().text})"
    console.print(header, highlight=False, soft_wrap=True)
    checks: list[Check] = []
    with console.status("starting") as status:
        for check in all_checks(args, settings, lambda text: status.update(f"{text} ...")):
            console.print(row(check))
            checks.append(check)
    return checks


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from llm20q.doctor.checks import as_json, verdict

    settings = settings_from(args)
    console = Console(stderr=args.json, highlight=False)
    checks = report(args, settings, console)
    found = verdict(checks)
    if args.json:
        print(json.dumps(as_json(checks), indent=2))
    else:
        console.print()
        console.print(verdict_line(found), soft_wrap=True)  # one line, whatever the width
    return 1 if found.ready == "no" else 0
