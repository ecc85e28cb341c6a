"""Replays a person can open offline: a real self-play episode and a terminal game, rendered by
kaggle-environments' own player in headless Chromium with every host name unresolvable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agent.settings import PROJECT_DIR, AgentSettings
from llm20q.play.game import PlayedGame, PlayRole, answered, asked, finished, guessed, save
from llm20q.replay.assets import missing_assets
from llm20q.selfplay import run_selfplay
from tests.integration.browser import drawn_text

pytestmark = pytest.mark.episode


def one_line(text: str) -> str:
    """Drawn text with the renderer's line wrapping undone."""
    return " ".join(text.split())


def llm20q(*args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "llm20q", *args], cwd=PROJECT_DIR,
                            capture_output=True, text=True, check=True)  # fmt: skip
    return result.stdout


def test_the_players_javascript_is_installed() -> None:
    assert missing_assets() == [], "run `make setup` (llm20q fetch-js)"


def test_a_selfplay_replay_renders_offline(tiny_settings: AgentSettings, tmp_path: Path) -> None:
    rows = run_selfplay(1, tmp_path / "selfplay", tiny_settings, keyword="Toaster")
    page = tmp_path / "selfplay" / "episode-001-toaster.html"
    assert page == rows[0].replay
    drawn = one_line(drawn_text(page, tmp_path))
    assert "Keyword: Toaster" in drawn
    first_question = rows[0].episode.teams[0].questions[0]
    assert f"Question: {first_question}" in drawn

    # the env's page as kaggle-environments writes it (CDN scripts) draws nothing offline
    cdn_page = tmp_path / "cdn.html"
    cdn_page.write_text(rows[0].episode.env.render(mode="html"), encoding="utf-8")
    assert drawn_text(cdn_page, tmp_path) == ""

    # llm20q replay: the episode printed round by round, and its HTML written again
    printed = llm20q("replay", str(tmp_path / "selfplay" / "episode-001-toaster.json"),
                     "--html", str(tmp_path / "again.html"))  # fmt: skip
    assert "== self-play team 1: Toaster" in printed and f" 1. Q: {first_question}" in printed
    assert "Keyword: Toaster" in one_line(drawn_text(tmp_path / "again.html", tmp_path))


def test_a_terminal_game_replay_renders_offline(tmp_path: Path) -> None:
    game = PlayedGame(PlayRole.ASK, keyword="toaster")
    game = guessed(answered(asked(game, "Is it a machine?"), "yes", "table"), "bread")
    game = guessed(answered(asked(game, "Is it hot?"), "yes", "LLM"), "toaster")
    path = save(finished(game, "solved", solved=True), tmp_path / "game.json")
    printed = llm20q("replay", str(path), "--html", str(tmp_path / "game.html"))
    assert "terminal game (you asked): toaster - solved in round 2" in printed
    drawn = one_line(drawn_text(tmp_path / "game.html", tmp_path))
    assert "Keyword: toaster" in drawn and "Question: Is it a machine?" in drawn
    assert "Guess: toaster" in drawn
