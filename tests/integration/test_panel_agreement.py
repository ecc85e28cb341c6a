"""The shipped people's panel against the real knowledge folder (``make setup`` builds it):
every thing is a candidate, every question a table row, and ``llm20q kb agreement`` scores all
8,000-odd pairs from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent.planner.store import KnowledgeBase
from agent.settings import PROJECT_DIR
from llm20q.panel import PeopleAnswer, read_panel, things

KNOWLEDGE = PROJECT_DIR / "knowledge"


@pytest.fixture(scope="module")
def real_kb() -> KnowledgeBase:
    if not (KNOWLEDGE / "answers.npz").is_file():
        raise FileNotFoundError(f"{KNOWLEDGE} is missing: run `make setup` first")
    return KnowledgeBase.load(KNOWLEDGE)


def test_every_panel_thing_and_question_is_in_the_table(real_kb: KnowledgeBase) -> None:
    pairs = read_panel()
    assert [t for t in things(pairs) if real_kb.match(t) is None] == []
    assert sorted({p.question for p in pairs} - set(real_kb.question_ids)) == []


def test_agreement_command_scores_every_pair(tmp_path: Path) -> None:
    out = tmp_path / "agreement.json"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    command = [sys.executable, "-m", "llm20q", "kb", "agreement", "--kb", str(KNOWLEDGE)]
    result = subprocess.run(
        [*command, "--plain", "--json", str(out)], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "# by question (most disagreements first)" in result.stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    pairs = read_panel()
    overall = report["overall"]
    differs = sum(p.answer is PeopleAnswer.DIFFERS for p in pairs)
    assert report["pairs"] == len(pairs)
    assert (overall["differs"], overall["agree"] + overall["disagree"] + overall["silent"]) == (
        differs,
        len(pairs) - differs,
    )
    assert report["missing_things"] == [] and report["missing_questions"] == []
    assert len(report["disagreements"]) == overall["disagree"]
    assert sum(g["agree"] for g in report["by_source"].values()) == overall["agree"]
