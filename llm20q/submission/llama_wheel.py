"""The one place that builds the llama-cpp-python wheel, kept in the wheelhouse by flavour.

Flavours (compiler and CMake arguments):

- ``portable`` (the default): zig's ``cc``/``c++`` from the ``ziglang`` wheel with
  ``-target x86_64-linux-gnu.2.17``, ``-DGGML_NATIVE=OFF -DGGML_OPENMP=OFF`` (AVX2/FMA kernels
  chosen at run time, ggml's own thread pool instead of libgomp). Every library then needs at
  most GLIBC_2.17 and no libstdc++ (zig links libc++ in): manylinux2014, so it loads on Kaggle's
  glibc 2.31 whatever machine built it.
- ``gcc``: the system gcc/g++ with ``-DGGML_NATIVE=OFF`` (the build before this one: this
  machine's glibc, libstdc++ and libgomp), for comparisons and machines that run what they build.
- ``cuda``: gcc/g++ and the toolkit's nvcc, ``-DGGML_CUDA=on -DCMAKE_CUDA_ARCHITECTURES=<arch>``
  (default ``75``: the T4), no OpenMP. Needs a CUDA toolkit with cuBLAS (a Kaggle GPU notebook has
  one); :mod:`llm20q.submission.cuda_libs` finds it or says in one line what is missing.

Layout: ``<wheelhouse>/llama-cpp-python/<key>/llama_cpp_python-<version>-*.whl`` with
``build.json`` (flavour, CMake arguments, compiler) beside it. The key is the flavour
(``cuda-sm75`` with the architectures), plus ``-<12 hex digits>`` of any extra CMake arguments, so
a gcc wheel never lands where the portable one is looked for; on top of that a portable wheel is
held against manylinux2014 (its ELF files) whenever it is built or picked up. The sdist is
downloaded once into ``<wheelhouse>/sdist/`` (the Llama 3 test vocabulary comes from it too).

Command line: ``python -m llm20q.submission.llama_wheel [--flavour F] [--cuda-arch 75]
[--cmake-args ARGS] [--version V] [--wheelhouse DIR] [--dry-run]`` prints the wheel's path (the
build's own output goes to stderr). Exit 1 with one ``error:`` line. Standard library only, plus
pyelftools (installed beside the wheelhouse when the interpreter lacks it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from llm20q.submission import tools
from llm20q.submission.cuda_libs import CudaError, find_toolkit

DEFAULT_VERSION = "0.3.36"
FLAVOURS = ("portable", "gcc", "cuda")
BASE_CMAKE_ARGS = {
    "portable": "-DGGML_NATIVE=OFF -DGGML_OPENMP=OFF",
    "gcc": "-DGGML_NATIVE=OFF",
    "cuda": "-DGGML_NATIVE=OFF -DGGML_OPENMP=OFF -DGGML_CUDA=on",
}
ZIG_TARGET = "x86_64-linux-gnu.2.17"
DEFAULT_CUDA_ARCH = "75"


class WheelError(RuntimeError):
    """The wheel cannot be built or is not what its flavour promises."""


@dataclass(frozen=True)
class Recipe:
    """What to build: the flavour, the llama-cpp-python version and the CMake arguments."""

    flavour: str
    version: str
    cuda_arch: str = DEFAULT_CUDA_ARCH
    extra_cmake_args: str = ""

    @property
    def cmake_args(self) -> str:
        args = BASE_CMAKE_ARGS[self.flavour]
        if self.flavour == "cuda":
            args += f" -DCMAKE_CUDA_ARCHITECTURES={self.cuda_arch}"
        return f"{args} {self.extra_cmake_args}".strip()

    @property
    def key(self) -> str:
        key = self.flavour
        if self.flavour == "cuda":
            key += "-sm" + self.cuda_arch.replace(";", "-")
        if self.extra_cmake_args:
            key += "-" + hashlib.sha256(self.extra_cmake_args.encode()).hexdigest()[:12]
        return key


def make_recipe(
    flavour: str,
    version: str = DEFAULT_VERSION,
    cuda_arch: str = DEFAULT_CUDA_ARCH,
    extra_cmake_args: str = "",
) -> Recipe:
    if flavour not in FLAVOURS:
        raise WheelError(f"unknown flavour {flavour!r} (choose from {', '.join(FLAVOURS)})")
    if not re.fullmatch(r"\d+(?:[;,]\d+)*", cuda_arch):
        raise WheelError(f"--cuda-arch takes compute capabilities such as 75 or 75,86: {cuda_arch}")
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise WheelError(f"--version takes a release such as {DEFAULT_VERSION}: {version}")
    extra = " ".join(extra_cmake_args.split())
    return Recipe(flavour, version, cuda_arch.replace(",", ";"), extra)


def wheel_dir(wheelhouse: Path, recipe: Recipe) -> Path:
    return wheelhouse / "llama-cpp-python" / recipe.key


def find_wheel(folder: Path, version: str) -> Path | None:
    found = sorted(folder.glob(f"llama_cpp_python-{version}-*.whl")) if folder.is_dir() else []
    return found[-1] if found else None


def verify(wheel: Path, recipe: Recipe) -> str:
    """The needs of the libraries the wheel's ``llama_cpp`` package loads (the copies at the
    wheel's root ``lib/`` are build leftovers that never ship); a :class:`WheelError` when a
    portable wheel breaks manylinux2014 (e.g. a gcc build put in the portable folder). Needs
    pyelftools importable (:func:`llm20q.submission.tools.ensure_elftools`)."""
    from llm20q.submission import elf_check

    with tempfile.TemporaryDirectory() as scratch, zipfile.ZipFile(wheel) as archive:
        members = [
            m
            for m in archive.namelist()
            if m.startswith("llama_cpp/") and ".so" in m.rsplit("/", 1)[-1]
        ]
        archive.extractall(scratch, members)
        elfs = elf_check.scan(Path(scratch))
        if not elfs:
            raise WheelError(f"{wheel.name} holds no shared objects")
        broken = elf_check.problems(elfs, elf_check.MANYLINUX2014, Path(scratch))
    if recipe.flavour == "portable" and broken:
        raise WheelError(f"{wheel} is not portable (not manylinux2014): {broken[0]}")
    return elf_check.summarize(elfs).text()


def fetch_sdist(version: str, wheelhouse: Path) -> Path:
    """The llama-cpp-python sdist, downloaded from PyPI once per wheelhouse."""
    folder = wheelhouse / "sdist"
    target = folder / f"llama_cpp_python-{version}.tar.gz"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--dest",
            scratch,
            f"llama-cpp-python=={version}",
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        found = list(Path(scratch).glob("llama_cpp_python-*.tar.gz"))
        if result.returncode != 0 or len(found) != 1:
            last = (result.stderr.strip().splitlines() or ["no sdist"])[-1]
            raise WheelError(f"could not download the llama-cpp-python {version} sdist: {last}")
        found[0].replace(target)
    return target


def _wrapper(folder: Path, name: str, command: Sequence[str]) -> Path:
    """A compiler wrapper script: CMake and pip's isolated build run it as CC / CXX."""
    path = folder / name
    quoted = " ".join(f"'{part}'" for part in command)
    path.write_text(f'#!/bin/sh\nexec {quoted} "$@"\n', encoding="utf-8")
    path.chmod(0o755)
    return path


