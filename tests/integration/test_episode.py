"""Real kaggle-environments episodes of llm_20_questions with this agent in all four seats."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from agent.settings import PROJECT_DIR, AgentSettings
from llm20q.judge import run_episode
from llm20q.keywords import Keyword, official_keywords
from llm20q.selfplay import format_table, run_selfplay

pytestmark = pytest.mark.episode


def test_official_keyword_list_is_the_judges() -> None:
    keywords = official_keywords()
    assert len(keywords) == 579
    assert {k.category for k in keywords} == {"things"}


def test_episode_with_main_py_in_all_four_seats(
    tiny_model_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kaggle-environments loads main.py itself (last callable), four times in one process."""
    monkeypatch.setenv("LLM20Q_MODEL_PATH", str(tiny_model_path))
    main = str(PROJECT_DIR / "main.py")
    episode = run_episode([main] * 4, Keyword("Toaster", "things"))
    assert episode.statuses == ("DONE",) * 4, episode.statuses
    for team in episode.teams:
        assert team.rounds >= 1
        assert all(answer in ("yes", "no") for answer in team.answers)
        assert all(q.endswith("?") and "\n" not in q for q in team.questions)
        assert len(set(team.guesses)) == len(team.guesses)  # no wrong guess repeated


def test_selfplay_writes_replays_and_table(tiny_settings: AgentSettings, tmp_path: Path) -> None:
    rows = run_selfplay(1, tmp_path, tiny_settings, keyword="Toaster")
    episode = rows[0].episode
    assert episode.statuses == ("DONE",) * 4
    replay = json.loads((tmp_path / "episode-001-toaster.json").read_text())
    assert replay["name"] == "llm_20_questions" and len(replay["steps"]) > 1
    html = (tmp_path / "episode-001-toaster.html").read_text()
    assert "<html" in html.lower()
    table = format_table(rows)
    assert "| 1 | Toaster |" in table


def test_fuzzed_observations_through_main_py(
    tiny_model_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``llm20q bench fuzz`` in small: main.py loaded by kaggle-environments' own loader."""
    from llm20q.bench.fuzz import run as run_fuzz

    monkeypatch.setenv("LLM20Q_MODEL_PATH", str(tiny_model_path))
    monkeypatch.setenv("LLM20Q_N_THREADS", "1")
    results = run_fuzz(AgentSettings(), main=str(PROJECT_DIR / "main.py"), n=40, seed=1)
    assert results["observations"] == 40
    assert results["escaped_exceptions"] == 0 and results["illegal_actions"] == 0
    assert results["fallbacks_by_cause"]["invalid-observation"] > 0  # the fuzz reached them
    assert all(check["met"] for check in results["targets"].values())
    assert "LLM20Q_N_CTX" not in os.environ  # the run's settings do not leak to later agents
