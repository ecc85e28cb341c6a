"""``llm20q doctor`` on the real tiny models (SmolLM2, ChatML; the Llama 3 vocabulary model) and
on a file that is not a model. The tarball checks run in tests/submission on a real tarball."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from llm20q.cli import main

MODEL_CHECKS = ["load", "chat template", "yes/no tokens", "end of turn", "20 rounds", "speed",
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
    # the slowest move depends on how busy this machine is: a T4 only, or fine here
    assert report["verdict"]["ready"] in ("yes", "only on a GPU")
    assert report["verdict"]["line"].startswith(f"ready for Kaggle: {report['verdict']['ready']}")
    assert "'<|im_end|>'" in checks["end of turn"]["detail"]
    assert "'YES' is 2 tokens, read by its first" in checks["yes/no tokens"]["detail"]
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
    assert report["verdict"] == {"ready": "yes", "reason": "", "warnings": [],
                                 "line": "ready for Kaggle: yes"}  # fmt: skip
    speed = checks["speed"]["values"]
    assert speed["threads"] == 1 and speed["cores"] >= 1 and speed["load_average"] >= 0
    assert f"load average {speed['load_average']:.1f} on" in checks["speed"]["detail"]
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
    assert report["verdict"]["line"].startswith("ready for Kaggle: no (load: llama.cpp cannot")


def test_the_person_sees_a_row_per_check_and_the_verdict_last(
    llama3_model_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["doctor", "--model", str(llama3_model_path)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert lines[0].startswith(f"llm20q doctor {llama3_model_path} (load average ")
    starts = [next((i for i, line in enumerate(lines) if f"ok   {name}" in line), -1)
              for name in MODEL_CHECKS]  # fmt: skip
    assert -1 not in starts and starts == sorted(starts)
    assert lines[-1] == "ready for Kaggle: yes"


def test_a_missing_model_is_a_failed_check_not_an_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, report = doctor(capsys, "--model", "/nope")
    assert code == 1 and report["verdict"]["line"] == (
        "ready for Kaggle: no (load: no such file: /nope; pass the path of a GGUF file that "
        "llama.cpp loads (--model))"
    )
