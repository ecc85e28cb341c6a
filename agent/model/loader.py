"""Load the model once per process, in a background thread, and hand it out when it is ready.

Loading a GGUF takes from a fraction of a second (the tiny model) to tens of seconds (an 8B on
Kaggle), and the first move also pays for importing the agent. :class:`BackgroundLoader` starts
the load in a daemon thread on :meth:`start` (the seat calls it on its first move), so the
planner and the rules play while the model loads; :meth:`get` waits for it at most as long as
the caller can afford. A load that fails is reported to every caller as
:class:`ModelUnavailable` (the seat then plays without the model), never raised in the thread.

The thread only loads; every call on the loaded backend happens in the moves' own thread, one at
a time, so the backend needs no lock. Shortcut: a failed load is not retried.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from agent.clock import ModelSkipped
from agent.model.protocol import ChatBackend

log = logging.getLogger(__name__)


class ModelUnavailable(ModelSkipped):
    """The model failed to load; the message says why."""


class BackgroundLoader:
    """The backend ``load()`` returns, loaded once in a background thread."""

    def __init__(self, load: Callable[[], ChatBackend], *, background: bool = True) -> None:
        self._load = load
        self.background = background
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._done = threading.Event()
        self._backend: ChatBackend | None = None
        self._error: BaseException | None = None
        self.load_seconds: float | None = None

    def start(self) -> None:
        """Start loading (once; later calls do nothing). Without ``background`` the load waits
        for the first :meth:`get`."""
        if not self.background:
            return
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="llm20q-model-load", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        started = time.monotonic()
        try:
            self._backend = self._load()
        except BaseException as error:  # noqa: BLE001 - reported to every caller of get()
            self._error = error
        self.load_seconds = time.monotonic() - started
        if self._error is None:
            log.info("model loaded in %.2f s", self.load_seconds)
        self._done.set()

    def get(self, timeout: float | None = None) -> ChatBackend | None:
        """The backend, waiting at most ``timeout`` seconds (None: until it is loaded); None when
        it is not ready in time. Raises :class:`ModelUnavailable` when the load failed."""
        if self.background:
            self.start()
        else:
            with self._lock:
                if not self._done.is_set():
                    self._run()
        if not self._done.wait(timeout):
            return None
        if self._error is not None:
            error = self._error
            raise ModelUnavailable(type(error).__name__, str(error)) from error
        return self._backend

    @property
    def loaded(self) -> ChatBackend | None:
        """The backend when it is loaded, else None (never waits)."""
        return self._backend if self._done.is_set() else None
