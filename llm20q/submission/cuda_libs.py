"""The CUDA toolkit a CUDA build of llama.cpp needs, and the CUDA runtime libraries it ships with.

:func:`find_toolkit` finds ``nvcc`` (``$CUDACXX``, else ``$CUDA_HOME`` / ``$CUDA_PATH``, else
``nvcc`` on ``PATH``, else ``/usr/local/cuda``), asks it where its toolkit lies, and checks the
parts ggml's CUDA backend compiles and links against: the runtime, cuBLAS, and the driver API
(``libcuda``: the driver's own or the toolkit's link stub). Anything missing is one
:class:`CudaError` line that names it.

:func:`vendor` copies the CUDA libraries the wheel's shared objects need (``libcudart.so.12``,
``libcublas.so.12`` and, through it, ``libcublasLt.so.12``, ...) from the toolkit into the folder
the wheel's ``$ORIGIN`` run path points at, until every needed library is either shipped or the
host's (the C runtime, and the NVIDIA driver's ``libcuda.so.1``, which must match the machine's
kernel module and is never shipped). Standard library and pyelftools (through
:mod:`llm20q.submission.elf_check`).

Shortcuts: x86_64 Linux toolkits only; the copies are the files the toolkit's symlinks point to,
stored under the name the wheel asks for.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from llm20q.submission import tools

DEFAULT_ROOTS = (Path("/usr/local/cuda"),)
LIB_SUBDIRS = ("lib64", "lib", "targets/x86_64-linux/lib")
INCLUDE_SUBDIRS = ("include", "targets/x86_64-linux/include")
DRIVER_STUB_SUBDIRS = tuple(f"{sub}/stubs" for sub in LIB_SUBDIRS)
SYSTEM_LIB_DIRS = (Path("/usr/lib/x86_64-linux-gnu"), Path("/usr/lib64"), Path("/usr/lib"))


class CudaError(RuntimeError):
    """No usable CUDA toolkit, or a library the build needs is nowhere to be found."""


@dataclass(frozen=True)
class Toolkit:
    nvcc: Path
    root: Path
    release: str  # e.g. "12.4"

    def lib_dirs(self) -> list[Path]:
        return [self.root / sub for sub in LIB_SUBDIRS if (self.root / sub).is_dir()]


def _nvcc_candidates(env: Mapping[str, str], roots: Sequence[Path]) -> list[tuple[str, Path]]:
    """(where it came from, path) in the order they are tried."""
    if env.get("CUDACXX"):
        return [("CUDACXX", Path(env["CUDACXX"]))]
    for name in ("CUDA_HOME", "CUDA_PATH"):
        if env.get(name):
            return [(f"{name}={env[name]}", Path(env[name]) / "bin" / "nvcc")]
    found: list[tuple[str, Path]] = []
    on_path = shutil.which("nvcc", path=env.get("PATH", ""))
    if on_path:
        found.append(("PATH", Path(on_path)))
    found += [(str(root), root / "bin" / "nvcc") for root in roots]
    return found


def _ask_nvcc(nvcc: Path) -> tuple[Path, str]:
    """(toolkit root, release) from nvcc itself (``--dryrun`` prints its TOP folder)."""
    try:
        version = subprocess.run(
            [str(nvcc), "--version"], capture_output=True, text=True, timeout=60, check=True
        ).stdout
        dry = subprocess.run(
            [str(nvcc), "--dryrun", "-c", "-x", "cu", os.devnull, "-o", os.devnull],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise CudaError(f"{nvcc} does not run as nvcc ({error})") from None
    release = re.search(r"release (\d+\.\d+)", version)
    if not release:
        raise CudaError(f"{nvcc} --version names no CUDA release")
    top = re.search(r"^#\$ TOP=(.+)$", dry.stdout + dry.stderr, re.MULTILINE)
    root = Path(top.group(1).strip()) if top else nvcc.resolve().parent.parent
    return Path(os.path.normpath(root)), release.group(1)


def _has(root: Path, subdirs: Sequence[str], pattern: str) -> bool:
    return any(any((root / sub).glob(pattern)) for sub in subdirs if (root / sub).is_dir())


def find_toolkit(
    env: Mapping[str, str] | None = None, roots: Sequence[Path] = DEFAULT_ROOTS
) -> Toolkit:
    """The CUDA toolkit to build with, or a one-line :class:`CudaError` saying what is missing."""
    env = os.environ if env is None else env
    candidates = _nvcc_candidates(env, roots)
    usable = [(origin, path) for origin, path in candidates if path.is_file()]
    if not usable:
        looked = ", ".join(f"{path} ({origin})" for origin, path in candidates) or "PATH"
        raise CudaError(
            f"no CUDA toolkit found (no nvcc at {looked}): run this in a Kaggle GPU notebook, "
            "or install the CUDA toolkit and set CUDA_HOME"
        )
    nvcc = usable[0][1]
    root, release = _ask_nvcc(nvcc)
    missing = []
    if not _has(root, INCLUDE_SUBDIRS, "cuda_runtime.h") or not _has(
        root, LIB_SUBDIRS, "libcudart.so*"
    ):
        missing.append("the CUDA runtime (cuda_runtime.h, libcudart.so)")
    if not _has(root, INCLUDE_SUBDIRS, "cublas_v2.h") or not _has(
        root, LIB_SUBDIRS, "libcublas.so*"
    ):
        missing.append("cuBLAS (cublas_v2.h, libcublas.so)")
    driver = [d for d in SYSTEM_LIB_DIRS if (d / "libcuda.so.1").exists()]
    if not driver and not _has(root, DRIVER_STUB_SUBDIRS, "libcuda.so"):
        missing.append("the driver API (libcuda.so.1, or the toolkit's stubs/libcuda.so)")
    if missing:
        raise CudaError(
            f"the CUDA toolkit at {root} (nvcc {release}) lacks {' and '.join(missing)}, which "
            "ggml's CUDA backend links: use a full toolkit (a Kaggle GPU notebook has one)"
        )
    return Toolkit(nvcc=nvcc, root=root, release=release)


def _locate(library: str, search: Sequence[Path]) -> Path | None:
    for folder in search:
        candidate = folder / library
        if candidate.exists():
            return candidate.resolve()
    return None


def vendor(lib: Path, search: Sequence[Path], host_libs: frozenset[str]) -> list[str]:
    """Copy the libraries that the ELF files under ``lib`` need, are not ``host_libs`` and are not
    shipped, from ``search`` into the first folder of the needing file's run path (repeated until
    nothing is missing: copied libraries have needs of their own). Returns what was copied."""
    from llm20q.submission.elf_check import run_path_dirs, scan, shipped_path

    root = lib.resolve()
    copied: list[str] = []
    while True:
        wanted: dict[Path, Path] = {}  # where the loader will look -> the toolkit's file
        for needs in scan(lib):
            for library in needs.needed:
                if library in host_libs or shipped_path(needs, library, lib) is not None:
                    continue
                folders = [d for d in run_path_dirs(needs, lib) if d.resolve().is_relative_to(root)]
                if not folders:
                    raise CudaError(f"{needs.name} needs {library} but has no $ORIGIN run path")
                source = _locate(library, search)
                if source is None:
                    looked = ", ".join(str(folder) for folder in search) or "nowhere"
                    raise CudaError(f"{needs.name} needs {library}, not found in {looked}")
                wanted[folders[0] / library] = source
        if not wanted:
            return copied
        for target, source in wanted.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            copied.append(f"{target.relative_to(lib).as_posix()} <- {source}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lib", type=Path, help="the staged lib/ folder")
    parser.add_argument(
        "--search",
        type=Path,
        action="append",
        default=[],
        help="another folder to take libraries from (default: the toolkit's, LD_LIBRARY_PATH)",
    )
    args = parser.parse_args(argv)
    try:
        tools.ensure_elftools()
        from llm20q.submission.elf_check import KAGGLE_CUDA

        search = [*args.search, *find_toolkit().lib_dirs()]
        search += [Path(p) for p in os.environ.get("LD_LIBRARY_PATH", "").split(":") if p]
        for line in vendor(args.lib, search, KAGGLE_CUDA.host_libs):
            print(f"vendored {line}")
    except (CudaError, OSError, ValueError, tools.ToolError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
