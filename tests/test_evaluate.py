"""Evaluation harness: statistics helpers, the baseline player, answerer accuracy with the real
tiny GGUF, and real kaggle-environments games through ``run_eval``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from agent.baseline import (
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
from agent.game import Round, SeatState
from agent.harness.eval_cli import (
    add_eval_answerer_arguments,
    add_eval_arguments,
    run_eval,
    run_eval_answerer,
)
from agent.harness.evaluate import (
    GameRecord,
    GamesResult,
    Triple,
    cumulative_success,
    evaluate_answerer,
    games_table,
    latency_summary,
    load_keywords,
    percentile,
    read_triples,
    summarise_games,
    team_one,
)
from agent.seat import legal_or_fallback
from agent.settings import AgentSettings
from tests.fakes import Expect, ScriptedBackend

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


def test_keywords_are_seeded_and_files_get_official_alts(tmp_path: Path) -> None:
    first = load_keywords("official", 5, seed=3)
    assert first == load_keywords("official", 5, seed=3)
    assert first != load_keywords("official", 5, seed=4)
    words = tmp_path / "words.txt"
    words.write_text("# comment\nToaster\n\nzebra crossing\n", encoding="utf-8")
    picked = load_keywords(str(words), 4, seed=0)
    assert sorted({k.keyword for k in picked}) == ["Toaster", "zebra crossing"]
    assert all(k.category == "things" for k in picked)
    with pytest.raises(ValueError):
        load_keywords(str(tmp_path / "missing.txt"), 1, seed=0)


def test_triples_are_validated(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text('{"keyword": "a", "question": "q?", "expected": "maybe"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=":1:"):
        read_triples(path)
    shipped = read_triples(Path(__file__).parent.parent / "data" / "answerer_eval.jsonl")
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


def test_baseline_policies_only_clean_to_legal(tiny_settings: AgentSettings) -> None:
    backend = ScriptedBackend(
        [
            Expect("generate", "b/guesser", "Please ask", "**Is it an appliance?** yes"),
            Expect("generate", "b/guesser", "Now guess", "My guess: **Toaster**"),
            Expect("generate", "b/guesser", "Now guess", "  "),  # nothing: a fallback guess
            Expect("yes_probability", "b/answerer", "Give a yes-or-no answer", 0.7),
            Expect("generate", "s/guesser", "Please ask", "I'm not sure."),
            Expect("generate", "s/guesser", "Now guess", "Toaster"),
        ]
    )
    prompts = load_baseline_prompts()
    guesser = BaselineGuesser(backend, prompts, tiny_settings, "b/guesser")
    assert guesser.ask(SeatState()) == "Is it an appliance?"
    state = SeatState(rounds=(Round("Is it an appliance?", "yes"),))
    assert guesser.guess(state) == "Toaster"
    wrong = SeatState(rounds=(Round("Is it an appliance?", "yes", "Toaster"), Round("Q?", "no")))
    assert guesser.guess(wrong) not in ("Toaster", "")
    assert guesser.stats.guess_fallbacks == 1
    answerer = BaselineAnswerer(backend, prompts, tiny_settings, "b/answerer")
    ask = SeatState(keyword="Toaster", category="things", rounds=(Round("Is it hot?"),))
    assert answerer.answer(ask) == "yes"
    # The seat keeps the judge's legality only: a repeated guess is played as the model said it.
    stats = BaselineStats()
    seat = make_baseline_seat("s", tiny_settings, lambda: backend, stats)
    obs = {"role": "guesser", "turnType": "ask", "questions": [], "answers": [], "guesses": []}
    assert seat.act(obs) == "Is it a person?"  # the notebook's default question
    obs = {"role": "guesser", "turnType": "guess", "questions": ["Is it a person?"],
           "answers": ["no"], "guesses": []}  # fmt: skip
    assert seat.act(obs) == "Toaster"
    assert stats.question_fallbacks == 1 and seat.errors == 0
    assert not backend.script


def test_pairings_put_the_baseline_in_the_right_seat(tiny_settings: AgentSettings) -> None:
    def no_model() -> ScriptedBackend:
        raise AssertionError("building seats must not load a model")

    for pairing, kinds in {
        "self": (legal_or_fallback, legal_or_fallback),
        "vs-baseline-answerer": (legal_or_fallback, judge_legal),
        "vs-baseline-questioner": (judge_legal, legal_or_fallback),
    }.items():
        team = team_one(pairing, tiny_settings, no_model, BaselineStats())
        assert tuple(seat.legalize for seat in team.seats) == kinds, pairing
    with pytest.raises(ValueError):
        team_one("vs-nobody", tiny_settings, no_model, BaselineStats())


# ---------------------------------------------------------------- real tiny model, real env


@pytest.mark.integration
def test_baseline_answerer_with_the_real_model(tiny_settings: AgentSettings) -> None:
    from agent.runtime import LazyBackend

    backend = LazyBackend(tiny_settings)
    seat = make_baseline_seat("real", tiny_settings, backend)
    obs = {"role": "answerer", "turnType": "answer", "questions": ["Is it a fruit?"],
           "answers": [], "guesses": [], "keyword": "Banana", "category": "things"}  # fmt: skip
    assert seat.act(obs) in ("yes", "no") and seat.errors == 0
    calls = backend().calls  # type: ignore[attr-defined]
    assert [call.kind for call in calls] == ["yes_probability"]
    assert calls[0].session == "real/answerer"


@pytest.mark.integration
def test_answerer_accuracy_with_the_real_model(tiny_settings: AgentSettings) -> None:
    triples = [
        Triple("Toaster", "Does the keyword start with the letter T?", "yes", "letter"),
        Triple("Toaster", "Does the keyword start with the letter B?", "no", "letter"),
        Triple("Toaster", "Is it an electrical appliance?", "yes", "category"),
        Triple("Banana", "Is it a fruit?", "yes", "category"),
        Triple("Banana", "Is it made of metal?", "no", "physical"),
    ]
    report = evaluate_answerer(triples, tiny_settings, progress=False)
    assert report["questions"] == 5 and report["seat_errors"] == 0
    assert sum(cell["n"] for cell in report["by_kind"].values()) == 5
    assert sum(cell["n"] for cell in report["by_rule_kind"].values()) == 5
    letter = report["by_kind"]["letter"]
    assert letter["correct"] == 2  # spelling questions are decided by code
    wrong = len(report["wrong"])
    assert wrong == report["yes_to_no"] + report["no_to_yes"] == 5 - report["correct"]
    assert report["latency_ms"]["n"] == 5


@pytest.mark.integration
def test_eval_answerer_command(tiny_model_path: Path, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"keyword": "Toaster", "question": "Does it end with r?", "expected": "yes", '
        '"kind": "letter"}\n',
        encoding="utf-8",
    )
    parser = argparse.ArgumentParser()
    add_eval_answerer_arguments(parser)
    out = tmp_path / "answerer.json"
    args = parser.parse_args(
        [
            "--questions",
            str(questions),
            "--json",
            str(out),
            "--model",
            str(tiny_model_path),
            "--no-progress",
        ]
    )
    assert run_eval_answerer(args) == 0
    report = json.loads(out.read_text())
    assert report["accuracy"] == 1.0 and report["git_sha"] and report["settings"]
    assert report["model"]["model"] == tiny_model_path.name


@pytest.mark.episode
@pytest.mark.parametrize("pairing", ["self", "vs-baseline-questioner"])
def test_eval_plays_official_games(
    pairing: str,
    tiny_model_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One real game per pairing (this agent's seats; the baseline questioner with this agent's
    answerer). Smaller generation budgets (through the settings' environment) keep them short;
    one llama.cpp thread, because two threads on two cores shared with other jobs run several
    times slower than one."""
    monkeypatch.setenv("LLM20Q_N_THREADS", "1")
    monkeypatch.setenv("LLM20Q_MAX_QUESTION_TOKENS", "16")
    monkeypatch.setenv("LLM20Q_MAX_GUESS_TOKENS", "6")
    monkeypatch.setenv("LLM20Q_N_CTX", "4096")
    words = tmp_path / "words.txt"
    words.write_text("Toaster\n", encoding="utf-8")
    parser = argparse.ArgumentParser()
    add_eval_arguments(parser)
    out, plot = tmp_path / "eval.json", tmp_path / "eval.png"
    args = parser.parse_args(
        [
            "--keywords",
            str(words),
            "--games",
            "1",
            "--pairing",
            pairing,
            "--json",
            str(out),
            "--plot",
            str(plot),
            "--model",
            str(tiny_model_path),
            "--no-progress",
        ]
    )
    assert run_eval(args) == 0
    report = json.loads(out.read_text())
    for key in ("games", "solved", "success_rate", "mean_rounds_solved", "rounds_histogram",
                "errors", "timeouts", "latency_ms", "model", "settings", "git_sha"):  # fmt: skip
        assert key in report, key
    assert report["games"] == 1 and report["pairing"] == pairing
    assert report["solved"] <= report["games"]
    assert sum(report["rounds_histogram"].values()) == report["solved"]
    assert report["errors"] == report["timeouts"] == 0
    game = report["per_game"][0]
    assert game["keyword"] == "Toaster" and 1 <= game["rounds"] <= 20
    assert game["guesser_status"] == game["answerer_status"] == "DONE"
    assert game["guesser_policy"].startswith("Baseline") == (pairing != "self")
    assert not game["answerer_policy"].startswith("Baseline")
    for turn in ("ask", "guess", "answer"):
        assert report["latency_ms"][turn]["n"] >= 1
        assert report["latency_ms"][turn]["p50"] <= report["latency_ms"][turn]["p95"]
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"| {pairing} | 1 |" in capsys.readouterr().out
