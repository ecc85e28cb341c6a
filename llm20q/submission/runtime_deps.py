"""The submission's runtime lock for a target CPython on Linux x86_64 (used by build_submission.sh).

Subcommands (all take ``--python-version X.Y``, the CPython that will run the submission):

- ``select LOCK``: the lock's ``name==version`` lines whose markers hold for the target. pip would
  evaluate markers for the Python running it, not for ``--python-version``, so we do it here.
- ``wheels LOCK --wheel-dir DIR [--skip NAME] [--missing]``: for every selected requirement, the
  wheel file in DIR that fits the target (or, with ``--missing``, the requirements without one).
- ``check-wheel WHEEL...``: refuses, with one line, a wheel built for another Python: its tags
  (a ``cpXY`` interpreter tag or ABI must be the target's; ``abi3`` must be at most the target;
  ``py3-none`` is accepted), its platform (Linux x86_64 or any), and, because a ``py3-none`` tag
  says nothing about the binaries inside, any CPython extension module (``*.cpython-XY-*.so``)
  or shared object that needs ``libpythonX.Y`` (its ELF ``DT_NEEDED``) in the wheel.
- ``check-lib DIR [--cuda]``: on an installed (and pruned) ``lib/``: drops the RECORD lines of
  files that do not ship, runs the same extension-module check, and reads every ELF file
  (:mod:`llm20q.submission.elf_check`): a symbol version above Kaggle's glibc 2.31 / libstdc++, or
  a needed library neither the host's nor shipped, refuses the build (``--cuda``: built in the
  Kaggle notebook it runs on, so no version limit, and the NVIDIA driver's ``libcuda.so.1`` is the
  host's); otherwise it prints the highest versions needed.

The ELF reading needs pyelftools; without it in the interpreter, it is installed beside the
wheelhouse (:mod:`llm20q.submission.tools`). Exit status: 0 when fine, 1 (one ``error:`` line on
stderr) otherwise.
"""

from __future__ import annotations

import argparse
import re
import sys
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from llm20q.submission import tools

try:
    from packaging.markers import Marker
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.tags import Tag, compatible_tags, cpython_tags
    from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename
except ImportError:  # a bare interpreter (a Kaggle notebook's Python): pip vendors the same library
    from pip._vendor.packaging.markers import Marker  # type: ignore[assignment,no-redef]
    from pip._vendor.packaging.requirements import (  # type: ignore[assignment,no-redef]
        InvalidRequirement,
        Requirement,
    )
    from pip._vendor.packaging.tags import (  # type: ignore[assignment,no-redef]
        Tag,
        compatible_tags,
        cpython_tags,
    )
    from pip._vendor.packaging.utils import (  # type: ignore[assignment,no-redef]
        InvalidWheelFilename,
        canonicalize_name,
        parse_wheel_filename,
    )

EXT_MODULE = re.compile(r"\.cpython-(\d)(\d+)[a-z]*-[\w-]+\.so$")
LIBPYTHON = re.compile(r"^libpython(\d)\.(\d+)")
# Kaggle's image runs glibc 2.31; wheels up to manylinux_2_28 are what PyPI builds for it.
LINUX_PLATFORMS = (
    "linux_x86_64",
    "manylinux2014_x86_64",
    *(f"manylinux_2_{minor}_x86_64" for minor in range(28, 16, -1)),
)


class CheckError(Exception):
    """A one-line reason to refuse the build."""


def parse_python_version(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"3\.(\d+)", text)
    if not match:
        raise CheckError(f"--python-version must look like 3.11, got {text!r}")
    return 3, int(match.group(1))


def marker_environment(python: tuple[int, int]) -> dict[str, str]:
    version = f"{python[0]}.{python[1]}"
    return {
        "python_version": version,
        "python_full_version": f"{version}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "platform_machine": "x86_64",
        "os_name": "posix",
    }


@dataclass(frozen=True)
class Pin:
    name: str
    version: str

    def __str__(self) -> str:
        return f"{self.name}=={self.version}"


