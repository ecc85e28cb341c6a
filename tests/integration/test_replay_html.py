"""Replays a person can open offline: a real self-play episode and a terminal game, in the real
kaggle-environments player, in headless Chromium with every host name unresolvable. What a
person sees one second after the page loaded: the last round (the count the table prints) and
the whole history, every row inside the view; a PNG of it is kept for a person to look at."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agent.settings import PROJECT_DIR, AgentSettings
from llm20q.play.game import PlayedGame, PlayRole, answered, asked, finished, guessed, save
from llm20q.replay.assets import missing_assets
from llm20q.selfplay import format_table, run_selfplay
from tests.integration.browser import external_references, on_screen, screenshot

pytestmark = pytest.mark.episode

CHATTER = ("termcolor", "pygame", "OpenSpiel", "open_spiel")


def llm20q(*args: str) -> str:
    """The command in a fresh process; it must print nothing on stderr (no third-party
    chatter: a fresh process imports kaggle_environments for --html)."""
    result = subprocess.run([sys.executable, "-m", "llm20q", *args], cwd=PROJECT_DIR,
                            capture_output=True, text=True, check=True)  # fmt: skip
    assert result.stderr == "", result.stderr
    assert not [word for word in CHATTER if word in result.stdout], result.stdout
    return result.stdout


def test_the_players_javascript_is_installed() -> None:
    assert missing_assets() == [], "run `make setup` (llm20q fetch-js)"


def test_a_selfplay_replay_opens_on_the_last_round_with_the_history(
    tiny_settings: AgentSettings, tmp_path: Path
) -> None:
    rows = run_selfplay(1, tmp_path / "selfplay", tiny_settings, keyword="Toaster")
    page = tmp_path / "selfplay" / "episode-001-toaster.html"
    assert page == rows[0].replay and external_references(page) == []
    seen = on_screen(page, tmp_path)
    teams = rows[0].episode.teams
    assert seen["step"] is not None and seen["step"][0] == seen["step"][1]  # the last frame
    table_rounds = max(team.rounds for team in teams)
    assert f"| {table_rounds} |" in format_table(rows)
    assert seen["round"] == f"Round {table_rounds} of 20"
    assert "Keyword: Toaster" in seen["text"] and seen["teams"] == ["1", "2"]
    for number, team in enumerate(teams, start=1):
        history = [row for row in seen["rows"] if row["team"] == str(number)]
        assert [row["cells"][1] for row in history] == list(team.questions)
        assert [row["cells"][2] for row in history][: len(team.answers)] == list(team.answers)
        assert all(row["shown"] for row in history), history

    # the env's page as kaggle-environments writes it (CDN scripts) shows nothing offline
    cdn_page = tmp_path / "cdn.html"
    cdn_page.write_text(rows[0].episode.env.render(mode="html"), encoding="utf-8")
    assert on_screen(cdn_page, tmp_path)["step"] is None

    # llm20q replay: the episode printed round by round, and its HTML written again, quietly
    printed = llm20q("replay", str(tmp_path / "selfplay" / "episode-001-toaster.json"),
                     "--html", str(tmp_path / "again.html"))  # fmt: skip
    first_question = teams[0].questions[0]
    assert "== self-play team 1: Toaster" in printed and f" 1. Q: {first_question}" in printed
    assert on_screen(tmp_path / "again.html", tmp_path)["round"] == seen["round"]


def test_a_terminal_game_replay_shows_one_team_and_every_round(tmp_path: Path) -> None:
    game = PlayedGame(PlayRole.ASK, keyword="toaster")
    game = guessed(answered(asked(game, "Is it a machine?"), "yes", "table"), "bread")
    game = guessed(answered(asked(game, "Is it hot?"), "yes", "model"), "kettle")
    game = guessed(answered(asked(game, "Does it brown bread?"), "yes", "model"), "toaster")
    path = save(finished(game, "solved", solved=True), tmp_path / "game.json")
    printed = llm20q("replay", str(path), "--html", str(tmp_path / "game.html"))
    assert "terminal game (you asked): toaster - solved in round 3" in printed
    page = tmp_path / "game.html"
    assert external_references(page) == []
    assert "unpkg.com/chess.js" not in page.read_text(encoding="utf-8")
    seen = on_screen(page, tmp_path)
    assert seen["step"] is not None and seen["step"][0] == seen["step"][1]
    assert seen["round"] == "Round 3 of 20" and seen["teams"] == ["1"]
    assert "no team 2" not in seen["text"] and "Team 2" not in seen["text"]
    assert "Team 1: you (questions, guesses) and the agent (answers)" in seen["text"]
    assert [row["cells"] for row in seen["rows"]] == [
        ["1", "Is it a machine?", "yes", "bread"],
        ["2", "Is it hot?", "yes", "kettle"],
        ["3", "Does it brown bread?", "yes", "toaster"],
    ]
    assert all(row["shown"] for row in seen["rows"])
    png = screenshot(page, tmp_path / "terminal-game-replay.png", tmp_path)
    print(f"\nscreenshot for a person to look at: {png}")