def _system_compilers() -> tuple[str, str]:
    cc, cxx = shutil.which("gcc"), shutil.which("g++")
    if not cc or not cxx:
        raise WheelError("this flavour builds with the system gcc and g++: neither is on PATH")
    return cc, cxx


def build_env(recipe: Recipe, wheelhouse: Path, scratch: Path) -> tuple[dict[str, str], str]:
    """The environment for ``pip wheel`` (compilers, CMake arguments) and a compiler description.
    Raises before any download when the flavour's compiler is missing."""
    env = {k: v for k, v in os.environ.items() if k not in ("CC", "CXX", "CUDACXX", "CMAKE_ARGS")}
    env["FORCE_CMAKE"] = "1"
    if recipe.flavour == "portable":
        zig = tools.zig_binary(wheelhouse)
        env["CC"] = str(_wrapper(scratch, "zcc", [str(zig), "cc", "-target", ZIG_TARGET]))
        env["CXX"] = str(_wrapper(scratch, "zcxx", [str(zig), "c++", "-target", ZIG_TARGET]))
        described = f"zig ({tools.ZIGLANG}) -target {ZIG_TARGET}"
        cmake_args = recipe.cmake_args
    else:
        env["CC"], env["CXX"] = _system_compilers()
        described = "gcc/g++"
        cmake_args = recipe.cmake_args
        if recipe.flavour == "cuda":
            toolkit = find_toolkit(env)
            env["CUDACXX"] = str(toolkit.nvcc)
            env["PATH"] = f"{toolkit.nvcc.parent}{os.pathsep}{env.get('PATH', '')}"
            cmake_args += f" -DCUDAToolkit_ROOT={toolkit.root}"
            described += f" + nvcc {toolkit.release} ({toolkit.root})"
    env["CMAKE_ARGS"] = cmake_args
    return env, described


