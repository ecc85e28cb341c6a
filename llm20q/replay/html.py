"""HTML replays that open offline: kaggle-environments' own player and ``llm_20_questions``
renderer, with the player's JavaScript inlined (:mod:`llm20q.replay.assets`).

A self-play episode's JSON is the env's own, so it is loaded back into an env
(``make("llm_20_questions", steps=...)``) and rendered by ``env.render(mode="html")``, exactly
as ``Episode.write`` renders a live episode. An eval game or a terminal game is one team's
transcript: :func:`one_team_steps` lays it out as the judge's steps (ask, answer, guess per
round), with team 2 empty, and the env renders those.

Shortcuts: in the laid-out steps team 2 has no moves (its seats are DONE from the start) and
the timing fields keep their defaults; the reward of a solved game is the judge's
``20 - int(step / 3)``.
"""

from __future__ import annotations

from typing import Any

from llm20q.replay.assets import inline_assets
from llm20q.replay.transcripts import Transcript

ENV_NAME = "llm_20_questions"


def offline_html(env: Any) -> str:
    """The env's own HTML replay with the player's JavaScript inlined."""
    return inline_assets(env.render(mode="html"))


def _seat(role: str, turn: str, status: str, lists: dict[str, list[str]], *, keyword: str = "",
          category: str = "", action: str = "", reward: int = 0) -> dict[str, Any]:  # fmt: skip
    observation = {"remainingOverageTime": 300, "questions": list(lists["questions"]),
                   "guesses": list(lists["guesses"]), "answers": list(lists["answers"]),
                   "role": role, "turnType": turn, "keyword": keyword,
                   "category": category}  # fmt: skip
    return {"action": action, "reward": reward, "info": {}, "observation": observation,
            "status": status}  # fmt: skip


def one_team_steps(transcript: Transcript) -> list[list[dict[str, Any]]]:
    """The judge's steps for one team's transcript (team 2 idle)."""
    lists: dict[str, list[str]] = {"questions": [], "answers": [], "guesses": []}
    idle = [_seat("guesser", "ask", "DONE", lists), _seat("answerer", "answer", "DONE", lists)]

    def step(guesser: tuple[str, str], answerer: str, action: str, by_guesser: bool) -> None:
        turn, status = guesser
        steps.append([
            _seat("guesser", turn, status, lists, action=action if by_guesser else ""),
            _seat("answerer", "answer", answerer, lists, action="" if by_guesser else action,
                  keyword=transcript.keyword, category=transcript.category),
            *idle,
        ])  # fmt: skip

    steps: list[list[dict[str, Any]]] = []
    step(("ask", "ACTIVE"), "INACTIVE", "", True)
    for played in transcript.rounds:
        lists["questions"].append(played.question)
        step(("guess", "INACTIVE"), "ACTIVE", played.question, True)
        if played.answer is None:
            break
        lists["answers"].append(played.answer)
        step(("guess", "ACTIVE"), "INACTIVE", played.answer, False)
        if played.guess is None:
            break
        lists["guesses"].append(played.guess)
        step(("ask", "ACTIVE"), "INACTIVE", played.guess, True)
    score = 20 - int((3 * len(transcript.rounds) - 1) / 3) if transcript.solved else -1
    for seat in steps[-1][:2]:
        seat["status"] = "DONE"
        seat["reward"] = score
    return steps


def transcript_env(transcript: Transcript) -> Any:
    """An env holding ``transcript`` as its steps (kaggle_environments is imported here)."""
    from llm20q.judge import kaggle_environments

    names = ["guesser", "answerer", "(no team 2)", "(no team 2)"]
    return kaggle_environments().make(
        ENV_NAME, info={"TeamNames": names}, steps=one_team_steps(transcript)
    )


def episode_env(payload: dict[str, Any]) -> Any:
    """The env of a self-play episode's JSON, with its steps."""
    from llm20q.judge import kaggle_environments

    return kaggle_environments().make(
        ENV_NAME,
        configuration=payload.get("configuration"),
        info=payload.get("info"),
        steps=payload["steps"],
    )
