"""Doctor checks of a submission tarball, unpacked into a scratch folder the way Kaggle does.

- files: ``main.py``, the ``agent`` package, ``prompts/``, ``lib/`` and exactly one GGUF in
  ``models/``; the archive's size;
- Python tag: the CPython version of every extension module under ``lib/`` is the target's
  (``--python-version``, Kaggle's 3.10 by default);
- libraries: every ELF file under ``lib/`` against Kaggle's glibc 2.31 (a failure) and against
  manylinux2014 (whether it is the portable build), plus the NVIDIA driver for a CUDA build;
- isolated play: :mod:`llm20q.submission.play_check` in ``python -I -S`` of the target version
  plays one ask, guess and answer from the unpacked folder alone.

:func:`tarball_checks` yields each check as it finishes and tells ``progress`` what runs next.

Shortcut: the interpreter for the play is ``--python``, else this one when its version matches,
else ``pythonX.Y`` on PATH or under pyenv.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

from llm20q.bench.speed import Load
from llm20q.doctor.checks import Check, fail, ok, warn
from llm20q.doctor.model import Progress
from llm20q.submission import elf_check, play_check
from llm20q.submission.runtime_deps import ext_module_python

REQUIRED = ("main.py", "agent/__init__.py", "agent/runtime.py", "lib", "prompts", "models")
PLAY_TIMEOUT_S = 600


def unpack(tarball: Path, dest: Path) -> Check:
    try:
        with tarfile.open(tarball) as archive:
            archive.extractall(dest, filter="data")
    except (tarfile.TarError, OSError) as error:
        return fail("tarball", f"{tarball}: cannot unpack ({error})", "rebuild it")
    size = tarball.stat().st_size
    files = sum(1 for p in dest.rglob("*") if p.is_file())
    missing = [name for name in REQUIRED if not (dest / name).exists()]
    models = sorted(p.name for p in (dest / "models").glob("*.gguf"))
    values = {"bytes": size, "files": files, "models": models}
    detail = (
        f"{tarball.name} unpacks: {size / 2**20:,.1f} MiB, {files:,} files, the model "
        f"models/{', '.join(models)}"
    )
    if missing or len(models) != 1:
        what = f"lacks {', '.join(missing)}" if missing else f"holds {len(models)} GGUFs"
        return fail("tarball", f"{detail}; it {what}", "rebuild with build_submission.sh", **values)
    return ok("tarball", detail, **values)


def shipped_model(folder: Path) -> Path:
    return sorted((folder / "models").glob("*.gguf"))[0]


def check_python_tag(lib: Path, target: str) -> Check:
    found: dict[str, str] = {}
    for path in sorted(lib.rglob("*.so")):
        version = ext_module_python(path.name)
        if version is not None:
            found.setdefault(f"{version[0]}.{version[1]}", path.relative_to(lib).as_posix())
    if not found:
        return warn(
            "Python tag",
            "lib/ holds no compiled Python modules, though the agent's dependencies have some",
            "rebuild with build_submission.sh, which puts them in lib/",
            tags=[],
        )
    tags = sorted(found)
    if tags != [target]:
        where = ", ".join(f"{tag} ({name})" for tag, name in found.items())
        return fail(
            "Python tag",
            f"lib/ is built for CPython {where}, not {target}",
            f"rebuild with build_submission.sh --python-version {target}",
            tags=tags,
        )
    return ok("Python tag", f"every compiled module in lib/ is for CPython {target}", tags=tags)


def check_libraries(lib: Path) -> Check:
    elfs = elf_check.scan(lib)
    cuda = any("libggml-cuda" in needs.name for needs in elfs)
    kaggle = elf_check.KAGGLE_CUDA if cuda else elf_check.KAGGLE
    broken = elf_check.problems(elfs, kaggle, lib)
    portable = not elf_check.problems(elfs, elf_check.MANYLINUX2014, lib)
    summary = elf_check.summarize(elfs).text()
    values = {"portable": portable, "cuda": cuda, "problems": broken}
    if broken:
        return fail(
            "libraries",
            f"{summary}; {broken[0]}" + (f" (+{len(broken) - 1} more)" if len(broken) > 1 else ""),
            "rebuild with the portable wheel (the default of build_submission.sh)",
            **values,
        )
    kind = "portable (manylinux2014)" if portable else "they load on Kaggle's glibc 2.31, not older"
    build = "a CUDA build for the T4" if cuda else "a CPU build"
    return ok("libraries", f"{summary}: {kind}; {build}", **values)


def _runs_as(python: str, version: str) -> bool:
    """Whether ``python`` starts and is CPython ``version`` (a pyenv shim on PATH may refuse)."""
    probe = [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]
    try:
        result = subprocess.run(probe, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0 and result.stdout.strip() == version


def find_python(version: str, explicit: str | None = None) -> str | None:
    if explicit:
        return explicit
    if f"{sys.version_info[0]}.{sys.version_info[1]}" == version:
        return sys.executable
    pyenv = sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}"))
    candidates = [str(p) for p in reversed(pyenv)] + [shutil.which(f"python{version}") or ""]
    return next((c for c in candidates if c and _runs_as(c, version)), None)


def check_play(folder: Path, python: str | None, version: str) -> Check:
    if python is None:
        return fail(
            "isolated play",
            f"no Python {version} here to play the tarball with",
            f"pass --python /path/to/python{version}",
        )
    load = Load.now()
    started = time.time()
    command = [python, "-I", "-S", play_check.__file__, str(folder), repr(started)]
    try:
        proc = subprocess.run(
            command,
            cwd=folder.parent,
            capture_output=True,
            text=True,
            timeout=PLAY_TIMEOUT_S,
            env={"PATH": "/usr/bin:/bin"},
        )
    except subprocess.TimeoutExpired:
        return fail("isolated play", f"no result in {PLAY_TIMEOUT_S} s", "run the agent by hand")
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return fail(
            "isolated play",
            f"{python} exited {proc.returncode}: {tail}",
            "run main.py from the unpacked folder to see the traceback",
        )
    result = json.loads(lines[-1][len("RESULT ") :])
    question, guess, answer = result["actions"]
    legal = question.endswith("?") and bool(guess) and answer in ("yes", "no")
    model_inside = bool(result["model"]) and str(result["model"]).startswith(str(folder.resolve()))
    values = {
        "actions": result["actions"],
        "errors": result["errors"],
        "seconds_first_move": round(result["timings"]["first_move"], 2),
        "python": python,
    }
    detail = (
        f"the unpacked folder alone plays in Python {result['python']}: it asked {question!r}, "
        f"guessed {guess!r} and answered {answer!r}; first move {values['seconds_first_move']:.1f}"
        f" s, model load included ({load.text})"
    )
    if result["errors"] != [0, 0] or not legal or not model_inside:
        why = result["import_error"] or f"seat errors {result['errors']}, model {result['model']}"
        return fail(
            "isolated play",
            f"{detail}; {why}",
            "run main.py from the unpacked folder to see the traceback",
            **values,
        )
    return ok("isolated play", detail, **values)


def tarball_checks(
    tarball: Path,
    scratch: Path,
    version: str,
    python: str | None,
    progress: Progress = lambda _: None,
) -> Iterator[Check]:
    """Every tarball check (unpacked into ``scratch/agent``), each as it finishes; only the
    first when it fails."""
    folder = scratch / "agent"
    folder.mkdir()
    progress(f"unpacking {tarball.name}")
    first = unpack(tarball, folder)
    yield first
    if first.status == "fail":
        return
    lib = folder / "lib"
    progress("reading the libraries in lib/")
    yield check_python_tag(lib, version)
    yield check_libraries(lib)
    progress(f"playing one move of each kind from the unpacked folder in Python {version}")
    yield check_play(folder, find_python(version, python), version)
