"""Command-line wiring of ``llm20q play``: a game against the agent in the terminal.

Only argparse set-up here at import time; the game (numpy, rich, the knowledge folder and, with
``--model``, llama.cpp) is imported when the command runs. Without ``--model`` no model is
loaded: the planner plays alone, and the answerer uses its rules and table. The game is saved as
JSON when it ends, when the person quits, presses Ctrl-C or closes the input (exit status 130
after Ctrl-C, else 0).
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from llm20q.args import settings_from

HELDOUT = "data/heldout_things.txt"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--role",
        choices=("answer", "ask"),
        default="answer",
        help="answer: you think of a thing and answer (y/n, u takes back); "
        "ask: the agent holds a keyword, you ask and guess (default answer)",
    )
    parser.add_argument(
        "--model", help="GGUF to load (default: no model, the planner and the rules play alone)"
    )
    parser.add_argument(
        "--strategy", choices=("planner", "llm"), help="the agent's guesser (default planner)"
    )
    parser.add_argument(
        "--seed", type=int, help="seed of the keyword choice and of sampling (default: random)"
    )
    parser.add_argument("--keyword", help="ask role: the agent's keyword")
    parser.add_argument(
        "--keywords",
        default=HELDOUT,
        help=f"ask role: pick the keyword from 'official' or this file (default {HELDOUT})",
    )
    parser.add_argument(
        "--save", help="where the game is saved as JSON (default runs/play/<role>-<time>.json)"
    )


def run(args: argparse.Namespace) -> int:
    from agent.settings import PROJECT_DIR
    from llm20q.keywords import FILE_CATEGORY, Keyword, as_played, pick_keywords
    from llm20q.play.answer_role import AnswerRoleLoop
    from llm20q.play.ask_role import AskRoleLoop, preload_judge
    from llm20q.play.game import PlayedGame, PlayRole, finished, save
    from llm20q.play.screen import Screen
    from llm20q.play.session import Loop, build_agent
    from llm20q.play.terminal import read_key, read_line

    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    overrides: dict[str, object] = {"seed": seed}
    if args.strategy:
        overrides["strategy"] = args.strategy
    settings = settings_from(args, **overrides)
    has_model = settings.model_path is not None
    agent = build_agent(settings, has_model)
    role = PlayRole(args.role)
    record = {"model": str(settings.model_path) if has_model else None,
              "strategy": settings.strategy.value, "seed": seed}  # fmt: skip
    screen = Screen()
    loop: Loop
    if role is PlayRole.ASK:
        if args.keyword:
            keyword = as_played(Keyword(args.keyword, FILE_CATEGORY))
        else:
            source = PROJECT_DIR / HELDOUT if args.keywords == HELDOUT else args.keywords
            keyword = pick_keywords(source, 1, seed)[0]
        preload_judge()
        game = PlayedGame(role, keyword=keyword.keyword, category=keyword.category,
                          settings=record)  # fmt: skip
        loop = AskRoleLoop(agent, game, screen, read_key, read_line, keyword=keyword)
    else:
        loop = AnswerRoleLoop(agent, PlayedGame(role, settings=record), screen, read_key, read_line)
    path = Path(args.save or f"runs/play/{role.value}-{time.strftime('%Y%m%d-%H%M%S')}.json")
    status = 0
    try:
        loop.run()
    except KeyboardInterrupt:
        loop.game = finished(loop.game, "interrupted")
        status = 130
    except EOFError:
        loop.game = finished(loop.game, "end of input")
    finally:
        save(loop.game, path)
    if role is PlayRole.ASK and not loop.game.solved:
        screen.say(f"The keyword was: {loop.game.keyword}")
    screen.say(f"Game saved to {path} (replay it: llm20q replay {path})")
    return status
