"""Simulated partners and the partner suite, on the real-format WordNet subset
(tests/data/kb/) and knowledge folders built from it; no model."""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

import pytest

from agent.kinds import rule_answer
from agent.planner.store import KnowledgeBase
from agent.rules import HANDSHAKE_QUESTION, alphabetical_question, letter_question
from agent.settings import AgentSettings
from llm20q.baseline import BaselineStats
from llm20q.eval.games import team_one
from llm20q.eval.partners import PartnerAnswerer, WordNetTruth
from llm20q.eval.profiles import profile
from llm20q.eval.simulated import local_guessed, no_model
from llm20q.eval.suite import knowledge_for, play_with_partner, settings_with, worker_arguments
from llm20q.eval.suite_report import suite_table, summarise
from llm20q.kb.prior import FOLDS_FILE
from llm20q.kb.wordnet import WordNet
from llm20q.keywords import Keyword
from tests.knowledge_fixture import DATA


@pytest.fixture(scope="module")
def truth(kb_dir: Path) -> WordNetTruth:
    return WordNetTruth(WordNet.load(DATA / "wordnet"), KnowledgeBase.load(kb_dir))


def test_an_unknown_profile_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown partner profile 'oracle': choose one of alpha"):
        profile("oracle")


def test_the_partner_reads_one_sense_where_the_table_mixes_them(truth: WordNetTruth) -> None:
    kb = truth.kb
    bat = kb.index_of("bat")
    assert bat is not None
    animal = kb.answer_probs(kb.question_ids["Is it an animal?"])[bat]
    sports = kb.answer_probs(kb.question_ids["Is it sports equipment?"])[bat]
    assert 0.5 < animal < 1.0 and 0.0 < sports < 0.5  # the table: mostly the animal
    assert truth.answer("Is it an animal?", "bat") is True  # WordNet's first sense
    assert truth.answer("Is it a mammal?", "Bats") is True  # plural, any case
    assert truth.answer("Is it sports equipment?", "bat") is False
    assert truth.answer("Is it a dog?", "zorblax") is None  # WordNet does not know it
    assert truth.answer("Is it blue?", "bat") is None  # not a bank question
    assert truth.answer("Is it soft?", "bat") is None  # unlabelled property: no targets


def test_alpha_answers_exactly_and_decides_what_it_can(truth: WordNetTruth) -> None:
    partner = PartnerAnswerer(profile("alpha"), truth)
    assert partner.decide(HANDSHAKE_QUESTION, "bat")
    for word in ("a", "bas", "bat", "bau", "zz"):
        question = alphabetical_question(word)
        assert partner.decide(question, "bat") is rule_answer(question, "bat")
    assert partner.decide(letter_question("a", "c"), "bat")
    assert partner.decide("Is it an animal?", "bat") and not partner.decide("Is it a tool?", "bat")
    assert partner.flipped == partner.coins == 0
    partner.decide("Is it soft?", "bat")
    assert partner.coins == 1


@pytest.mark.parametrize("name", ["llm-like", "false-alpha"])
def test_noisy_partners_flip_at_their_rates(truth: WordNetTruth, name: str) -> None:
    spec = profile(name)
    partner = PartnerAnswerer(spec, truth, seed=3)
    assert partner.decide(HANDSHAKE_QUESTION, "bat") is (spec.handshake_yes > 0.5)
    rng = random.Random(0)
    words = ["".join(rng.choice("abcdefghij") for _ in range(4)) for _ in range(3000)]
    wrong = sum(
        partner.decide(alphabetical_question(w), "bat")
        != rule_answer(alphabetical_question(w), "bat")
        for w in words
    )
    assert abs(wrong / len(words) - spec.alphabetical) < 0.04
    bank = sum(not partner.decide("Is it an animal?", "bat") for _ in range(3000))
    assert abs(bank / 3000 - spec.bank) < 0.04


def test_a_partner_replays_the_same_game(truth: WordNetTruth) -> None:
    questions = [alphabetical_question(w) for w in ("b", "bat", "c", "ba")] + ["Is it a bird?"]
    first = PartnerAnswerer(profile("random"), truth, seed=7)
    second = PartnerAnswerer(profile("random"), truth, seed=7)
    assert [first.decide(q, "bat") for q in questions] == [
        second.decide(q, "bat") for q in questions
    ]


