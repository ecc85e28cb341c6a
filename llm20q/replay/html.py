"""HTML replays that open offline on the last frame: kaggle-environments' own player, with its
JavaScript inlined and its other links dropped (:mod:`llm20q.replay.assets`), and llm20q's own
renderer (``renderer.js``) in place of the env's.

The env's renderer draws one round on a canvas and counts rounds from the step (a game solved
in round 10 ends on "Round: 11"); ``renderer.js`` writes the whole history up to the player's
step as text, counts the questions asked (the count the tables print) and leaves out a team that
does not play. The page opens on the last step, paused (``playing=False``); the player's
controls step back through the game.

A self-play episode's JSON is the env's own, so it is loaded back into an env
(``make("llm_20_questions", steps=...)``) and rendered, exactly as :func:`write_episode` renders a
live episode. An eval game or a terminal game is one team's transcript: :func:`one_team_steps`
lays it out as the judge's steps (ask, answer, guess per round), with team 2 idle and unnamed,
and the env renders those.

Shortcuts: in the laid-out steps team 2 has no moves (its seats are DONE from the start) and
the timing fields keep their defaults; the reward of a solved game is the judge's
``20 - int(step / 3)``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from llm20q.judge import Episode
from llm20q.replay.assets import drop_unused_links, inline_assets
from llm20q.replay.transcripts import Transcript

ENV_NAME = "llm_20_questions"
RENDERER_JS = Path(__file__).with_name("renderer.js")


def offline_html(env: Any) -> str:
    """The env's HTML replay: on its last step, paused, with llm20q's renderer, the player's
    JavaScript inlined and nothing linked outside the file."""
    page = env.render(mode="html", playing=False, controls=True)
    own = env.html_renderer().strip()
    if own not in page:
        raise RuntimeError("the player page does not hold the env's renderer where expected")
    page = page.replace(own, RENDERER_JS.read_text(encoding="utf-8").strip(), 1)
    return inline_assets(drop_unused_links(page))


def write_episode(episode: Episode, folder: Path, stem: str) -> tuple[Path, Path]:
    """A played episode as the env's own JSON and an offline HTML replay (:func:`offline_html`):
    ``folder/stem.json`` and ``folder/stem.html``."""
    folder.mkdir(parents=True, exist_ok=True)
    json_path = folder / f"{stem}.json"
    html_path = folder / f"{stem}.html"
    json_path.write_text(json.dumps(episode.env.toJSON()), encoding="utf-8")
    html_path.write_text(offline_html(episode.env), encoding="utf-8")
    return json_path, html_path


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

    return kaggle_environments().make(
        ENV_NAME, info={"TeamNames": list(transcript.players)}, steps=one_team_steps(transcript)
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
