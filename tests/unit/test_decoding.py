"""The decode loop's pure pieces: prompt batches before a deadline, where a reply ends."""

from __future__ import annotations

from agent.model.decoding import DEADLINE_BATCH, FIRST_BATCH, affordable_tokens, first_cut


def test_prompt_batches_before_a_deadline() -> None:
    assert affordable_tokens(0.0, 0.01) == 0 and affordable_tokens(-1.0, None) == 0
    assert affordable_tokens(5.0, None) == FIRST_BATCH  # measure first
    assert affordable_tokens(0.2, 0.01) == 10  # half of the time left at the measured speed
    assert affordable_tokens(60.0, 0.001) == DEADLINE_BATCH  # a slowdown costs one batch at most
    assert affordable_tokens(0.005, 0.01) == 0  # not even one token fits


def test_reply_ends_at_the_first_stop_or_after_the_first_end_after() -> None:
    assert first_cut("Is it red? Or blue?", (), ("?",)) == len("Is it red?")
    assert first_cut("a guess\nmore", ("\n",), ()) == len("a guess")
    assert first_cut("no end here", ("\n",), ("?",)) is None