def test_our_guesser_with_partners(kb_dir: Path, truth: WordNetTruth) -> None:
    settings = AgentSettings(knowledge_dir=kb_dir)
    for keyword in ("bat", "coffee grinder", "hammer"):
        game = play_with_partner(
            settings,
            Keyword(keyword, "things"),
            PartnerAnswerer(profile("alpha"), truth),
            local_guessed(keyword),
        )
        assert game.solved and game.rounds <= 12, game
        assert game.alphabetical_questions == game.rounds - 1
    game = play_with_partner(
        settings,
        Keyword("bat", "things"),
        PartnerAnswerer(profile("llm-like"), truth),
        local_guessed("bat"),
    )
    assert game.decision_round == 1  # a "no" to the handshake settles it
    assert game.alphabetical_questions == 0


def test_the_vs_partner_pairing_needs_a_partner(kb_dir: Path, truth: WordNetTruth) -> None:
    settings = AgentSettings(knowledge_dir=kb_dir)
    partner = PartnerAnswerer(profile("alpha"), truth)
    team = team_one("vs-partner", settings, no_model, BaselineStats(), partner)
    assert team.seats[1].policies.answerer is partner
    with pytest.raises(ValueError, match="vs-partner"):
        team_one("vs-partner", settings, no_model, BaselineStats())
    with pytest.raises(ValueError, match="vs-partner"):
        team_one("self", settings, no_model, BaselineStats(), partner)


def test_folds_send_each_keyword_to_the_prior_that_never_saw_it(tmp_path: Path) -> None:
    (tmp_path / FOLDS_FILE).write_text(
        json.dumps({"folders": ["fold-0", "fold-1"], "keywords": {"airfryer": 1, "bat": 0}}),
        encoding="utf-8",
    )
    assert knowledge_for(tmp_path, "Air Fryer") == tmp_path / "fold-1"
    assert knowledge_for(tmp_path, "bat") == tmp_path / "fold-0"
    assert knowledge_for(tmp_path, "hammer") == tmp_path
    assert knowledge_for(tmp_path / "nothing", "bat") == tmp_path / "nothing"


def test_summaries_and_table() -> None:
    games: list[dict[str, Any]] = [
        {"solved": True, "rounds": 4, "decision_round": 1, "confident_round": 3,
         "final_p_protocol": 0.95, "handed_over": False, "alphabetical_questions": 3},
        {"solved": False, "rounds": 20, "decision_round": 5, "confident_round": None,
         "final_p_protocol": 0.2, "handed_over": True, "alphabetical_questions": 0},
    ]  # fmt: skip
    summary = summarise(games)
    assert summary["solved"] == 1 and summary["mean_rounds_solved"] == 4.0
    assert summary["mean_decision_round"] == 3.0 and summary["never_confident"] == 1
    assert summary["ended_in_bayes_mode"] == 1 and summary["mean_final_p_protocol"] == 0.575
    assert summary["cumulative_success"][3] == 0.5 and summary["cumulative_success"][2] == 0.0
    table = suite_table(
        {"before": {"official": {"alpha": summary}}, "after": {"official": {"alpha": summary}}}
    )
    assert "| official | alpha | 2 | 1 (50%) / 1 (50%) | 4.0 / 4.0 | 3.0 (1) / 3.0 (1) |" in table
    # a row only the after side played (the real LLM partners) is printed too
    after_only = {"alpha": summary, "llm-answerer:few-shot": summary}
    table = suite_table(
        {"before": {"official": {"alpha": summary}}, "after": {"official": after_only}}
    )
    assert "| official | llm-answerer:few-shot | 2 | - / 1 (50%) | - / 4.0 | - / 3.0 (1) |" in table


def test_worker_gets_the_same_games(tmp_path: Path) -> None:
    args = argparse.Namespace(count=5, seed=2, sources=["official", "/x/k.txt"],
                              partners=["alpha"], local_judge=True)  # fmt: skip
    argv = worker_arguments(args, tmp_path, ["planner_top_k=64"])
    assert argv[:3] == ["--worker", "--knowledge", str(tmp_path)]
    assert "official,/x/k.txt" in argv and "--local-judge" in argv
    assert argv[-2:] == ["--set", "planner_top_k=64"]
    settings = settings_with(tmp_path, ["planner_top_k=64", "planner_from_the_future=1"])
    assert settings.planner_top_k == 64 and settings.knowledge_dir == tmp_path.resolve()
