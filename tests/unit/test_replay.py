"""``llm20q replay`` without kaggle-environments: reading the three kinds of JSON, printing a game
with the planner's posterior, laying a transcript out as the judge's steps, and inlining the
player's JavaScript."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from agent.game import Round
from agent.planner.belief import PlannerConfig
from agent.planner.explain import PlannerView
from agent.planner.index import PlannerIndex
from agent.rules import HANDSHAKE_QUESTION
from llm20q.files import sha256_of
from llm20q.play.game import PlayedGame, PlayRole, answered, asked, finished, guessed, save
from llm20q.replay.assets import Asset, inline_assets
from llm20q.replay.html import one_team_steps
from llm20q.replay.printer import format_transcript
from llm20q.replay.transcripts import Transcript, load_transcripts
from tests.unit.test_planner import small_kb

ROUNDS = [(HANDSHAKE_QUESTION, "no", "cat"), ("Is it an animal?", "yes", "dog"),
          ("Is it a bird?", "yes", "owl")]  # fmt: skip


def seat(role: str, rounds: list[tuple[str, str, str]], keyword: str = "") -> dict[str, Any]:
    obs = {"questions": [r[0] for r in rounds], "answers": [r[1] for r in rounds],
           "guesses": [r[2] for r in rounds], "role": role, "keyword": keyword}  # fmt: skip
    return {"observation": obs, "status": "DONE", "reward": 18}


def write(tmp_path: Path, name: str, payload: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def test_a_selfplay_episode_gives_both_teams(tmp_path: Path) -> None:
    final = [seat("guesser", ROUNDS), seat("answerer", ROUNDS, "Owl"),
             seat("guesser", ROUNDS[:2]), seat("answerer", ROUNDS[:2], "Owl")]  # fmt: skip
    path = write(tmp_path, "ep.json", {"name": "llm_20_questions", "steps": [final]})
    team1, team2 = load_transcripts(path)
    assert team1.keyword == "Owl" and team1.solved and len(team1.rounds) == 3
    assert not team2.solved and team2.rounds[1] == Round("Is it an animal?", "yes", "dog")


def test_an_eval_report_gives_each_game(tmp_path: Path) -> None:
    rows = [{"index": 1, "keyword": "owl", "solved": True, "rounds": 3,
             "questions": [r[0] for r in ROUNDS], "answers": [r[1] for r in ROUNDS],
             "guesses": [r[2] for r in ROUNDS]},
            {"index": 2, "keyword": "cat", "solved": False, "rounds": 20}]  # fmt: skip
    path = write(tmp_path, "eval.json", {"pairing": "self", "per_game": rows})
    first, second = load_transcripts(path)
    assert first.solved and first.rounds[2].guess == "owl" and first.recorded
    assert not second.recorded and second.rounds == ()


def test_a_terminal_game(tmp_path: Path) -> None:
    game = PlayedGame(PlayRole.ASK, keyword="owl")
    game = finished(guessed(answered(asked(game, "Is it a bird?"), "yes", "table"), "owl"),
                    "solved", solved=True)  # fmt: skip
    (transcript,) = load_transcripts(save(game, tmp_path / "play.json"))
    assert transcript.solved and transcript.keyword == "owl" and "you asked" in transcript.title


@pytest.mark.parametrize("payload", [{"steps": []}, {"kind": "llm20q-play"}, []])
def test_other_files_are_a_clear_error(tmp_path: Path, payload: Any) -> None:
    with pytest.raises(ValueError, match=r"other\.json"):
        load_transcripts(write(tmp_path, "other.json", payload))  # type: ignore[arg-type]


def test_printing_shows_each_round_with_the_posterior() -> None:
    config = PlannerConfig(
        uniform_mix=0.0, noise_table=0.1, yes_bias_grid=(0.0,), yes_bias_prior=(1.0,)
    )
    view = PlannerView(PlannerIndex(small_kb(), 0.0), config, 0.9)
    rounds = tuple(Round(*r) for r in ROUNDS)
    text = format_transcript(Transcript("test game", "owl", "things", rounds, True), view, top=3)
    lines = text.splitlines()
    assert lines[0] == "== test game: owl - solved in round 3"
    assert " 2. Q: Is it an animal?  [0.53 bits]" in lines
    assert lines[-2].startswith("    Bayesian, outside") and "owl" in lines[-2]
    assert lines[-1].startswith("   owl: candidate #1 ")


def test_a_transcript_laid_out_as_the_judges_steps() -> None:
    rounds = tuple(Round(*r) for r in ROUNDS)
    steps = one_team_steps(Transcript("t", "owl", "things", rounds, True))
    assert len(steps) == 1 + 3 * len(rounds)
    guesser, answerer, *team2 = steps[-1]
    assert guesser["observation"]["guesses"] == ["cat", "dog", "owl"]
    assert answerer["observation"]["keyword"] == "owl"
    assert guesser["reward"] == 18 and guesser["status"] == "DONE"  # the judge's 20 - step // 3
    assert all(s["status"] == "DONE" and s["observation"]["questions"] == [] for s in team2)
    after_ask = steps[1][0]
    assert after_ask["action"] == HANDSHAKE_QUESTION and after_ask["observation"]["answers"] == []


def test_cdn_scripts_are_inlined_when_the_file_matches_its_hash(tmp_path: Path) -> None:
    (tmp_path / "lib.js").write_text("window.lib = '</script>';", encoding="utf-8")
    good = Asset("lib", "1.0", "dist/lib.js", sha256_of(tmp_path / "lib.js"))
    bad = Asset("other", "2.0", "other.js", "0" * 64)
    page = f"<head>{good.tag}{bad.tag}</head>"
    html = inline_assets(page, tmp_path, (good, bad))
    assert good.tag not in html and "window.lib = '<\\/script>';" in html
    assert bad.tag in html  # missing: the CDN link stays
