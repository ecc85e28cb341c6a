"""Doctor's parts that need no model: the tarball's Python tag and libraries, the rows, the
verdict, the speed rows (the thread-pool trap) and the slowest move from given measurements."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console, RenderableType

from agent.settings import AgentSettings
from llm20q.doctor.checks import Check, as_json, fail, gpu_only, ok, verdict, warn
from llm20q.doctor.cli import row
from llm20q.doctor.model import check_memory
from llm20q.doctor.speed import check_move_time, speed_check
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


def test_a_failed_check_fails_the_report_and_its_row_names_the_fix() -> None:
    checks = [ok("load", "loaded in 0.1 s"), warn("speed", "slow here", "use a GPU"),
              fail("libraries", "needs GLIBC_2.34", "rebuild with the portable wheel")]  # fmt: skip
    assert verdict(checks).ready == "no" and verdict(checks[:2]).ready == "yes"
    report = as_json(checks)
    assert report["ok"] is False and report["verdict"]["ready"] == "no"
    assert [c["status"] for c in report["checks"]] == ["ok", "warn", "fail"]
    shown = rendered(row(checks[2]))
    assert all(word in shown for word in ("FAIL", "libraries", "needs GLIBC_2.34", "→ rebuild"))
    assert "→" not in rendered(row(checks[0]))  # an ok row names no fix


def rendered(renderable: RenderableType) -> str:
    console = Console(file=io.StringIO(), width=120)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


GPU_MOVE = replace(gpu_only("slowest move", "about 384 s here", "build_submission.sh --cuda"),
                   summary="about 384 s on this machine's CPU")  # fmt: skip


@pytest.mark.parametrize(
    ("checks", "line"),
    [
        ([ok("load", "fine")], "ready for Kaggle: yes"),
        ([ok("load", "fine"), warn("speed", "2 threads spin", "LLM20Q_N_THREADS=1")],
         "ready for Kaggle: yes; 1 warning to read: speed"),
        ([ok("load", "fine"), GPU_MOVE],
         "ready for Kaggle: only on a GPU (slowest move: about 384 s on this machine's CPU; "
         "build_submission.sh --cuda)"),
        ([warn("speed", "spin", "one thread"), GPU_MOVE, warn("T4 memory", "tight", "n_ctx")],
         "ready for Kaggle: only on a GPU (slowest move: about 384 s on this machine's CPU; "
         "build_submission.sh --cuda); 2 warnings to read: speed, T4 memory"),
        ([fail("load", "no such file: /nope", "pass a GGUF"), GPU_MOVE,
          fail("20 rounds", "too long", "raise n_ctx")],
         "ready for Kaggle: no (load: no such file: /nope; pass a GGUF (and 1 more failed))"),
    ],
)  # fmt: skip
def test_the_verdict_is_derived_from_the_checks(checks: list[Check], line: str) -> None:
    assert verdict(checks).line == line
    assert as_json(checks)["ok"] is (verdict(checks).ready != "no")


def test_a_cpu_tarball_with_a_model_that_needs_the_gpu_says_to_rebuild() -> None:
    libraries = ok("libraries", "a CPU build", portable=True, cuda=False)
    found = verdict([libraries, GPU_MOVE])
    assert found.ready == "only on a GPU"
    assert found.reason.endswith("this tarball is a CPU build: rebuild it with "
                                 "build_submission.sh --cuda")  # fmt: skip
    cuda = ok("libraries", "a CUDA build", portable=True, cuda=True)
    assert "CPU build" not in verdict([cuda, GPU_MOVE]).reason


def measured(gen: float, load: float, threads: int, cores: int = 2) -> dict[str, Any]:
    return {"prompt_tokens_per_s": 18.0, "gen_tokens_per_s": gen, "threads": threads,
            "load_average": load, "cores": cores}  # fmt: skip


def test_the_spinning_thread_pool_is_named_when_one_thread_is_faster() -> None:
    # measured here: Qwen2.5 1.5B, 2 threads on loaded cores 2 tok/s, 1 thread 7 tok/s
    check = speed_check(measured(2.0, 5.5, threads=2), openmp=False, on_gpu=False,
                        one_thread_gen=7.0)  # fmt: skip
    assert check.status == "warn" and check.fix == "set LLM20Q_N_THREADS=1 on this machine"
    assert "load average 5.5 on 2 cores (busy" in check.detail
    assert "without OpenMP, so its 2 threads spin waiting for each other" in check.detail
    # on idle cores two threads are faster: nothing to say but both figures
    idle = speed_check(measured(12.0, 0.2, threads=2), openmp=False, on_gpu=False,
                       one_thread_gen=7.0)  # fmt: skip
    assert idle.status == "ok" and "one thread: 7.0 tokens/s" in idle.detail
    assert "busy" not in idle.detail and "spin" not in idle.detail
    # busy cores where this measurement did not catch the pool spinning: the trap is named
    caught = speed_check(measured(7.5, 5.5, threads=2), openmp=False, on_gpu=False,
                         one_thread_gen=7.0)  # fmt: skip
    assert caught.status == "ok" and "its 2 threads can spin" in caught.detail
    assert "LLM20Q_N_THREADS=1" in caught.detail


def test_one_thread_on_busy_cores_says_why_it_is_right() -> None:
    busy = speed_check(measured(7.0, 5.5, threads=1), openmp=False, on_gpu=False,
                       one_thread_gen=None)  # fmt: skip
    assert busy.status == "ok" and "One thread is right here" in busy.detail
    quiet = speed_check(measured(7.0, 0.3, threads=1), openmp=False, on_gpu=False,
                        one_thread_gen=None)  # fmt: skip
    assert "load average 0.3 on 2 cores" in quiet.detail and "spin" not in quiet.detail
    with_openmp = speed_check(measured(7.0, 5.5, threads=1), openmp=True, on_gpu=False,
                              one_thread_gen=None)  # fmt: skip
    assert "spin" not in with_openmp.detail


@pytest.mark.parametrize(
    ("gen", "on_gpu", "status"),
    [(50.0, False, "ok"), (0.5, False, "gpu"), (0.5, True, "fail")],
)
def test_the_slowest_move_against_kaggles_60_s(gen: float, on_gpu: bool, status: str) -> None:
    speed = measured(gen, 5.5, threads=1) | {"prompt_tokens_per_s": 500.0}
    check = check_move_time(speed, 6_000 + 48, AgentSettings(), on_gpu)
    assert check.status == status
    assert "load average 5.5 on 2 cores" in check.detail and "Kaggle allows 60 s" in check.detail
    if status != "ok":
        assert "with busy cores" in check.summary


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
