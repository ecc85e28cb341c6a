"""The README's quick start, line by line: every ``llm20q`` line parses with the command's own
parser, every ``make`` target exists in the Makefile, and the block stays a dozen lines."""

from __future__ import annotations

import re
import shlex

import pytest

from agent.settings import PROJECT_DIR
from llm20q.cli import build_parser


def quick_start() -> list[str]:
    readme = (PROJECT_DIR / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1]
    block = section.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


def test_the_quick_start_is_at_most_a_dozen_lines() -> None:
    assert 0 < len(quick_start()) <= 12


@pytest.mark.parametrize("line", [line for line in quick_start() if "llm20q " in line])
def test_every_llm20q_line_parses(line: str) -> None:
    words = shlex.split(line)
    args = build_parser().parse_args(words[1:])
    assert args.command == words[1]


def test_every_make_target_exists() -> None:
    makefile = (PROJECT_DIR / "Makefile").read_text()
    targets = {m.group(1) for m in re.finditer(r"^([a-z][a-z-]*):", makefile, re.MULTILINE)}
    wanted = {shlex.split(line)[1] for line in quick_start() if line.startswith("make ")}
    assert wanted and wanted <= targets
