"""Doctor's parts that need no model: the tarball's Python tag and libraries, the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.settings import AgentSettings
from llm20q.doctor.checks import as_json, fail, ok, passed, warn
from llm20q.doctor.cli import print_table
from llm20q.doctor.model import check_memory
from llm20q.doctor.tarball import check_libraries, check_python_tag, find_python
from tests.native import OPENMP_C, shared_object


def test_python_tag_must_be_the_target(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    (lib / "numpy" / "_core").mkdir(parents=True)
    (lib / "numpy" / "_core" / "_multiarray_umath.cpython-311-x86_64-linux-gnu.so").touch()
    (lib / "pydantic_core").mkdir()
    (lib / "pydantic_core" / "_pydantic_core.cpython-311-x86_64-linux-gnu.so").touch()
    assert check_python_tag(lib, "3.11").status == "ok"
    wrong = check_python_tag(lib, "3.10")
    assert wrong.status == "fail" and wrong.values["tags"] == ["3.11"]
    assert "lib/ is built for CPython 3.11 (numpy/_core/" in wrong.detail
    assert wrong.fix == "rebuild with build_submission.sh --python-version 3.10"


def test_libraries_fail_on_what_kaggle_cannot_load_and_name_the_portable_build(
    tmp_path: Path,
) -> None:
    lib = tmp_path / "lib"
    shared_object(lib / "llama_cpp" / "lib" / "libllama.so")
    clean = check_libraries(lib)
    assert clean.status == "ok" and clean.values["portable"] is True
    assert "manylinux2014" in clean.detail
    shared_object(lib / "llama_cpp" / "lib" / "libggml-cpu.so", code=OPENMP_C, flags=["-fopenmp"])
    gomp = check_libraries(lib)
    assert gomp.status == "fail" and "needs libgomp.so.1" in gomp.detail
    assert "portable wheel" in gomp.fix


def test_the_play_needs_a_python_of_the_tarballs_version() -> None:
    assert find_python("3.10", explicit="/opt/python3.10") == "/opt/python3.10"
    assert find_python("3.99") is None
    found = find_python("3.10")  # make setup needs one too (the Kaggle host venv)
    assert found is not None and "shims" not in found


def test_a_failed_check_fails_the_report_and_the_table_names_its_fix(
    capsys: pytest.CaptureFixture[str],
) -> None:
    checks = [ok("load", "loaded in 0.1 s"), warn("speed", "slow here", "use a GPU"),
              fail("libraries", "needs GLIBC_2.34", "rebuild with the portable wheel")]  # fmt: skip
    assert not passed(checks) and passed(checks[:2])
    report = as_json(checks)
    assert report["ok"] is False
    assert [c["status"] for c in report["checks"]] == ["ok", "warn", "fail"]
    print_table(checks)
    table = capsys.readouterr().out
    assert "llm20q doctor" in table
    assert all(word in table for word in ("needs GLIBC_2.34", "rebuild with the portable", "warn"))


LLAMA3_8B = {"n_layer": 32, "n_embd": 4096, "n_head": 32, "n_head_kv": 8, "n_ff": 14336,
             "key_length": 128, "value_length": 128}  # fmt: skip
MIB = 2**20


@pytest.mark.parametrize(
    ("weights_gib", "n_ctx", "status", "kv_mib"),
    [
        (7.95, 8192, "ok", 1024),  # Q8_0, the mission's model: 32 x 8192 x 8 x 256 x 2 B
        (7.95, 32768, "ok", 4096),
        (14.96, 8192, "fail", 1024),  # F16 weights alone fill the T4
    ],
)
def test_t4_memory_estimate_for_llama3_8b(
    weights_gib: float, n_ctx: int, status: str, kv_mib: int
) -> None:
    shape = {**LLAMA3_8B, "weight_bytes": int(weights_gib * 1024 * MIB)}
    check = check_memory(shape, AgentSettings(n_ctx=n_ctx), n_vocab=128256)
    assert check.status == status
    assert check.values["kv_cache_mib"] == kv_mib
    assert check.values["total_mib"] > weights_gib * 1024 + kv_mib
