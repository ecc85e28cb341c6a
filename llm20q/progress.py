"""A progress bar on stderr for long evaluations, or a silent stand-in when it is turned off.

tqdm is imported only when a bar is shown (it is a ``selfplay`` extra, not a runtime dependency).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol


class Progress(Protocol):
    """The two tqdm methods the evaluations call."""

    def update(self, n: int = 1) -> Any: ...

    def set_postfix(self, *_args: Any, **_kwargs: Any) -> Any: ...


class _Silent:
    def update(self, n: int = 1) -> None:
        return None

    def set_postfix(self, *_args: Any, **_kwargs: Any) -> None:
        return None


@contextmanager
def progress_bar(total: int, label: str, unit: str, *, shown: bool = True) -> Iterator[Progress]:
    """A tqdm bar of ``total`` steps (closed on exit, errors included), or a silent one."""
    if not shown:
        yield _Silent()
        return
    from tqdm import tqdm

    bar = tqdm(total=total, desc=label, unit=unit, file=sys.stderr, dynamic_ncols=True)
    try:
        yield bar
    finally:
        bar.close()
