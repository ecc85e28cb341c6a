"""``llm20q doctor`` on the real tiny models (SmolLM2, ChatML; the Llama 3 vocabulary model) and
on a file that is not a model. The tarball checks run in tests/submission on a real tarball."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from llm20q.cli import main

MODEL_CHECKS = ["load", "chat template", "yes/no tokens", "end of turn", "speed", "20 rounds",
                "T4 memory", "slowest move"]  # fmt: skip


@pytest.fixture(autouse=True)
def one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a machine whose cores are busy, llama.cpp's two threads spin at every barrier waiting for
    each other (generation measured 11x slower than with one thread here); the speed check's
    figures are not what these tests check."""
    monkeypatch.setenv("LLM20Q_N_THREADS", "1")


def doctor(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["doctor", *argv, "--json"])
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return code, report


def by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {check["name"]: check for check in report["checks"]}


def test_doctor_passes_the_tiny_chatml_model(
    tiny_model_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = doctor(capsys, "--model", str(tiny_model_path))
    checks = by_name(report)
    assert code == 0 and report["ok"] and list(checks) == MODEL_CHECKS
    assert "'<|im_end|>'" in checks["end of turn"]["detail"]
    assert checks["speed"]["values"]["prompt_tokens_per_s"] > 0
    assert checks["speed"]["values"]["gen_tokens_per_s"] > 0
    rounds = checks["20 rounds"]["values"]
    assert 0 < rounds["answerer"] < rounds["guesser"] <= rounds["n_ctx"]


def test_doctor_passes_the_llama3_vocabulary_model(
    llama3_model_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = doctor(capsys, "--model", str(llama3_model_path))
    checks = by_name(report)
    assert code == 0 and [c["status"] for c in report["checks"]] == ["ok"] * len(MODEL_CHECKS)
    assert checks["end of turn"]["values"]["token"] == 128009
    assert checks["yes/no tokens"]["values"]["yes"]["yes"] == 9891
    assert checks["chat template"]["values"]["generation_prompt"] == (
        "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
    )
    memory = checks["T4 memory"]["values"]
    assert 31 <= memory["weights_mib"] <= 32  # F16 embeddings and output: 2 x 128,256 x 64 x 2 B
    assert memory["total_mib"] < 15_360


def test_doctor_fails_on_a_file_that_is_no_model_and_names_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "model.gguf"
    bogus.write_bytes(b"not a gguf")
    code, report = doctor(capsys, "--model", str(bogus))
    assert code == 1 and not report["ok"]
    (load,) = report["checks"]
    assert load["status"] == "fail" and "bad magic" in load["detail"] and "--model" in load["fix"]
