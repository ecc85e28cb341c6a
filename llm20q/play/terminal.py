"""What the person types: single keys (y, n, u, q) and lines of text.

On a terminal, keys are read one at a time in cbreak mode (no Enter needed; Ctrl-C still raises
KeyboardInterrupt, and Ctrl-D is end of input); the terminal's mode is restored afterwards, even
on an exception. When standard input is not a terminal (a pipe, a file), each key is the first
letter of the next line, so a game can be scripted. End of input raises :class:`EOFError` in
both cases.
"""

from __future__ import annotations

import os
import sys
import termios
import tty
from collections.abc import Iterable

CTRL_D = "\x04"


def read_key(allowed: Iterable[str]) -> str:
    """The next key among ``allowed`` (lowercase); other keys are ignored."""
    keys = {k.lower() for k in allowed}
    stream = sys.stdin
    if not stream.isatty():
        while True:
            line = stream.readline()
            if not line:
                raise EOFError
            key = line.strip()[:1].lower()
            if key in keys:
                return key
    fd = stream.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        while True:
            data = os.read(fd, 1)
            if not data or data.decode(errors="ignore") == CTRL_D:
                raise EOFError
            key = data.decode(errors="ignore").lower()
            if key in keys:
                return key
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def read_line(prompt: str) -> str:
    """One line of text, stripped (the terminal's own line editing applies)."""
    sys.stdout.write(prompt)
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.strip()
