"""``llm20q bench builds --wheel NAME=WHEEL ...``: the speed benchmark under several llama.cpp
builds, in one run.

Each wheel's shared libraries are unpacked into a scratch folder. Rounds alternate over the
builds (A, B, A, B, ...), each a fresh ``python -m llm20q bench speed`` process whose
``LLAMA_CPP_LIB_PATH`` points at that build's libraries, so a load spike on a shared machine
hits every build alike. Per build: the median over rounds of each round's medians. Ratios are
against the first build given (the reference): the median over rounds of the ratio within each
round (builds measured next to each other, so a load that drifts over the run cancels). Target:
every other build runs at >= 90% of the reference's prompt and generation speed.

Shortcut: the Python bindings are the installed llama-cpp-python's, so every wheel must be that
version (checked from the wheel's name).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

TARGET_RATIO = 0.9
METRICS = ("prompt_tokens_per_s", "gen_tokens_per_s")


def parse_wheel_args(values: Sequence[str]) -> list[tuple[str, Path]]:
    """``["portable=a.whl", "gcc=b.whl"]`` -> names and paths, checked."""
    builds: list[tuple[str, Path]] = []
    installed = metadata.version("llama-cpp-python")
    for value in values:
        name, sep, raw = value.partition("=")
        path = Path(raw)
        if not sep or not name or not raw:
            raise ValueError(f"--wheel takes NAME=WHEEL, got {value!r}")
        if not path.is_file():
            raise ValueError(f"--wheel {name}: no such file: {path}")
        if not path.name.startswith(f"llama_cpp_python-{installed}-"):
            raise ValueError(
                f"--wheel {name}: {path.name} is not llama-cpp-python {installed}, the version "
                "whose Python bindings are installed"
            )
        builds.append((name, path))
    if len(builds) < 2 or len({name for name, _ in builds}) != len(builds):
        raise ValueError("give at least two --wheel NAME=WHEEL with different names")
    return builds


def unpack_libs(wheel: Path, dest: Path) -> Path:
    """The wheel's ``llama_cpp/lib/`` files, unpacked into ``dest``."""
    with zipfile.ZipFile(wheel) as archive:
        members = [m for m in archive.namelist() if m.startswith("llama_cpp/lib/")]
        if not any("libllama" in m for m in members):
            raise ValueError(f"{wheel.name} has no llama_cpp/lib/libllama.so")
        archive.extractall(dest, members)
    return dest / "llama_cpp" / "lib"


def _one_round(lib: Path, model: str | None, out: Path, repeats: int) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "llm20q",
        "bench",
        "speed",
        "--json",
        str(out),
        "--repeats",
        str(repeats),
    ]
    if model:
        command += ["--model", model]
    env = {**os.environ, "LLAMA_CPP_LIB_PATH": str(lib)}
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"bench speed failed with {lib}: {result.stderr.strip()[-400:]}")
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def run(wheels: Sequence[str], *, model: str | None, rounds: int, repeats: int) -> dict[str, Any]:
    builds = parse_wheel_args(wheels)
    per_build: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in builds}
    with tempfile.TemporaryDirectory(prefix="bench-builds-") as raw:
        scratch = Path(raw)
        libs = {name: unpack_libs(path, scratch / name) for name, path in builds}
        for index in range(rounds):
            for name, _ in builds:
                out = scratch / f"{name}-{index}.json"
                per_build[name].append(_one_round(libs[name], model, out, repeats))
    summary: dict[str, Any] = {}
    for name, path in builds:
        summary[name] = {"wheel": str(path), "rounds": len(per_build[name])}
        for metric in METRICS:
            values = [r[metric] for r in per_build[name]]
            summary[name][metric] = round(statistics.median(values), 1)
            summary[name][f"{metric}_rounds"] = values
    reference = builds[0][0]
    ratios = {
        name: {
            metric: round(
                statistics.median(
                    other[metric] / ref[metric]
                    for other, ref in zip(per_build[name], per_build[reference], strict=True)
                ),
                3,
            )
            for metric in METRICS
        }
        for name, _ in builds[1:]
    }
    first = per_build[reference][0]
    return {
        "model": first["model"],
        "threads": first["threads"],
        "prompt_tokens": first["prompt_tokens"],
        "gen_tokens": first["gen_tokens"],
        "builds": summary,
        "ratios_vs_" + reference: ratios,
        "targets": {
            f"{name}_speed_vs_{reference}": {
                "ratio_min": min(ratio.values()),
                "target": TARGET_RATIO,
                "met": min(ratio.values()) >= TARGET_RATIO,
            }
            for name, ratio in ratios.items()
        },
    }
