"""The KV cache's bookkeeping: chat sessions on llama.cpp sequence ids, eviction, accounting.

:class:`Sessions` maps a session name (a seat's chat) to a :class:`Session`: the sequence id it
owns in the unified KV cache, the tokens cached there and the text behind them. Sessions are kept
in least-recently-used order; a new session takes a free sequence id, or the least recently used
session's. :meth:`Sessions.make_room` evicts other sessions' caches when a call needs more cells
than are free: sessions over their share of the context first (:mod:`agent.model.context`), then
the least recently used, so the same calls always evict the same caches. A session's own share
(:meth:`Sessions.share_for`) adds what the other sessions leave unused (:func:`demand_share`).

Each session also remembers the tokens it last held (``history``, kept through evictions and
condensing), so a call can count exactly the prompt tokens it evaluates a second time
(:func:`reevaluated_count`): what condensing moved, what an eviction dropped, a last token
evaluated again for its logits.

Also here: :class:`TokenTotals` (what the backend evaluated, reused, condensed and evicted over
the process) and :class:`Rate` (measured seconds per token, for deadlines).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from agent.model.context import Condensed, demand_share, session_share

log = logging.getLogger(__name__)

# Another session's grant is the most it has held plus this fraction of the fair share.
TURN_ROOM = 4

# Drops the cells of a sequence at positions [start, end) (-1: open end): LlamaContext.remove.
RemoveCells = Callable[[int, int, int], None]


@dataclass
class Session:
    seq_id: int
    tokens: list[int] = field(default_factory=list)
    # Prompt text whose tokenisation is exactly ``tokens``; "" when unknown (after a trim).
    text: str = ""
    condensed: Condensed = field(default_factory=Condensed)
    # The tokens held after the session's last call, kept when its cache is evicted or condensed.
    history: list[int] = field(default_factory=list)
    peak: int = 0  # the most tokens the session has held

    def remember(self) -> None:
        """After a call: what the session holds becomes its history."""
        self.history = list(self.tokens)
        self.peak = max(self.peak, len(self.tokens))


@dataclass
class TokenTotals:
    """Running totals over every call of the backend."""

    calls: int = 0
    evaluated_tokens: int = 0
    reused_tokens: int = 0
    generated_tokens: int = 0
    condensed_calls: int = 0  # calls that condensed their session's history
    condensed_tokens: int = 0  # prompt tokens evaluated again because of condensing
    reevaluated_tokens: int = 0  # prompt tokens evaluated again, whatever the cause


@dataclass
class Rate:
    """Seconds per token of measured batches, pessimistic: a slower batch counts at once, a
    faster one halves the gap (None before the first). Deadlines need the bad case."""

    per_token: float | None = None

    def add(self, tokens: int, seconds: float) -> None:
        if tokens > 0:
            sample = seconds / tokens
            if self.per_token is None or sample > self.per_token:
                self.per_token = sample
            else:
                self.per_token = (self.per_token + sample) / 2

    def seconds(self, tokens: int) -> float:
        return (self.per_token or 0.0) * tokens


def common_prefix_length(a: Sequence[int], b: Sequence[int]) -> int:
    n = min(len(a), len(b))
    if n == 0:
        return 0
    left = np.asarray(a[:n], dtype=np.int64)
    right = np.asarray(b[:n], dtype=np.int64)
    mismatch = np.flatnonzero(left != right)
    return int(mismatch[0]) if mismatch.size else n


def reevaluated_count(history: Sequence[int], unchanged: Sequence[int], evaluated: int) -> int:
    """Of the ``evaluated`` prompt tokens of a call, those the session had evaluated before.

    ``unchanged`` is the call's prompt as the session kept its chat before the call (no new
    condensing), ``history`` the tokens the session held after its previous call: the tokens of
    ``unchanged`` past their common prefix are new to the session, every other evaluated token
    is one it evaluates a second time."""
    new = len(unchanged) - common_prefix_length(history, unchanged)
    return max(0, evaluated - new)


class Sessions:
    """Named sessions on the sequence ids of one context of ``n_ctx`` cells."""

    def __init__(self, n_ctx: int, n_seq_max: int, remove: RemoveCells) -> None:
        self.n_ctx = n_ctx
        self._remove = remove
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._free_seq_ids = list(range(n_seq_max))
        self.evictions = 0
        self._retired: dict[str, list[int]] = {}  # history of sessions that lost their id

    def get(self, name: str) -> Session:
        """The session called ``name`` (created when new), now the most recently used."""
        session = self._sessions.get(name)
        if session is None:
            if not self._free_seq_ids:
                retired, evicted = self._sessions.popitem(last=False)
                self._remove(evicted.seq_id, -1, -1)
                self._free_seq_ids.append(evicted.seq_id)
                self._retired[retired] = evicted.history
            session = Session(seq_id=self._free_seq_ids.pop(0))
            session.history = self._retired.pop(name, [])
            self._sessions[name] = session
        self._sessions.move_to_end(name)
        return session

    def free_seq_ids(self) -> list[int]:
        """Sequence ids no session holds (branches borrow them)."""
        return list(self._free_seq_ids)

    def tokens(self, name: str) -> list[int]:
        """The tokens currently cached for a session (empty when unknown)."""
        session = self._sessions.get(name)
        return list(session.tokens) if session else []

    def total(self) -> int:
        """Tokens cached over all sessions."""
        return sum(len(session.tokens) for session in self._sessions.values())

    def share(self) -> int:
        """Tokens each session may hold: the context shared by the sessions holding a sequence."""
        return session_share(self.n_ctx, len(self._sessions))

    def share_for(self, current: Session, headroom: int | None = None) -> int:
        """Tokens ``current`` may hold: the context split fairly while every other session keeps
        the most it has held plus ``headroom`` (default: a quarter of the fair share, room for a
        turn; :func:`demand_share`)."""
        room = self.share() // TURN_ROOM if headroom is None else headroom
        others = [s.peak + room for s in self._sessions.values() if s is not current]
        return demand_share(self.n_ctx, others)

    def forget(self, session: Session) -> None:
        """Drop a session's cache (it keeps its sequence id and starts again from nothing)."""
        self._remove(session.seq_id, -1, -1)
        session.tokens = []
        session.text = ""

    def make_room(self, current: Session, needed: int) -> None:
        """Evict other sessions' caches until ``needed`` more cells fit: those holding more than
        their share first, then the least recently used."""
        share = self.share()
        others = [s for s in self._sessions.values() if s is not current and s.tokens]
        others.sort(key=lambda s: len(s.tokens) <= share)  # stable: LRU order within each group
        for other in others:
            if self.total() + needed <= self.n_ctx:
                return
            log.info("context: evicted a %d-token session cache", len(other.tokens))
            self.forget(other)
            self.evictions += 1
