"""What the shared objects of a submission need from the machine that loads them, read from ELF.

:func:`read_elf` reads one file with pyelftools: its ``DT_NEEDED`` libraries, its ``DT_RUNPATH``
/ ``DT_RPATH`` folders and the symbol versions it needs (``.gnu.version_r``: ``GLIBC_2.17`` from
``libc.so.6``, ``GLIBCXX_3.4.19`` from ``libstdc++.so.6``, ...). :func:`problems` holds a folder
of them against a :class:`Policy`: no needed version above the policy's limit per family, and every
needed library either one the host provides (the policy's list) or shipped in the folder where
the loader will look (a run path, ``$ORIGIN`` expanded).

Policies: :data:`MANYLINUX2014` (PEP 599's symbol limits, the issue's library list: what the
portable build must meet), :data:`KAGGLE` (Kaggle's simulation image: glibc 2.31 on Ubuntu 20.04,
whose libstdc++ has GLIBCXX_3.4.28), and :func:`with_host_libs` to add a host-provided library,
such as the NVIDIA driver's ``libcuda.so.1``; :data:`KAGGLE_CUDA` for a CUDA build made in a
Kaggle notebook (the notebook's own glibc, the driver from the host).

Shortcuts: only the versioned needs are compared (an unversioned symbol cannot be checked
without the host's libraries); run paths other than ``$ORIGIN``-relative ones count as outside
the folder.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

from elftools.common.exceptions import ELFError
from elftools.elf.dynamic import DynamicSection
from elftools.elf.elffile import ELFFile
from elftools.elf.gnuversions import GNUVerNeedSection

ELF_MAGIC = b"\x7fELF"
VERSION_NAME = re.compile(r"([A-Z]+)_(\d+(?:\.\d+)*)")


class ElfReadError(ValueError):
    """A file starts like an ELF file but cannot be read as one."""


@dataclass(frozen=True)
class ElfNeeds:
    """What one ELF file needs from the loader."""

    name: str  # path relative to the folder that was scanned
    needed: tuple[str, ...]
    run_paths: tuple[str, ...]
    # (library, version name), e.g. ("libc.so.6", "GLIBC_2.17")
    versions: frozenset[tuple[str, str]]

    def highest(self, family: str) -> tuple[int, ...] | None:
        """The highest version of ``family`` (e.g. "GLIBC") this file needs, or None."""
        found = [parse_version(v)[1] for _, v in self.versions if parse_version(v)[0] == family]
        return max(found) if found else None


@dataclass(frozen=True)
class Policy:
    """Limits for the loader's machine: the highest symbol version per family, and the libraries
    it provides (sonames)."""

    name: str
    max_versions: Mapping[str, tuple[int, ...]]
    host_libs: frozenset[str]
    notes: tuple[str, ...] = field(default=())


def parse_version(name: str) -> tuple[str, tuple[int, ...]]:
    """``"GLIBC_2.3.4"`` -> ``("GLIBC", (2, 3, 4))``; a name without a number -> (name, ())."""
    match = VERSION_NAME.fullmatch(name)
    if not match:
        return name, ()
    return match.group(1), tuple(int(part) for part in match.group(2).split("."))


def dotted(version: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in version)


# PEP 599 (manylinux2014): CentOS 7's glibc 2.17 and GCC 4.8's libstdc++ / libgcc_s; the
# libraries are the list (the C runtime, libz, libgcc_s, libstdc++, the loader).
MANYLINUX2014 = Policy(
    name="manylinux2014",
    max_versions={"GLIBC": (2, 17), "GLIBCXX": (3, 4, 19), "CXXABI": (1, 3, 7), "GCC": (4, 8, 0)},
    host_libs=frozenset(
        {
            "libc.so.6",
            "libm.so.6",
            "libpthread.so.0",
            "libdl.so.2",
            "librt.so.1",
            "libz.so.1",
            "libgcc_s.so.1",
            "libstdc++.so.6",
            "ld-linux-x86-64.so.2",
        }
    ),
)
# Kaggle's simulation image (Ubuntu 20.04): glibc 2.31, GCC 10's libstdc++ (GLIBCXX_3.4.28).
KAGGLE = replace(
    MANYLINUX2014,
    name="kaggle (glibc 2.31)",
    max_versions={"GLIBC": (2, 31), "GLIBCXX": (3, 4, 28), "CXXABI": (1, 3, 12), "GCC": (10, 0)},
)
# The NVIDIA driver's library: always the host's, never shipped.
CUDA_DRIVER_LIBS = frozenset({"libcuda.so.1"})


def with_host_libs(policy: Policy, libs: Iterable[str], why: str) -> Policy:
    return replace(
        policy,
        name=f"{policy.name} + {why}",
        host_libs=policy.host_libs | frozenset(libs),
        notes=(*policy.notes, why),
    )


# A CUDA build is compiled in a Kaggle GPU notebook against its toolkit, with its gcc and glibc,
# for the same image: no symbol-version limit, but every needed library is the host's (the C
# runtime, libstdc++, the NVIDIA driver) or shipped.
KAGGLE_CUDA = replace(
    with_host_libs(KAGGLE, CUDA_DRIVER_LIBS, "NVIDIA driver"),
    name="Kaggle GPU image (built there)",
    max_versions={},
)


def _read(stream: IO[bytes], name: str) -> ElfNeeds:
    try:
        elf = ELFFile(stream)
        needed: list[str] = []
        run_paths: list[str] = []
        versions: set[tuple[str, str]] = set()
        for section in elf.iter_sections():
            if isinstance(section, DynamicSection):
                for tag in section.iter_tags():
                    kind = str(tag.entry.d_tag)
                    if kind not in ("DT_NEEDED", "DT_RUNPATH", "DT_RPATH"):
                        continue
                    value = str(getattr(tag, kind[3:].lower()))  # .needed, .runpath, .rpath
                    if kind == "DT_NEEDED":
                        needed.append(value)
                    else:
                        run_paths += value.split(":")
            elif isinstance(section, GNUVerNeedSection):
                for library, auxiliaries in section.iter_versions():
                    versions.update((str(library.name), str(aux.name)) for aux in auxiliaries)
    except (ELFError, ValueError, KeyError) as error:  # pyelftools' errors on a damaged file
        raise ElfReadError(f"{name}: not a readable ELF file ({error})") from None
    return ElfNeeds(name, tuple(needed), tuple(run_paths), frozenset(versions))


def read_elf(path: Path, name: str | None = None) -> ElfNeeds | None:
    """The needs of the ELF file at ``path``; None when it is not an ELF file."""
    with path.open("rb") as stream:
        if stream.read(4) != ELF_MAGIC:
            return None
        stream.seek(0)
        return _read(stream, name or path.name)


def read_elf_bytes(data: bytes, name: str) -> ElfNeeds | None:
    """The same for the bytes of a file (e.g. a wheel member)."""
    return _read(io.BytesIO(data), name) if data.startswith(ELF_MAGIC) else None


def scan(folder: Path) -> list[ElfNeeds]:
    """Every regular ELF file under ``folder`` (symlinks are the files they point to)."""
    found: list[ElfNeeds] = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            needs = read_elf(path, path.relative_to(folder).as_posix())
            if needs is not None:
                found.append(needs)
    return found


def run_path_dirs(needs: ElfNeeds, folder: Path) -> list[Path]:
    origin = (folder / needs.name).parent
    dirs: list[Path] = []
    for entry in needs.run_paths:
        if entry.startswith(("$ORIGIN", "${ORIGIN}")):
            tail = entry.split("}", 1)[-1] if entry.startswith("${") else entry[len("$ORIGIN") :]
            dirs.append(Path(os.path.normpath(str(origin) + tail)))
    return dirs


def shipped_path(needs: ElfNeeds, library: str, folder: Path) -> Path | None:
    """Where the loader finds ``library`` for this file inside ``folder`` (run paths only)."""
    root = folder.resolve()
    for directory in run_path_dirs(needs, folder):
        candidate = directory / library
        if candidate.is_file() and candidate.resolve().is_relative_to(root):
            return candidate
    return None


def problems(elfs: Iterable[ElfNeeds], policy: Policy, folder: Path) -> list[str]:
    """One line per breach of ``policy`` by the files of ``folder``; empty when all is well."""
    lines: list[str] = []
    for needs in elfs:
        for library, version in sorted(needs.versions):
            family, number = parse_version(version)
            limit = policy.max_versions.get(family)
            if limit is not None and number > limit:
                lines.append(
                    f"{needs.name} needs {version} (from {library}), above {policy.name}'s "
                    f"{family}_{dotted(limit)}"
                )
        for library in needs.needed:
            if library in policy.host_libs or shipped_path(needs, library, folder) is not None:
                continue
            lines.append(
                f"{needs.name} needs {library}, which is neither a host library of "
                f"{policy.name} nor shipped beside it"
            )
    return lines


@dataclass(frozen=True)
class Summary:
    """The highest needed version per family, with one file that needs it."""

    files: int
    highest: Mapping[str, tuple[tuple[int, ...], str]]

    def text(self) -> str:
        if not self.highest:
            return f"{self.files} shared objects, no versioned glibc/libstdc++ needs"
        parts = [
            f"{family}_{dotted(version)} ({where})"
            for family, (version, where) in sorted(self.highest.items())
        ]
        return f"{self.files} shared objects need at most " + ", ".join(parts)


def summarize(elfs: Iterable[ElfNeeds], families: Iterable[str] = ("GLIBC", "GLIBCXX")) -> Summary:
    wanted = tuple(families)
    highest: dict[str, tuple[tuple[int, ...], str]] = {}
    count = 0
    for needs in elfs:
        count += 1
        for family in wanted:
            version = needs.highest(family)
            if version is not None and version > highest.get(family, ((), ""))[0]:
                highest[family] = (version, needs.name)
    return Summary(count, highest)
