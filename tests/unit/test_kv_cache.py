"""KV-cache bookkeeping without a model: shares, eviction order, sequence ids."""

from __future__ import annotations

from agent.model.context import demand_share
from agent.model.kv_cache import TURN_ROOM, Rate, Sessions, reevaluated_count
from agent.model.protocol import CallStats
from llm20q.bench.kv import reevaluation


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


def test_a_session_takes_what_the_others_leave_unused_up_to_the_fair_level() -> None:
    assert demand_share(8192, [2048, 2048, 2048]) == 2048  # all at the fair level: a quarter
    assert demand_share(8192, [9000, 300, 300]) == (8192 - 600) // 2  # two small answerers
    assert demand_share(8192, [300, 300, 2900]) == 8192 - 600 - 2900  # the other guesser smaller
    assert demand_share(100, []) == 100
    assert demand_share(100, [0, 0, 0]) == 100


def test_share_for_grants_the_others_their_peak_plus_room_for_a_turn() -> None:
    sessions = sessions_logging([], n_ctx=800)
    guesser, answerer = sessions.get("g"), sessions.get("a")
    answerer.tokens = [1] * 50
    answerer.remember()
    assert sessions.share() == 400
    assert sessions.share_for(guesser, headroom=10) == 800 - 60
    assert sessions.share_for(guesser) == 800 - 50 - 400 // TURN_ROOM  # default room
    sessions.forget(answerer)  # an eviction keeps the peak: the grant stays
    assert answerer.peak == 50 and sessions.share_for(guesser, headroom=10) == 740
    answerer.tokens = [1] * 600
    answerer.remember()
    assert sessions.share_for(guesser, headroom=10) == 400  # both at the level: fair halves


def test_reevaluated_tokens_are_only_what_the_session_had_evaluated_before() -> None:
    history = [1, 2, 3, 4, 5, 6]  # held after the last call
    # a turn appended: only its tokens are evaluated, none twice
    assert reevaluated_count(history, [1, 2, 3, 4, 5, 6, 7, 8], evaluated=2) == 0
    # the direct answerer's last question replaced: the new question is new, not waste
    assert reevaluated_count(history, [1, 2, 3, 9, 9], evaluated=2) == 0
    # condensed: the kept turns 4..6 move and are evaluated again with the new turn 7, 8
    assert reevaluated_count(history, [1, 2, 3, 4, 5, 6, 7, 8], evaluated=5) == 3
    # the cache was evicted: the whole known prefix is evaluated a second time
    assert reevaluated_count(history, [1, 2, 3, 4, 5, 6, 7], evaluated=7) == 6
    # the same prompt again: its last token is evaluated again for its logits
    assert reevaluated_count(history, history, evaluated=1) == 1
    assert reevaluated_count([], [1, 2, 3], evaluated=3) == 0  # a new session


def test_a_session_that_lost_its_sequence_keeps_its_history() -> None:
    sessions = sessions_logging([], n_seq_max=1)
    first = sessions.get("a")
    first.tokens = [1, 2, 3]
    first.remember()
    sessions.get("b")  # takes a's sequence id
    again = sessions.get("a")
    assert again is not first and again.tokens == [] and again.history == [1, 2, 3]


def test_the_kv_bench_splits_evaluated_tokens_into_cached_left_and_twice() -> None:
    def call(session: str, evaluated: int, again: int) -> CallStats:
        return CallStats(session, "generate", evaluated, 0, evaluated, 0, 0.1,
                         reevaluated_tokens=again)  # fmt: skip

    calls = [call("g", 100, 0), call("a", 50, 0), call("g", 40, 30), call("a", 10, 0)]
    summary = reevaluation(calls, context_tokens=150)
    assert summary["evaluated_tokens"] == 200 and summary["reevaluated_tokens"] == 30
    assert summary["reevaluated_share"] == 0.15
    assert summary["cached_at_end"] == 150 and summary["left_context"] == 20
    assert summary["turns"] == 4 and summary["turns_with_reevaluation"] == 1
    assert summary["worst_turn"] == {"session": "g", "reevaluated_tokens": 30,
                                     "evaluated_tokens": 40}  # fmt: skip
    assert summary["sessions"]["g"] == {"calls": 2, "evaluated": 140, "reevaluated": 30}
    assert reevaluation([], 0)["reevaluated_share"] == 0.0
    assert reevaluation([call("a", 5, 0)], 5)["worst_turn"] is None
