"""Third-party chatter kept away from people: what a library prints while it is imported.

kaggle-environments prints at import time ("termcolor not installed", "No pygame installed", an
OpenSpiel INFO line per game, on a logging handler of its own bound to ``sys.stdout``).
:func:`muted` runs a block with ``sys.stdout`` and ``sys.stderr`` swapped for streams that keep
what the *calling thread* writes in a buffer and pass every other thread's writes through: the
judge is imported in a background thread while ``llm20q play`` draws its screen, so a swap for
the whole process would swallow the screen. Handlers created inside the block, which captured the
swapped stream, get the real one back; the loggers of ``logger_prefix`` are raised to WARNING so
their later INFO lines stay quiet too. When the block raises, what it printed goes to stderr
with the error (it may say why).

``llm20q -v`` (:func:`set_verbose`) turns all of this off: the block runs as it is and prints
what it prints.

Shortcut: only Python-level writes are caught (a C library writing to file descriptor 1 or 2
would still show); kaggle-environments 1.18.0 prints nothing that way (the test in
tests/unit/test_quiet.py runs the import in a fresh process and checks both descriptors).
"""

from __future__ import annotations

import io
import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

_state = {"verbose": False}


def set_verbose(verbose: bool) -> None:
    """``llm20q -v``: let third-party libraries print what they print."""
    _state["verbose"] = verbose


def is_verbose() -> bool:
    return _state["verbose"]


class ThreadMutedStream(io.TextIOBase):
    """``real``, except that writes from thread ``muted`` go to ``kept``."""

    def __init__(self, real: TextIO, muted: int, kept: io.StringIO) -> None:
        super().__init__()
        self.real = real
        self.muted = muted
        self.kept = kept

    def write(self, text: str) -> int:
        if threading.get_ident() == self.muted:
            return self.kept.write(text)
        return self.real.write(text)

    def flush(self) -> None:
        if threading.get_ident() != self.muted:
            self.real.flush()

    def isatty(self) -> bool:
        return self.real.isatty()

    def fileno(self) -> int:
        return self.real.fileno()

    def __getattr__(self, name: str) -> Any:  # encoding, buffer... of the real stream
        return getattr(self.real, name)


def _restore_handlers(swapped: dict[int, TextIO], logger_prefix: str) -> None:
    """Handlers that captured a swapped stream get the real one; ``logger_prefix``'s loggers
    with a level of their own are raised to WARNING."""
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if isinstance(handler, logging.StreamHandler) and id(handler.stream) in swapped:
                handler.setStream(swapped[id(handler.stream)])
        if logger.name.startswith(logger_prefix) and logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)


@contextmanager
def muted(logger_prefix: str) -> Iterator[None]:
    """Run the block with this thread's prints kept back (see the module docstring)."""
    if is_verbose():
        yield
        return
    kept = io.StringIO()
    ident = threading.get_ident()
    real_out, real_err = sys.stdout, sys.stderr
    out = ThreadMutedStream(real_out, ident, kept)
    err = ThreadMutedStream(real_err, ident, kept)
    sys.stdout, sys.stderr = out, err
    try:
        yield
    except BaseException:
        real_err.write(kept.getvalue())
        raise
    finally:
        # another thread may have swapped them meanwhile: put back only our own
        if sys.stdout is out:
            sys.stdout = real_out
        if sys.stderr is err:
            sys.stderr = real_err
        _restore_handlers({id(out): real_out, id(err): real_err}, logger_prefix)
