"""Play one ask, one guess and one answer from an unpacked submission, the way Kaggle loads it.

Run as a script, by path, under the Python that should run the submission (standard library
only; no project module is importable there):

    python -I -S play_check.py FOLDER STARTED [--preload numpy,pandas]

``main.py`` is executed the way kaggle-environments 1.18.0 does it (``get_last_callable``: the
folder on ``sys.path`` only while the file is executed, then the last callable). ``--preload``
imports modules first, as Kaggle's host has numpy, pandas and torch loaded before ``main.py``.
Prints one line ``RESULT {json}``: the three actions, each seat's error count (and why the agent
package would not import, if it did not), the model the backend loaded, every imported module's
file, the shared libraries mapped into the process, ``sys.path`` before and after, the versions
of the preloaded modules, and seconds since ``STARTED`` (a wall-clock time) at the first and
third move. ``llm20q doctor --tarball`` and tests/submission run it. Its own folder is taken off
``sys.path`` first.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any


def last_callable(path: str) -> Callable[..., Any]:
    # kaggle_environments.agent.get_last_callable (1.18.0), minus its stdout capture
    with open(path, encoding="utf-8") as handle:
        raw = handle.read()
    code_object = compile(raw, path, "exec")
    env: dict[str, Any] = {}
    sys.path.append(os.path.dirname(path))
    exec(code_object, env)
    sys.path.pop()
    found: Callable[..., Any] = [v for v in env.values() if callable(v)][-1]
    return found


def module_files() -> dict[str, str]:
    """Every imported module's file, except this script (``__main__``, ``__mp_main__``)."""
    modules: dict[str, str] = {}
    this_script = os.path.realpath(__file__)
    for name, module in sorted(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if file:
            if os.path.realpath(file) != this_script:
                modules[name] = os.path.realpath(file)
            continue
        for entry in getattr(module, "__path__", None) or []:  # namespace packages
            modules[name] = os.path.realpath(entry)
    return modules


def mapped_libraries() -> list[str]:
    with open("/proc/self/maps", encoding="utf-8") as maps:
        rows = [line.split(None, 5) for line in maps]
    return sorted({row[5].strip() for row in rows if len(row) == 6 and ".so" in row[5]})


def play(folder: str, started: float, preload: Sequence[str]) -> dict[str, Any]:
    path_at_start = list(sys.path)
    timings = {"process_start": time.time() - started}
    preloaded: dict[str, str] = {}
    for name in preload:
        module = __import__(name)
        preloaded[name] = str(getattr(module, "__version__", "?"))
    main = os.path.join(folder, "main.py")
    guesser, answerer = last_callable(main), last_callable(main)
    base: dict[str, Any] = {
        "questions": [],
        "answers": [],
        "guesses": [],
        "keyword": "",
        "category": "",
        "step": 0,
        "remainingOverageTime": 300,
    }
    question = guesser(dict(base, role="guesser", turnType="ask"), {})
    timings["first_move"] = time.time() - started
    guess = guesser(
        dict(base, role="guesser", turnType="guess", questions=[question], answers=["yes"], step=2),
        {},
    )
    answer = answerer(
        dict(
            base,
            role="answerer",
            turnType="answer",
            keyword="toaster",
            category="things",
            questions=["Is it an appliance used in a kitchen?"],
            step=1,
        ),
        {},
    )
    timings["three_moves"] = time.time() - started

    seats = [fn.__globals__.get("_seat") for fn in (guesser, answerer)]
    import_error = None
    if None in seats:  # main.py swallowed the failure and played "yes": say why
        try:
            import agent.runtime  # noqa: F401
        except Exception as error:  # noqa: BLE001 - reported, not handled
            import_error = repr(error)
    runtime = sys.modules.get("agent.runtime")
    process_backend = getattr(runtime, "_process_backend", None)
    backend = process_backend.loaded if process_backend is not None else None
    return {
        "actions": [question, guess, answer],
        "errors": [seat.errors if seat is not None else "no seat" for seat in seats],
        "import_error": import_error,
        "model": os.path.realpath(str(backend.model_path)) if backend is not None else None,
        "modules": module_files(),
        "mapped": mapped_libraries(),
        "preloaded": preloaded,
        "python": "{}.{}".format(*sys.version_info[:2]),
        "sys_path_at_start": path_at_start,
        "sys_path": sys.path,
        "timings": timings,
    }


def main(argv: list[str]) -> int:
    # Python 3.10 puts a script's own folder first on sys.path even under -I: take it off, so
    # only the standard library (and what main.py adds) can be imported.
    here = os.path.dirname(os.path.realpath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.realpath(p or os.curdir) != here]
    preload: list[str] = []
    if "--preload" in argv:
        at = argv.index("--preload")
        preload = [name for name in argv[at + 1].split(",") if name]
        argv = argv[:at] + argv[at + 2 :]
    folder, started = os.path.realpath(argv[0]), float(argv[1])
    print("RESULT " + json.dumps(play(folder, started, preload)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
