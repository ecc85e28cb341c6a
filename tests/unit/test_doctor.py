"""Doctor's parts that need no model: the tarball's Python tag and libraries, the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from llm20q.doctor.checks import as_json, fail, ok, passed, warn
from llm20q.doctor.cli import print_table
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
