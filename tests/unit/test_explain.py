"""The planner's read-only view (agent.planner.explain) on a small synthetic knowledge base."""

from __future__ import annotations

import math

import pytest

from agent.game import Round
from agent.planner.belief import PlannerConfig
from agent.planner.explain import PlannerView, ViewMode
from agent.planner.index import PlannerIndex
from agent.rules import HANDSHAKE_QUESTION, alphabetical_question
from tests.unit.test_planner import ANIMALS, THINGS, small_kb

NO = Round(HANDSHAKE_QUESTION, "no")


def view_for(handover: float = 0.9, **config: float) -> PlannerView:
    flat = {"yes_bias_grid": (0.0,), "yes_bias_prior": (1.0,)}  # a partner without a yes bias
    cfg = PlannerConfig(uniform_mix=0.0, **{**flat, **config})  # type: ignore[arg-type]
    return PlannerView(PlannerIndex(small_kb(), 0.0), cfg, handover)


def test_mode_follows_the_handshake() -> None:
    view = view_for()
    assert view.think([]).mode is ViewMode.HANDSHAKE
    assert view.think([Round(HANDSHAKE_QUESTION)]).mode is ViewMode.HANDSHAKE
    assert view.think([NO]).mode is ViewMode.BAYES
    assert view.think([Round(HANDSHAKE_QUESTION, "yes")]).mode is ViewMode.ALPHA


def test_mode_is_llm_once_the_keyword_looks_outside_the_lexicon() -> None:
    view = view_for(handover=0.05)  # the prior alone puts 10% outside
    assert view.think([NO]).mode is ViewMode.LLM


def test_candidates_are_the_posterior_most_probable_first() -> None:
    view = view_for()
    thinking = view.think([NO, Round("Is it a bird?", "yes")], count=16)
    names = [name for name, _ in thinking.candidates]
    assert set(names[:2]) == {"eagle", "owl"}
    probabilities = [p for _, p in thinking.candidates]
    assert probabilities == sorted(probabilities, reverse=True)
    assert sum(probabilities) == pytest.approx(1.0)
    assert 0.0 < thinking.outside < 1.0


def test_wrong_guesses_leave_the_candidates() -> None:
    thinking = view_for().think([Round("Is it a bird?", "yes", "eagle")], count=16)
    assert "eagle" not in [name for name, _ in thinking.candidates]


def test_information_of_an_even_split_is_one_bit_less_the_noise() -> None:
    view = view_for(noise_table=0.1)
    noise = -(0.1 * math.log2(0.1) + 0.9 * math.log2(0.9))
    assert view.information([NO], "Is it an animal?") == pytest.approx(1.0 - noise)  # 8 of 16
    after_no = view.information([NO, Round("Is it an animal?", "no")], "Is it a bird?")
    after_yes = view.information([NO, Round("Is it an animal?", "yes")], "Is it a bird?")
    assert after_no is not None and after_yes is not None
    assert after_no < 0.1 < after_yes  # with no animal left, "bird?" tells little


def test_information_of_an_alphabetical_split_in_alpha_mode() -> None:
    view = view_for()
    words = sorted(ANIMALS + THINGS)
    question = alphabetical_question(words[8])  # 8 candidates precede it
    bits = view.information([Round(HANDSHAKE_QUESTION, "yes")], question)
    assert bits == pytest.approx(1.0, abs=0.01)


def test_free_text_has_no_expected_information() -> None:
    assert view_for().information([NO], "Is it bigger than a breadbox?") is None


def test_standing_of_a_keyword() -> None:
    view = view_for(noise_table=0.1)
    rounds = [NO, Round("Is it a bird?", "yes")]
    rank, probability = view.standing(rounds, "owls") or (0, 0.0)  # the judge's plural
    assert rank <= 2 and probability > 0.2
    assert view.standing(rounds, "zebra") is None
    assert view.lexicon_size == 16


def test_mode_is_bayesian_once_a_check_rules_the_protocol_out() -> None:
    view = view_for()
    yes = Round(HANDSHAKE_QUESTION, "yes")
    split = Round(alphabetical_question("dog"), "yes")  # the keyword precedes "dog"
    assert view.think([yes, split]).mode is ViewMode.ALPHA
    check = Round(alphabetical_question("owl"), "no")  # implied yes: a protocol partner says yes
    assert view.think([yes, split, check]).mode is ViewMode.BAYES