def build(recipe: Recipe, wheelhouse: Path) -> Path:
    """Compile the wheel into its folder (about 6 minutes on 2 cores for the CPU flavours)."""
    folder = wheel_dir(wheelhouse, recipe)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="llama-wheel-") as raw:
        scratch = Path(raw)
        env, compiler = build_env(recipe, wheelhouse, scratch)
        sdist = fetch_sdist(recipe.version, wheelhouse)
        print(
            f"building llama-cpp-python {recipe.version} ({recipe.flavour}: {compiler}, "
            f'CMAKE_ARGS="{env["CMAKE_ARGS"]}") into {folder}',
            file=sys.stderr,
        )
        started = time.monotonic()
        # --no-cache-dir: pip's wheel cache is keyed by the sdist, not by compiler or CMAKE_ARGS.
        command = [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-cache-dir",
            "--disable-pip-version-check",
            "--wheel-dir",
            str(scratch / "out"),
            str(sdist),
        ]
        result = subprocess.run(command, env=env, stdout=sys.stderr, check=False)
        built = list((scratch / "out").glob("llama_cpp_python-*.whl"))
        if result.returncode != 0 or len(built) != 1:
            raise WheelError(f"the {recipe.flavour} llama-cpp-python build failed (see above)")
        try:
            needs = verify(built[0], recipe)
        except WheelError as error:  # keep the (long) build's result for a look
            kept = folder.parent / "rejected" / recipe.key / built[0].name
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(built[0]), kept)
            raise WheelError(f"{error} (the wheel is kept at {kept})") from None
        target = folder / built[0].name
        shutil.move(str(built[0]), target)
    info = {
        "flavour": recipe.flavour,
        "version": recipe.version,
        "compiler": compiler,
        "cmake_args": env["CMAKE_ARGS"],
        "needs": needs,
        "seconds": round(time.monotonic() - started),
    }
    (folder / "build.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    print(f"built {target} in {info['seconds']} s: {needs}", file=sys.stderr)
    return target


def ensure_wheel(recipe: Recipe, wheelhouse: Path) -> Path:
    """The flavour's wheel from the wheelhouse (checked), built first when missing."""
    found = find_wheel(wheel_dir(wheelhouse, recipe), recipe.version)
    if found is None:
        return build(recipe, wheelhouse)
    verify(found, recipe)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flavour", choices=FLAVOURS, default="portable")
    parser.add_argument(
        "--cuda-arch",
        default=DEFAULT_CUDA_ARCH,
        help="cuda: CMAKE_CUDA_ARCHITECTURES, e.g. 75 (T4) or 75,86",
    )
    parser.add_argument("--cmake-args", default="", help="more CMake arguments (own folder)")
    parser.add_argument("--version", default=DEFAULT_VERSION, help="llama-cpp-python release")
    parser.add_argument(
        "--wheelhouse",
        type=Path,
        default=None,
        help="default: $WHEELHOUSE, else ~/.cache/llm20q/wheelhouse",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print the folder, compiler and CMake arguments; build nothing",
    )
    args = parser.parse_args(argv)
    wheelhouse = (args.wheelhouse or tools.default_wheelhouse()).expanduser().resolve()
    try:
        recipe = make_recipe(args.flavour, args.version, args.cuda_arch, args.cmake_args)
        tools.ensure_elftools(wheelhouse)
        if args.dry_run:
            with tempfile.TemporaryDirectory() as scratch:
                env, compiler = build_env(recipe, wheelhouse, Path(scratch))
            print(f"folder: {wheel_dir(wheelhouse, recipe)}")
            print(f"compiler: {compiler}")
            print(f"CMAKE_ARGS: {env['CMAKE_ARGS']}")
            return 0
        print(ensure_wheel(recipe, wheelhouse))
    except (WheelError, CudaError, tools.ToolError, OSError, zipfile.BadZipFile) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
