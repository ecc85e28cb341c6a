"""One log line for every fallback and every time-saving decision, with its cause.

:func:`note` logs ``"<kind> <cause>: <detail>"`` once, on one line, on the ``agent.events``
logger at warning level (Kaggle keeps an agent's stderr in its episode logs, and Python's
last-resort handler prints warnings when nothing else is configured), and counts it in
:data:`COUNTS`, so benchmarks and tests count fallbacks by cause without parsing logs.

Kinds: :data:`FALLBACK` (a safe action replaced what the policy would have played) and
:data:`TIME` (the clock chose a faster path, cut work short or spent overage). Causes are short
kebab-case words (``invalid-observation``, ``model-loading``, ``deadline``...). Shortcut: the
counter is process-wide; seats tell their own events apart by reading it before and after a move
(moves never overlap: the judge calls agents one at a time).
"""

from __future__ import annotations

import logging
from collections import Counter

FALLBACK = "fallback"
TIME = "time"

DETAIL_LIMIT = 200  # characters: a detail may quote a 750-character question

log = logging.getLogger(__name__)
COUNTS: Counter[tuple[str, str]] = Counter()


def note(kind: str, cause: str, detail: str = "") -> None:
    """Count and log one decision: ``kind`` (fallback or time), ``cause`` and a short detail."""
    COUNTS[kind, cause] += 1
    text = " ".join(detail.split())[:DETAIL_LIMIT]  # one short line, whatever the detail holds
    log.warning("%s %s: %s", kind, cause, text, extra={"event_kind": kind, "cause": cause})


def total(kind: str) -> int:
    """How many decisions of ``kind`` were noted so far in this process."""
    return sum(count for (noted, _), count in COUNTS.items() if noted == kind)