def select(lock: Path, python: tuple[int, int]) -> list[Pin]:
    """The lock's pins for the target Python; every line must be ``name==version [; marker]``."""
    pins: list[Pin] = []
    env = marker_environment(python)
    for number, raw in enumerate(lock.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement as error:
            raise CheckError(f"{lock}:{number}: {error}") from None
        specs = list(requirement.specifier)
        if len(specs) != 1 or specs[0].operator != "==" or "*" in specs[0].version:
            raise CheckError(f"{lock}:{number}: pin an exact version (name==X.Y.Z): {line}")
        if requirement.marker is not None and not Marker(str(requirement.marker)).evaluate(env):
            continue
        if any(canonicalize_name(pin.name) == canonicalize_name(requirement.name) for pin in pins):
            raise CheckError(f"{lock}:{number}: {requirement.name} is pinned twice for {python}")
        pins.append(Pin(requirement.name, specs[0].version))
    return pins


def supported_tags(python: tuple[int, int]) -> frozenset[Tag]:
    """Every wheel tag CPython ``python`` on Linux x86_64 installs (what pip would accept)."""
    interpreter = f"cp{python[0]}{python[1]}"
    return frozenset(
        (
            *cpython_tags(python, platforms=LINUX_PLATFORMS),
            *compatible_tags(python, interpreter=interpreter, platforms=LINUX_PLATFORMS),
        )
    )


def wheel_tags(filename: str) -> tuple[str, str, frozenset[Tag]]:
    """(canonical name, version, tags) of a wheel file name."""
    try:
        name, version, _build, tags = parse_wheel_filename(filename)
    except InvalidWheelFilename as error:
        raise CheckError(f"{filename}: not a wheel file name ({error})") from None
    return str(name), str(version), frozenset(tags)


def python_fits(tags: frozenset[Tag], python: tuple[int, int]) -> bool:
    """Whether some (interpreter, abi) pair of the wheel runs on CPython ``python``."""
    pairs = {(tag.interpreter, tag.abi) for tag in supported_tags(python)}
    return any((tag.interpreter, tag.abi) in pairs for tag in tags)


def platform_fits(tags: frozenset[Tag]) -> bool:
    return any(tag.platform in (*LINUX_PLATFORMS, "any") for tag in tags)


def fits(tags: frozenset[Tag], python: tuple[int, int]) -> bool:
    return bool(tags & supported_tags(python))


def _tag_text(tags: frozenset[Tag]) -> str:
    return ".".join(sorted(str(tag) for tag in tags))


def describe(python: tuple[int, int]) -> str:
    return f"{python[0]}.{python[1]}"


def ext_module_python(name: str) -> tuple[int, int] | None:
    match = EXT_MODULE.search(name)
    return (int(match.group(1)), int(match.group(2))) if match else None


def check_wheel(path: Path, python: tuple[int, int]) -> None:
    _name, _version, tags = wheel_tags(path.name)
    want = describe(python)
    if not python_fits(tags, python):
        built = sorted(
            {f"3.{t.interpreter[3:]}" for t in tags if re.fullmatch(r"cp3\d+", t.interpreter)}
        )
        built_for = f"Python {' / '.join(built)}" if built else "another Python"
        raise CheckError(
            f"{path.name} is built for {built_for} (tag {_tag_text(tags)}), "
            f"not --python-version {want}"
        )
    if not platform_fits(tags):
        raise CheckError(f"{path.name} is not for Linux x86_64 (tag {_tag_text(tags)})")
    with zipfile.ZipFile(path) as wheel:
        for member in wheel.namelist():
            found = ext_module_python(member)
            if found is not None and found != python:
                raise CheckError(
                    f"{path.name} holds {member}, an extension module for Python "
                    f"{describe(found)}, not --python-version {want}"
                )
            if ".so" in member.rsplit("/", 1)[-1]:
                from llm20q.submission.elf_check import read_elf_bytes

                needs = read_elf_bytes(wheel.read(member), member)
                for library in needs.needed if needs is not None else ():
                    linked = LIBPYTHON.match(library)
                    if linked and (int(linked.group(1)), int(linked.group(2))) != python:
                        raise CheckError(
                            f"{path.name}: {member} links {library}, not --python-version {want}"
                        )


def wheel_for(pin: Pin, folder: Path, python: tuple[int, int]) -> Path | None:
    """The wheel in ``folder`` for ``pin`` that fits the target (the most specific one)."""
    found: list[tuple[int, str, Path]] = []
    for path in folder.glob("*.whl") if folder.is_dir() else []:
        try:
            name, version, tags = wheel_tags(path.name)
        except CheckError:
            continue
        if name != canonicalize_name(pin.name) or version != pin.version:
            continue
        if fits(tags, python):
            binary = 0 if all(t.abi == "none" and t.platform == "any" for t in tags) else 1
            found.append((binary, path.name, path))
    return max(found)[2] if found else None


def check_lib(lib: Path, python: tuple[int, int], *, cuda: bool = False) -> str:
    """Refuse an extension module for another Python, or a shared object that would not load on
    Kaggle's image; else say what the shared objects need."""
    from llm20q.submission import elf_check

    for path in sorted(lib.rglob("*.so")):
        found = ext_module_python(path.name)
        if found is not None and found != python:
            raise CheckError(
                f"{path.relative_to(lib)} is an extension module for Python {describe(found)}, "
                f"not --python-version {describe(python)}"
            )
    policy = elf_check.KAGGLE_CUDA if cuda else elf_check.KAGGLE
    elfs = elf_check.scan(lib)
    broken = elf_check.problems(elfs, policy, lib)
    if broken:
        more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
        raise CheckError(f"{broken[0]}{more}")
    portable = not elf_check.problems(elfs, elf_check.MANYLINUX2014, lib)
    kind = "manylinux2014" if portable else f"not manylinux2014, fits {policy.name}"
    return f"lib/: {elf_check.summarize(elfs).text()}: {kind}"


def prune_records(lib: Path) -> str:
    """Drop RECORD lines of files that are not in ``lib`` (pruned, or outside it such as console
    scripts whose hashes carry this machine's interpreter path), so RECORD matches what ships."""
    dropped = 0
    for record in sorted(lib.glob("*.dist-info/RECORD")):
        kept: list[str] = []
        lines = record.read_text(encoding="utf-8").splitlines()
        for line in lines:
            target = (lib / line.split(",", 1)[0]).resolve()
            if target.is_relative_to(lib.resolve()) and target.is_file():
                kept.append(line)
        dropped += len(lines) - len(kept)
        record.write_text("".join(f"{line}\n" for line in kept), encoding="utf-8")
    return f"RECORD files: dropped {dropped} lines of files that do not ship"


def _run(args: argparse.Namespace) -> Iterable[str]:
    python = parse_python_version(args.python_version)
    if args.command == "select":
        return [str(pin) for pin in select(args.lock, python)]
    if args.command == "wheels":
        skip = {canonicalize_name(name) for name in args.skip}
        lines: list[str] = []
        for pin in select(args.lock, python):
            if canonicalize_name(pin.name) in skip:
                continue
            found = wheel_for(pin, args.wheel_dir, python)
            if args.missing and found is None:
                lines.append(str(pin))
            elif not args.missing:
                if found is None:
                    where = f"(Python {describe(python)}) in {args.wheel_dir}"
                    raise CheckError(f"no wheel for {pin} {where}")
                lines.append(str(found))
        return lines
    if args.command == "check-wheel":
        for wheel in args.wheels:
            check_wheel(wheel, python)
        return []
    return [prune_records(args.lib), check_lib(args.lib, python, cuda=args.cuda)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python-version", required=True, help="target CPython, e.g. 3.11")
    commands = parser.add_subparsers(dest="command", required=True)
    select_cmd = commands.add_parser("select", help="the lock's pins for the target")
    select_cmd.add_argument("lock", type=Path)
    wheels_cmd = commands.add_parser("wheels", help="wheel files (or missing pins) for the target")
    wheels_cmd.add_argument("lock", type=Path)
    wheels_cmd.add_argument("--wheel-dir", type=Path, required=True)
    wheels_cmd.add_argument("--skip", action="append", default=[], help="a pin to leave out")
    wheels_cmd.add_argument("--missing", action="store_true", help="print pins without a wheel")
    check_cmd = commands.add_parser("check-wheel", help="refuse a wheel for another Python")
    check_cmd.add_argument("wheels", type=Path, nargs="+")
    lib_cmd = commands.add_parser("check-lib", help="check an installed lib/ folder")
    lib_cmd.add_argument("lib", type=Path)
    lib_cmd.add_argument("--cuda", action="store_true", help="the NVIDIA driver is the host's")
    args = parser.parse_args(argv)
    try:
        if args.command in ("check-wheel", "check-lib"):
            tools.ensure_elftools()
        for line in _run(args):
            print(line)
    except (CheckError, OSError, ValueError, zipfile.BadZipFile, tools.ToolError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
