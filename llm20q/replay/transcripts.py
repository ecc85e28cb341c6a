"""Finished games from any of the files the workbench writes, as one shape: :class:`Transcript`.

Three kinds of JSON are read:

- a self-play episode (``llm20q selfplay``): kaggle-environments' own ``env.toJSON()``, with
  two teams; each team's rounds come from its guesser's last observation;
- an evaluation report (``llm20q eval --json``): one game per ``per_game`` row (reports written
  before the rows kept the questions show the result only);
- a terminal game (``llm20q play``): see :mod:`llm20q.play.game`.

Shortcut: a self-play team counts as solved when its last guess (or question) names the keyword by
``agent.game.judge_variants``, the judge's matching written from its code (the episode JSON does
not keep the keyword's alternatives).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.game import Round, judge_variants
from llm20q.play.game import PLAY_KIND, from_json


@dataclass(frozen=True)
class Transcript:
    """One team's game, whatever file it came from."""

    title: str
    keyword: str
    category: str
    rounds: tuple[Round, ...]
    solved: bool
    ended: str = ""
    recorded: bool = True  # False: the file keeps the result but not the rounds
    players: tuple[str, str] = ("guesser", "answerer")  # who asked and guessed, who answered


def read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ValueError(f"replay file not found: {path}")
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not JSON: {error}") from error
    if not isinstance(payload, dict):
        raise ValueError(f"{path}: expected a JSON object")
    return payload


def kind_of(payload: dict[str, Any]) -> str:
    """``episode``, ``eval`` or ``play``; ValueError for anything else."""
    if payload.get("kind") == PLAY_KIND:
        return "play"
    if payload.get("name") == "llm_20_questions" and isinstance(payload.get("steps"), list):
        return "episode"
    if isinstance(payload.get("per_game"), list):
        return "eval"
    raise ValueError("not a self-play episode, an eval report or a terminal game")


def _rounds(questions: list[str], answers: list[str], guesses: list[str]) -> tuple[Round, ...]:
    return tuple(
        Round(q, answers[i] if i < len(answers) else None, guesses[i] if i < len(guesses) else None)
        for i, q in enumerate(questions)
    )


def _named(keyword: str, rounds: tuple[Round, ...]) -> bool:
    if not rounds or not keyword:
        return False
    last = rounds[-1]
    accepted = judge_variants(keyword)
    return any(judge_variants(text) & accepted for text in (last.guess, last.question) if text)


def episode_transcripts(payload: dict[str, Any]) -> list[Transcript]:
    final = payload["steps"][-1]
    answerer = final[1]["observation"]
    keyword, category = str(answerer.get("keyword", "")), str(answerer.get("category", ""))
    found = []
    for team, seat in ((1, 0), (2, 2)):
        obs = final[seat]["observation"]
        rounds = _rounds(obs["questions"], obs["answers"], obs["guesses"])
        solved = _named(keyword, rounds)
        reward = final[seat].get("reward")
        found.append(Transcript(f"self-play team {team}", keyword, category, rounds, solved,
                                f"{final[seat]['status']}, reward {reward}"))  # fmt: skip
    return found


def eval_transcripts(payload: dict[str, Any]) -> list[Transcript]:
    found: list[Transcript] = []
    pairing = payload.get("pairing", "eval")
    for row in payload["per_game"]:
        recorded = "questions" in row
        rounds = _rounds(row.get("questions", []), row.get("answers", []), row.get("guesses", []))
        found.append(Transcript(f"eval game {row.get('index', len(found) + 1)} ({pairing})",
                                str(row["keyword"]), "things", rounds, bool(row["solved"]),
                                f"{row.get('rounds', len(rounds))} rounds", recorded))  # fmt: skip
    return found


def play_transcripts(payload: dict[str, Any]) -> list[Transcript]:
    game = from_json(payload)
    asked = game.role.value == "ask"
    players = ("you", "the agent") if asked else ("the agent", "you")
    return [Transcript(f"terminal game ({'you asked' if asked else 'you answered'})", game.keyword,
                       game.category, game.agent_rounds, game.solved, game.ended,
                       players=players)]  # fmt: skip


def load_transcripts(path: Path) -> list[Transcript]:
    """Every game in ``path``; ValueError (naming the file) when it is none of the three kinds."""
    payload = read_json(path)
    try:
        kind = kind_of(payload)
        reader = {"episode": episode_transcripts, "eval": eval_transcripts,
                  "play": play_transcripts}[kind]  # fmt: skip
        return reader(payload)
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise ValueError(f"{path}: {error}") from error
