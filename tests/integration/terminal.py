"""A real terminal for the ``llm20q play`` tests: a private tmux server (installed by
``make setup``) runs the command in a pane, the test types keys into it and reads the screen back
with ``capture-pane``: what a person sees, and what they could scroll back to.

The command runs under ``bash -c``, which writes its exit status to a file when it ends.
Waiting for a screen polls until the text shows up or a generous deadline passes (then the test
fails with the screen it last saw); nothing is timed.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

DEADLINE_S = 120.0
POLL_S = 0.2


class Terminal:
    """One tmux pane running ``command`` in ``cwd`` with extra ``env`` variables."""

    def __init__(
        self,
        scratch: Path,
        command: Sequence[str],
        cwd: Path,
        env: dict[str, str] | None = None,
        size: tuple[int, int] = (160, 50),
    ) -> None:
        tmux = shutil.which("tmux")
        if tmux is None:
            raise FileNotFoundError("tmux is not installed: run `make setup`")
        self.tmux = tmux
        self.socket = scratch / "tmux.sock"
        config = scratch / "tmux.conf"
        config.write_text("set -g remain-on-exit on\nset -g history-limit 5000\n")
        assignments = [f"{k}={v}" for k, v in (env or {}).items()]
        self.status_file = scratch / "exit-status"
        # the pane's own size, not the size of the terminal the tests run in
        run = shlex.join(["env", "-u", "COLUMNS", "-u", "LINES", *assignments, *command])
        line = shlex.join(["bash", "-c", f"{run}; echo $? > {shlex.quote(str(self.status_file))}"])
        self._run("-f", str(config), "new-session", "-d", "-s", "play", "-c", str(cwd),
                  "-x", str(size[0]), "-y", str(size[1]), line)  # fmt: skip

    def _run(self, *args: str) -> str:
        result = subprocess.run(
            [self.tmux, "-S", str(self.socket), *args], capture_output=True, text=True, check=True
        )
        return result.stdout

    def screen(self) -> str:
        """The pane and its scrollback, wrapped lines joined: a long line reads as one whatever
        the pane's width, and a line scrolled off the top (a loaded machine, a late resize) is
        still there to find."""
        return self._run("capture-pane", "-p", "-J", "-S", "-", "-t", "play")

    def wait(self, ready: Callable[[str], bool], what: str) -> str:
        deadline = time.monotonic() + DEADLINE_S
        while True:
            shown = self.screen()
            if ready(shown):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"the screen never showed {what}:\n{shown}")
            time.sleep(POLL_S)

    def wait_for(self, *texts: str) -> str:
        """The screen once it shows every one of ``texts``."""
        return self.wait(lambda shown: all(t in shown for t in texts), " and ".join(texts))

    def wait_for_pattern(self, pattern: str) -> re.Match[str]:
        shown = self.wait(lambda s: re.search(pattern, s) is not None, pattern)
        match = re.search(pattern, shown)
        assert match is not None
        return match

    def press(self, *keys: str) -> None:
        """tmux key names: a letter, "Enter", "C-c", "C-d"."""
        self._run("send-keys", "-t", "play", *keys)

    def type_line(self, text: str) -> None:
        self._run("send-keys", "-t", "play", "-l", text)
        self.press("Enter")

    def exit_status(self) -> int:
        """The command's exit status, once it has exited (written by the wrapping shell: tmux
        may keep an exited command as a zombie for a while under load)."""
        self.wait(lambda _: self.status_file.is_file(), "the command exit")
        return int(self.status_file.read_text().strip())

    def close(self) -> None:
        subprocess.run([self.tmux, "-S", str(self.socket), "kill-server"], capture_output=True)
