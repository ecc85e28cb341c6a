"""Evaluation logic without a model or a judge: statistics, summaries, labelled triples, the
baseline player's prompts and parsing (on the strict fake backend) and the pairings' seats."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.game import Round, SeatState
from agent.model.protocol import GenerateOptions
from agent.seat import legal_or_fallback
from agent.settings import PROJECT_DIR, AgentSettings
from llm20q.baseline import (
    ANSWER_TOKENS,
    BaselineAnswerer,
    BaselineGuesser,
    BaselineStats,
    answerer_messages,
    judge_legal,
    load_baseline_prompts,
    make_baseline_seat,
    questioner_messages,
    starred_or_whole,
)
from llm20q.eval.answerer import read_triples
from llm20q.eval.games import GameRecord, GamesResult, team_one
from llm20q.eval.report import cumulative_success, games_table, summarise_games
from llm20q.stats import latency_summary, percentile
from tests.fakes import Generate, ScriptedBackend, one_line

SETTINGS = AgentSettings()
ANSWER_OPTIONS = GenerateOptions(ANSWER_TOKENS, temperature=0.0, seed=SETTINGS.seed, stop=("\n",))

# --------------------------------------------------------------------------- pure helpers


def test_percentile_matches_linear_interpolation() -> None:
    values = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 50) == 3.0
    assert percentile(values, 100) == 5.0
    assert percentile(values, 25) == 2.0
    assert percentile([1.0, 2.0], 95) == pytest.approx(1.95)
    assert percentile([7.0], 95) == 7.0


def test_percentile_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_latency_summary_is_in_milliseconds() -> None:
    assert latency_summary([0.1, 0.2, 0.3]) == {"n": 3, "p50": 200.0, "p95": 290.0}
    assert latency_summary([]) == {"n": 0, "p50": None, "p95": None}


def _record(index: int, solved: bool, rounds: int, status: str = "DONE") -> GameRecord:
    return GameRecord(index, f"kw{index}", solved, rounds, 1.0, status, "DONE", 0, None, "G", "A")


def test_summary_is_consistent() -> None:
    records = [_record(1, True, 3), _record(2, False, 20), _record(3, True, 3), _record(4, True, 9)]
    result = GamesResult("self", records, {"ask": [0.1, 0.3]}, BaselineStats(), seconds=4.0)
    summary = summarise_games(result)
    assert summary["games"] == 4 and summary["solved"] == 3
    assert summary["success_rate"] == 0.75
    assert summary["mean_rounds_solved"] == 5.0
    assert sum(summary["rounds_histogram"].values()) == summary["solved"]
    assert summary["rounds_histogram"]["3"] == 2 and summary["rounds_histogram"]["9"] == 1
    assert summary["cumulative_success"][2] == 0.5 and summary["cumulative_success"][-1] == 0.75
    assert summary["latency_ms"]["ask"]["p50"] == 200.0
    assert summary["latency_ms"]["answer"]["n"] == 0
    assert summary["errors"] == summary["timeouts"] == 0
    assert "| self | 4 | 3 | 75.0% | 5.0 |" in games_table(summary)


def test_errors_and_timeouts_are_counted_per_game() -> None:
    records = [_record(1, False, 2, "ERROR"), _record(2, False, 5, "TIMEOUT"), _record(3, True, 1)]
    summary = summarise_games(GamesResult("self", records, {}, BaselineStats(), 1.0))
    assert (summary["errors"], summary["timeouts"]) == (1, 1)
    assert cumulative_success([]) == [0.0] * 20


def test_triples_are_validated(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text('{"keyword": "a", "question": "q?", "expected": "maybe"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=":1:"):
        read_triples(path)
    shipped = read_triples(PROJECT_DIR / "data" / "answerer_eval.jsonl")
    assert len(shipped) >= 300 and {t.expected for t in shipped} == {"yes", "no"}


# ------------------------------------------------------------------------------- baseline


def test_baseline_prompts_follow_the_starter_notebook() -> None:
    prompts = load_baseline_prompts()
    state = SeatState(keyword="Toaster", category="things", rounds=(Round("Is it big?", "no"),))
    asked = questioner_messages(prompts, state, guessing=False)
    opening = 1 + len(prompts.fewshot)
    assert [m.role for m in asked[opening:]] == ["user", "assistant", "user", "user"]
    assert asked[-1].content == "Please ask a yes-or-no question."
    assert asked[1].role == "user" and len(prompts.fewshot) % 2 == 1  # ends on a user turn
    answering = answerer_messages(
        prompts, SeatState(keyword="Toaster", category="things", rounds=(Round("Is it big?"),))
    )
    assert "The keyword is Toaster in the category things." in answering[opening].content
    assert answering[-2].content == "Is it big?"
    assert starred_or_whole("I think **Toaster** it is") == "Toaster"
    assert starred_or_whole("toaster\nmore") == "toaster"


def test_baseline_policies_only_clean_to_legal(fake_backend: ScriptedBackend) -> None:
    q_tokens, g_tokens = SETTINGS.max_question_tokens, SETTINGS.max_guess_tokens
    backend = fake_backend.expect(
        Generate("b/guesser", "Please ask", "**Is it an appliance?** yes", one_line(q_tokens)),
        Generate("b/guesser", "Now guess", "My guess: **Toaster**", one_line(g_tokens)),
        Generate("b/guesser", "Now guess", "  ", one_line(g_tokens)),  # nothing: a fallback guess
        Generate("b/answerer", "Give a yes-or-no answer", "**Yes**, it is.", ANSWER_OPTIONS),
        Generate("s/guesser", "Please ask", "I'm not sure.", one_line(q_tokens)),
        Generate("s/guesser", "Now guess", "Toaster", one_line(g_tokens)),
    )
    prompts = load_baseline_prompts()
    guesser = BaselineGuesser(backend, prompts, SETTINGS, "b/guesser")
    assert guesser.ask(SeatState()) == "Is it an appliance?"
    state = SeatState(rounds=(Round("Is it an appliance?", "yes"),))
    assert guesser.guess(state) == "Toaster"
    wrong = SeatState(rounds=(Round("Is it an appliance?", "yes", "Toaster"), Round("Q?", "no")))
    assert guesser.guess(wrong) not in ("Toaster", "")
    assert guesser.stats.guess_fallbacks == 1
    answerer = BaselineAnswerer(backend, prompts, SETTINGS, "b/answerer")
    ask = SeatState(keyword="Toaster", category="things", rounds=(Round("Is it hot?"),))
    assert answerer.answer(ask) == "yes"
    assert answerer.stats.answers == 1 and answerer.stats.answer_fallbacks == 0
    # The seat keeps the judge's legality only: a repeated guess is played as the model said it.
    stats = BaselineStats()
    seat = make_baseline_seat("s", SETTINGS, lambda: backend, stats)
    obs = {"role": "guesser", "turnType": "ask", "questions": [], "answers": [], "guesses": []}
    assert seat.act(obs) == "Is it a person?"  # the notebook's default question
    obs = {"role": "guesser", "turnType": "guess", "questions": ["Is it a person?"],
           "answers": ["no"], "guesses": []}  # fmt: skip
    assert seat.act(obs) == "Toaster"
    assert stats.question_fallbacks == 1 and seat.errors == 0


def test_pairings_put_the_baseline_in_the_right_seat() -> None:
    def no_model() -> ScriptedBackend:
        raise AssertionError("building seats must not load a model")

    for pairing, kinds in {
        "self": (legal_or_fallback, legal_or_fallback),
        "vs-baseline-answerer": (legal_or_fallback, judge_legal),
        "vs-baseline-questioner": (judge_legal, legal_or_fallback),
        "baseline": (judge_legal, judge_legal),
    }.items():
        team = team_one(pairing, SETTINGS, no_model, BaselineStats())
        assert tuple(seat.legalize for seat in team.seats) == kinds, pairing
    with pytest.raises(ValueError):
        team_one("vs-nobody", SETTINGS, no_model, BaselineStats())
