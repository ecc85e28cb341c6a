"""Command-line wiring of ``llm20q play``: a game against the agent in the terminal.

Only argparse set-up here at import time; the game (numpy, rich, the knowledge folder and, with
a model, llama.cpp) is imported when the command runs. The model is ``--model``, else the best
one present that answers a person in time (:func:`llm20q.models.cards.model_for_people`); with
``--no-model`` (or no such model) the planner plays alone, and the answerer uses its rules and
table. A model is checked before the game starts, by
the doctor's own load check (:func:`llm20q.doctor.model.check_load`): a path that is no GGUF
llama.cpp loads ends the command at once with the doctor's words (exit status 1), and the model
it loaded is the one the agent plays with. The game is saved as JSON when it ends, when the
person quits, presses Ctrl-C or closes the input (exit status 130 after Ctrl-C, else 0).

``--keyword`` and ``--keywords`` choose the agent's secret, so they go with ``--role ask`` only;
with ``--role answer`` the secret is the person's, in their head until the agent gives up and
asks for it, and the command refuses them (exit status 1) rather than ignore them.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path
from typing import TYPE_CHECKING

from llm20q.args import settings_from

if TYPE_CHECKING:
    from agent.model.protocol import ChatBackend
    from agent.settings import AgentSettings

HELDOUT = "data/heldout_things.txt"
ANSWER_ROLE_SECRET = (
    "{option} names the agent's secret, for --role ask (you ask, the agent answers). With "
    "--role answer (the default) the thing stays in your head: the agent asks you for it if it "
    "gives up."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--role",
        choices=("answer", "ask"),
        default="answer",
        help="answer: you think of a thing and answer (y/n, u takes back); "
        "ask: the agent holds a keyword, you ask and guess (default answer)",
    )
    model = parser.add_mutually_exclusive_group()
    model.add_argument(
        "--model",
        help="GGUF to load (default: LLM20Q_MODEL_PATH, else the best model in models/ whose "
        "card says it answers within 3 s here: `llm20q models`)",
    )
    model.add_argument(
        "--no-model", action="store_true", help="no model: the planner and the rules play alone"
    )
    parser.add_argument(
        "--strategy", choices=("planner", "llm"), help="the agent's guesser (default planner)"
    )
    parser.add_argument(
        "--seed", type=int, help="seed of the keyword choice and of sampling (default: random)"
    )
    parser.add_argument("--keyword", help="ask role only: the agent's keyword")
    parser.add_argument(
        "--keywords",
        help=f"ask role only: pick the keyword from 'official' or this file (default {HELDOUT})",
    )
    parser.add_argument(
        "--save", help="where the game is saved as JSON (default runs/play/<role>-<time>.json)"
    )


def checked_model(settings: AgentSettings, named: str | None) -> ChatBackend:
    """The game's model, loaded by the doctor's load check; ValueError in the doctor's words
    when llama.cpp cannot load it."""
    from llm20q.doctor.model import check_load

    assert settings.model_path is not None
    where = f"--model {named}" if named else f"the model {settings.model_path}"
    print(f"loading {where} ...", flush=True)
    check, backend = check_load(settings.model_path, settings)
    if backend is None:
        raise ValueError(f"{where}: {check.detail}; {check.fix}")
    return backend


def refuse_answer_role_options(args: argparse.Namespace) -> None:
    """--keyword and --keywords with --role answer: refused (see the module docstring)."""
    for option, value in (("--keyword", args.keyword), ("--keywords", args.keywords)):
        if args.role == "answer" and value is not None:
            raise ValueError(ANSWER_ROLE_SECRET.format(option=option))


def run(args: argparse.Namespace) -> int:
    from agent.settings import PROJECT_DIR
    from llm20q.keywords import FILE_CATEGORY, Keyword, as_played, pick_keywords
    from llm20q.models.cards import model_for_people
    from llm20q.play.answer_role import ANSWER_ROLE_SETTINGS, AnswerRoleLoop
    from llm20q.play.ask_role import AskRoleLoop, preload_judge
    from llm20q.play.game import PlayedGame, PlayRole, finished, save
    from llm20q.play.screen import Screen
    from llm20q.play.session import Loop, build_agent
    from llm20q.play.terminal import read_key, read_line

    refuse_answer_role_options(args)
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    overrides: dict[str, object] = {"seed": seed}
    if args.strategy:
        overrides["strategy"] = args.strategy
    if args.role == PlayRole.ANSWER.value:
        overrides.update(ANSWER_ROLE_SETTINGS)
    settings = settings_from(args, **overrides)
    if args.no_model:
        settings = settings.model_copy(update={"model_path": None})
    else:
        settings = settings.model_copy(update={"model_path": model_for_people(settings)})
    has_model = settings.model_path is not None
    if has_model:
        backend = checked_model(settings, args.model)
        agent = build_agent(settings, has_model, lambda: backend)
    else:
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
            source = args.keywords or PROJECT_DIR / HELDOUT
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
