"""``llm20q eval-answerer --calibrate`` on the real tiny GGUF: both prompts read, a report."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from llm20q.eval.cli import add_eval_answerer_arguments, run_eval_answerer

TRIPLES = [
    ("Toaster", "Is it found in a kitchen?", "yes", "use"),
    ("Sofa", "Is it found in a kitchen?", "no", "use"),
    ("Banana", "Is it soft?", "yes", "physical"),
    ("Hammer", "Is it soft?", "no", "physical"),
    ("Toaster", "Does the keyword start with the letter T?", "yes", "letter"),
    ("Sofa", "Does the keyword start with the letter T?", "no", "letter"),
]


def test_calibrate_command(
    tiny_model_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM20Q_N_THREADS", "1")  # no spin-waiting threads on busy cores
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        "".join(
            json.dumps({"keyword": k, "question": q, "expected": e, "kind": kind}) + "\n"
            for k, q, e, kind in TRIPLES
        ),
        encoding="utf-8",
    )
    parser = argparse.ArgumentParser()
    add_eval_answerer_arguments(parser)
    out = tmp_path / "calibrate.json"
    args = parser.parse_args(
        ["--questions", str(questions), "--calibrate", "--json", str(out), "--model",
         str(tiny_model_path), "--no-progress"]
    )  # fmt: skip
    assert run_eval_answerer(args) == 0
    report = json.loads(out.read_text())
    assert report["split"] == {"fraction": 0.5, "seed": 0, "calibration": 3, "held_out": 3}
    rows = report["rows"]
    semantic = [r for r in rows if r["source"] != "rules"]
    assert len(semantic) == 4
    assert all(0 < r["p_answerer"] < 1 and 0 < r["p_label"] < 1 for r in semantic)
    assert all(r["p_answerer"] is None for r in rows if r["kind"] == "letter")
    for name in ("answerer", "label_prompt"):
        assert 0.0 <= report[name]["threshold_calibrated"] <= 1.0
    assert report["answerer"]["held_out"]["calibrated"]["letter"]["accuracy"] == 1.0
