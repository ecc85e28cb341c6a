"""A terminal game as data: the rounds so far, pure transitions, and the saved-game JSON.

:class:`PlayedGame` is immutable; every move of the person or the agent makes a new one through
the functions below (``asked``, ``answered``, ``guessed``, ``taken_back``, ``finished``), so the
game loops in :mod:`llm20q.play.answer_role` and :mod:`llm20q.play.ask_role` stay thin and the
transitions are tested without a terminal. :func:`observation` turns a game into the judge's
observation for the agent's seat (the same shape kaggle-environments sends), so the agent plays
here exactly as it plays on Kaggle.

The saved game (``kind: "llm20q-play"``) is what ``llm20q replay`` reads back. Each round also
keeps what the person saw of the agent's thinking: the expected information of the question
when it was asked, and who decided an answer (the person, or the agent's rules, table, model or
its fallback).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any

from agent.game import GUESS_LIMIT, QUESTION_LIMIT, Round

PLAY_KIND = "llm20q-play"
PLAY_VERSION = 1


class PlayRole(str, Enum):
    """The person's role: ``answer`` (the agent asks and guesses) or ``ask`` (the agent answers)."""

    ANSWER = "answer"
    ASK = "ask"


@dataclass(frozen=True)
class PlayedRound:
    question: str
    answer: str | None = None
    guess: str | None = None
    bits: float | None = None  # expected information of the question when it was asked
    # "person", or who answered for the agent: "rules", "table", "model" or "fallback" (games
    # saved before the fallback was told apart say "LLM" for both of the last two)
    answered_by: str | None = None


@dataclass(frozen=True)
class PlayedGame:
    role: PlayRole
    keyword: str = ""  # ask: the agent's keyword; answer: the word the person typed at the end
    category: str = "things"
    rounds: tuple[PlayedRound, ...] = ()
    solved: bool = False
    ended: str = ""  # empty while playing; then why the game ended
    settings: dict[str, Any] = field(default_factory=dict)  # model, strategy, seed

    @property
    def agent_rounds(self) -> tuple[Round, ...]:
        """The rounds as the agent's state machine records them."""
        return tuple(Round(r.question, r.answer, r.guess) for r in self.rounds)

    @property
    def over(self) -> bool:
        return bool(self.ended)


def asked(game: PlayedGame, question: str, bits: float | None = None) -> PlayedGame:
    """A new round with ``question`` (cut at the judge's 750 characters)."""
    played = PlayedRound(question[:QUESTION_LIMIT], bits=bits)
    return replace(game, rounds=(*game.rounds, played))


def answered(game: PlayedGame, answer: str, by: str) -> PlayedGame:
    """The last round's question answered ``yes`` or ``no``."""
    if answer not in ("yes", "no"):
        raise ValueError(f"an answer is yes or no, not {answer!r}")
    if not game.rounds or game.rounds[-1].answer is not None:
        raise ValueError("no question is waiting for an answer")
    last = replace(game.rounds[-1], answer=answer, answered_by=by)
    return replace(game, rounds=(*game.rounds[:-1], last))


def guessed(game: PlayedGame, guess: str) -> PlayedGame:
    """The last round's guess (cut at the judge's 100 characters)."""
    if not game.rounds or game.rounds[-1].answer is None or game.rounds[-1].guess is not None:
        raise ValueError("a guess comes after an answer, once per round")
    last = replace(game.rounds[-1], guess=guess[:GUESS_LIMIT])
    return replace(game, rounds=(*game.rounds[:-1], last))


def taken_back(game: PlayedGame) -> PlayedGame:
    """The game before the last answer: a question still waiting is dropped, and the answer
    before it (with the guess that followed) is removed, so that question waits again."""
    rounds = list(game.rounds)
    if rounds and rounds[-1].answer is None:
        rounds.pop()
    if not rounds:
        return game
    rounds[-1] = replace(rounds[-1], answer=None, answered_by=None, guess=None)
    return replace(game, rounds=tuple(rounds))


def finished(game: PlayedGame, why: str, *, solved: bool = False, keyword: str = "") -> PlayedGame:
    return replace(game, ended=why, solved=solved, keyword=keyword or game.keyword)


def observation(game: PlayedGame, turn: str) -> dict[str, Any]:
    """The judge's observation of the agent's seat for ``turn`` (ask, guess or answer)."""
    rounds = game.rounds
    questions = [r.question for r in rounds]
    answers = [r.answer for r in rounds if r.answer is not None]
    guesses = [r.guess for r in rounds if r.guess is not None]
    answerer = turn == "answer"
    return {
        "role": "answerer" if answerer else "guesser",
        "turnType": turn,
        "questions": questions,
        "answers": answers,
        "guesses": guesses,
        "keyword": game.keyword if answerer else "",
        "category": game.category if answerer else "",
        "step": 3 * len(answers) + (1 if answerer else 0),
    }


# ----------------------------------------------------------------------------- saved games
def to_json(game: PlayedGame) -> dict[str, Any]:
    payload = asdict(game)
    payload["role"] = game.role.value
    return {"kind": PLAY_KIND, "version": PLAY_VERSION, **payload}


def from_json(payload: dict[str, Any]) -> PlayedGame:
    """A saved game; ValueError when ``payload`` is not one."""
    if payload.get("kind") != PLAY_KIND:
        raise ValueError(f"not a saved terminal game (kind {payload.get('kind')!r})")
    try:
        rounds = tuple(PlayedRound(**r) for r in payload["rounds"])
        return PlayedGame(
            role=PlayRole(payload["role"]),
            keyword=str(payload.get("keyword", "")),
            category=str(payload.get("category", "things")),
            rounds=rounds,
            solved=bool(payload.get("solved", False)),
            ended=str(payload.get("ended", "")),
            settings=dict(payload.get("settings", {})),
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"a saved terminal game with a bad field: {error}") from error


def save(game: PlayedGame, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_json(game), indent=2) + "\n", encoding="utf-8")
    return path
