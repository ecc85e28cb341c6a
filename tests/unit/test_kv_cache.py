"""KV-cache bookkeeping without a model: shares, eviction order, sequence ids."""

from __future__ import annotations

from agent.model.kv_cache import Rate, Sessions


def sessions_logging(removed: list[int], n_ctx: int = 100, n_seq_max: int = 4) -> Sessions:
    return Sessions(n_ctx, n_seq_max, lambda seq_id, _start, _end: removed.append(seq_id))


def test_share_is_the_context_over_the_sessions_holding_a_sequence() -> None:
    sessions = sessions_logging([])
    sessions.get("p0/guesser")
    assert sessions.share() == 100
    for name in ("p1/answerer", "p2/guesser", "p3/answerer"):
        sessions.get(name)
    assert sessions.share() == 25


def test_eviction_takes_sessions_over_their_share_first_then_the_least_recent() -> None:
    removed: list[int] = []
    sessions = sessions_logging(removed)
    oldest, big, current = sessions.get("a"), sessions.get("b"), sessions.get("c")
    oldest.tokens, big.tokens, current.tokens = [1] * 20, [1] * 40, [1] * 20  # share: 33
    sessions.make_room(current, 30)  # 80 + 30 > 100: the over-share session goes, enough
    assert removed == [big.seq_id] and big.tokens == [] and oldest.tokens == [1] * 20
    sessions.make_room(current, 70)  # 40 + 70 > 100: then the least recently used
    assert removed == [big.seq_id, oldest.seq_id] and sessions.evictions == 2
    assert current.tokens == [1] * 20  # never the session asking for room


def test_a_new_session_beyond_the_sequences_takes_the_least_recent_ones_id() -> None:
    removed: list[int] = []
    sessions = sessions_logging(removed, n_seq_max=2)
    first, second = sessions.get("a"), sessions.get("b")
    sessions.get("a")  # "a" is now the most recently used
    third = sessions.get("c")
    assert third.seq_id == second.seq_id and removed == [second.seq_id]
    assert sessions.tokens("b") == [] and sessions.get("a") is first


def test_rate_takes_a_slowdown_at_once_and_a_speedup_by_halves() -> None:
    rate = Rate()
    assert rate.seconds(10) == 0.0  # nothing measured yet: no prediction
    rate.add(10, 1.0)
    rate.add(10, 3.0)
    assert rate.per_token == 0.3
    rate.add(10, 1.0)
    assert rate.per_token == 0.2 and rate.seconds(5) == 1.0
