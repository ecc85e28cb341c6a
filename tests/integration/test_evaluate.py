"""Evaluation with the real parts: the official keyword list, the baseline and our answerer on
the real tiny GGUF, and real kaggle-environments games through ``run_eval``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from agent.settings import AgentSettings
from llm20q.baseline import (
    make_baseline_seat,
)
from llm20q.eval.answerer import Triple, evaluate_answerer
from llm20q.eval.cli import (
    add_eval_answerer_arguments,
    add_eval_arguments,
    run_eval,
    run_eval_answerer,
)
from llm20q.keywords import pick_keywords


def test_keywords_are_seeded_and_files_get_official_alts(tmp_path: Path) -> None:
    first = pick_keywords("official", 5, seed=3)
    assert first == pick_keywords("official", 5, seed=3)
    assert first != pick_keywords("official", 5, seed=4)
    words = tmp_path / "words.txt"
    words.write_text("# comment\nToaster\n\nzebra crossing\n", encoding="utf-8")
    picked = pick_keywords(str(words), 4, seed=0)
    assert sorted({k.keyword for k in picked}) == ["Toaster", "zebra crossing"]
    assert all(k.category == "things" for k in picked)
    with pytest.raises(ValueError):
        pick_keywords(str(tmp_path / "missing.txt"), 1, seed=0)


# ---------------------------------------------------------------- real tiny model, real env


def test_baseline_answerer_with_the_real_model(tiny_settings: AgentSettings) -> None:
    from agent.runtime import LazyBackend

    backend = LazyBackend(tiny_settings)
    seat = make_baseline_seat("real", tiny_settings, backend)
    obs = {"role": "answerer", "turnType": "answer", "questions": ["Is it a fruit?"],
           "answers": [], "guesses": [], "keyword": "Banana", "category": "things"}  # fmt: skip
    # the tiny model's greedy reply is "Yes." (tiny_llama3): generated and read as a notebook does
    assert seat.act(obs) == "yes" and seat.errors == 0
    calls = backend().calls  # type: ignore[attr-defined]
    assert [call.kind for call in calls] == ["generate"]
    assert calls[0].session == "real/answerer"


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
@pytest.mark.parametrize("pairing", ["self", "vs-baseline-questioner", "baseline"])
def test_eval_plays_official_games(
    pairing: str,
    tiny_model_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One real game per pairing (this agent's seats; the baseline questioner with this agent's
    answerer; the LLM-only team). Smaller generation budgets (through the settings' environment)
    keep them short; one llama.cpp thread, because two threads on two cores shared with other
    jobs run several times slower than one."""
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
    assert game["answerer_policy"].startswith("Baseline") == (pairing == "baseline")
    for turn in ("ask", "guess", "answer"):
        assert report["latency_ms"][turn]["n"] >= 1
        assert report["latency_ms"][turn]["p50"] <= report["latency_ms"][turn]["p95"]
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"| {pairing} | 1 |" in capsys.readouterr().out
