"""Build tools from PyPI kept beside the wheelhouse, outside any environment's site-packages.

``build_submission.sh`` must run under any Python, e.g. a Kaggle notebook's, whose packages it must
not touch. The tools it needs (the zig compiler from the ``ziglang`` wheel, ``pyelftools``) are
installed once per machine with ``pip install --no-deps --target <wheelhouse>/tools/<name>-<ver>``
(no resolver run against the interpreter's packages) and put on ``sys.path`` or run from there.
Standard library only.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ZIGLANG = "ziglang==0.17.0"
PYELFTOOLS = "pyelftools==0.33"


class ToolError(RuntimeError):
    """A build tool could not be installed."""


def default_wheelhouse() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(os.environ.get("WHEELHOUSE") or Path(cache) / "llm20q" / "wheelhouse")


def tool_dir(requirement: str, wheelhouse: Path) -> Path:
    """The folder holding ``requirement`` (``name==version``), installed there on first use."""
    name, _, version = requirement.partition("==")
    if not version:
        raise ToolError(f"pin the tool's version: {requirement}")
    target = wheelhouse / "tools" / f"{name}-{version}"
    if (target / ".complete").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=target.parent))
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-deps",
        "--only-binary=:all:",
        "--no-compile",
        "--target",
        str(scratch),
        requirement,
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        shutil.rmtree(scratch, ignore_errors=True)
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise ToolError(f"pip could not install {requirement} (needs PyPI once): {last}")
    (scratch / ".complete").touch()
    shutil.rmtree(target, ignore_errors=True)
    scratch.rename(target)
    return target


def zig_binary(wheelhouse: Path) -> Path:
    """The zig compiler from the ``ziglang`` wheel."""
    zig = tool_dir(ZIGLANG, wheelhouse) / "ziglang" / "zig"
    if not zig.is_file():
        raise ToolError(f"{ZIGLANG} holds no zig binary at {zig}")
    return zig


def ensure_elftools(wheelhouse: Path | None = None) -> None:
    """Make ``import elftools`` work: the interpreter's own copy, else one in the tools folder."""
    try:
        importlib.import_module("elftools")
    except ImportError:
        sys.path.insert(0, str(tool_dir(PYELFTOOLS, wheelhouse or default_wheelhouse())))
        importlib.import_module("elftools")
