"""Coined candidates (:mod:`agent.planner.coined`): compounds of the lexicon's own words inside an
Agent Alpha interval, and the planner finding a keyword its lexicon lacks."""

from __future__ import annotations

import math

import numpy as np

from agent.game import Round
from agent.kinds import rule_answer
from agent.planner.coined import MAX_MODIFIERS
from agent.planner.index import PlannerIndex
from agent.planner.posterior import logsumexp
from agent.rules import HANDSHAKE_QUESTION
from tests.unit.test_planner import make_kb, planner_for, play_alpha

# "bin" heads three compounds, "mat" one; "compost bin" is not listed.
WORDS = [
    "ball", "beach ball", "bin", "cake", "compost", "compost heap", "dust bin", "heap",
    "hot", "hot air", "hot-air balloon", "hot air brush", "litter bin", "mat", "waste bin",
    "yoga", "yoga mat", "zebra",
]  # fmt: skip


def test_coin_lists_the_compounds_inside_the_interval() -> None:
    coiner = PlannerIndex(make_kb(WORDS), 0.0).coiner
    coined = coiner.coin("compost", "compot")
    assert coined is not None
    assert coined.strings == sorted(coined.strings)
    assert all("compost" <= s < "compot" for s in coined.strings)
    assert {"compost bin", "compost ball", "compostbin"} <= set(coined.strings)
    assert "compost compost" not in coined.strings
    assert "compost heap" not in coined.strings  # listed: the lexicon's own, not coined
    # P(string | outside the lexicon) over every coinable string: the interval holds a part
    assert logsumexp(coined.log_weight) < 0.0
    weight = dict(zip(coined.strings, coined.log_weight.tolist(), strict=True))
    assert weight["compost bin"] > weight["compost mat"]  # three compounds end with "bin"
    assert weight["compost bin"] > weight["compostbin"]  # open compounds are the likelier
    assert coined.top(set()) == ("compost bin", math.exp(weight["compost bin"]))
    top = coined.top({"compost bin"})
    assert top is not None and top[0] != "compost bin"
    narrow = coiner.coin("compost", "compost heap")
    assert narrow is not None and "compost bin" in narrow.strings
    assert all("compost" <= s < "compost heap" for s in narrow.strings)
    assert logsumexp(narrow.log_weight) < logsumexp(coined.log_weight)


def test_coin_needs_a_narrow_interval() -> None:
    words = [f"word{i:03d}" for i in range(MAX_MODIFIERS + 10)] + ["word bin", "zebra"]
    coiner = PlannerIndex(make_kb(words), 0.0).coiner
    assert coiner.coin("word", "word999") is None  # more than MAX_MODIFIERS modifiers inside
    assert coiner.coin("word000", None) is None  # no upper bound yet
    narrow = coiner.coin("word000", "word001")
    assert narrow is not None and "word000 bin" in narrow.strings


def test_alpha_planner_finds_a_compound_its_lexicon_lacks() -> None:
    planner = planner_for(make_kb(WORDS), outside_prior=0.1)
    assert play_alpha(planner, "compost bin", limit=19) <= 12
    for keyword in WORDS:  # the lexicon's own keywords are still found, spellings included
        assert play_alpha(planner_for(make_kb(WORDS), outside_prior=0.1), keyword) <= 6


def test_coined_strings_keep_the_planner_from_handing_over() -> None:
    keyword = "compost bin"
    planner = planner_for(make_kb(WORDS), outside_prior=0.1)
    off = planner_for(make_kb(WORDS), outside_prior=0.1, coined=False)
    rounds = [Round(HANDSHAKE_QUESTION, "yes", "compost")]
    for _ in range(3):
        question = off.question(rounds)
        assert question is not None
        answer = "yes" if rule_answer(question, keyword) else "no"
        rounds.append(Round(question, answer, off.guess([*rounds, Round(question, answer)])))
    post = planner.posterior(rounds)
    assert planner.coined(post) is not None and off.coined(off.posterior(rounds)) is None
    assert not planner.hands_over(rounds, threshold=0.01)
    assert off.hands_over(rounds, threshold=0.01)
    assert np.isfinite(planner.view(post, planner.posterior(rounds).mode).outside)
