"""Kaggle entry point for LLM 20 Questions. Kaggle calls the last callable defined here.

Thin on purpose: it puts this folder and the vendored ``lib/`` (a submission's libraries) first on
``sys.path`` and hands each observation and the configuration (``actTimeout``) to a seat from
``agent.runtime``, with the time the move started, so that importing the agent on the first move
counts against that move's clock. kaggle-environments executes this file without ``__file__``,
so the folder comes from the code object's file name. The agent package is imported on the first
call, and nothing escapes: if even that fails, the action is "yes" (legal on every turn type) and
one line on stderr says why.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent.seat import Seat

_HERE = os.path.dirname(os.path.abspath(sys._getframe().f_code.co_filename))


def _put_paths_first(move: bool) -> None:
    # kaggle-environments appends this folder to sys.path only while it executes this file and
    # then pops the last entry, so entries are moved (not only added) after that, right before
    # the agent package is first imported. lib/ ends up first.
    for path in (_HERE, os.path.join(_HERE, "lib")):
        if move and path in sys.path:
            sys.path.remove(path)
        if os.path.isdir(path) and path not in sys.path:
            sys.path.insert(0, path)


_put_paths_first(move=False)
_seat: Seat | None = None  # one seat per copy of this file: each copy plays one player


def agent_fn(observation: object, configuration: object = None) -> str:
    global _seat
    started = time.monotonic()  # the seat's clock counts the import on the first move too
    try:
        if _seat is None:
            _put_paths_first(move=True)
            from agent.runtime import new_kaggle_seat

            _seat = new_kaggle_seat()
        return _seat.act(observation, configuration, started=started)
    except Exception as error:  # noqa: BLE001 - Kaggle must always get a legal action
        print(f"fallback main-py-error: {type(error).__name__}", file=sys.stderr)
        return "yes"
