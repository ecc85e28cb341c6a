"""Pack a folder into a reproducible ``.tar.gz``: the same files give the same sha256.

Entries are sorted by name, with a fixed mtime (``--mtime``, default ``$SOURCE_DATE_EPOCH`` or
1980-01-01), uid/gid 0 and no user/group names, mode 0755 for folders and owner-executable files
and 0644 for the rest; symlinks are stored as the files they point to. Caches and tests are left
out (``__pycache__``, ``*.pyc``, ``tests`` folders, ...). The gzip stream carries no name and a
zero mtime; it is written by ``pigz -n`` when pigz is on PATH (parallel), else by Python's zlib.
Both are deterministic, but they differ from each other, so compare hashes made the same way.

Prints a manifest (sizes per top-level entry, per package under ``lib/`` and per model file),
the archive size and its sha256.
"""

from __future__ import annotations

import argparse
import fnmatch
import gzip
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from llm20q.files import sha256_of

DEFAULT_EXCLUDES = (
    "__pycache__",
    "*.pyc",
    "*.pyo",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".git",
    ".DS_Store",
    "tests",
)
DEFAULT_MTIME = 315532800  # 1980-01-01T00:00:00Z
LEVEL = 6


def excluded(name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def walk(root: Path, patterns: Sequence[str]) -> Iterator[tuple[str, Path]]:
    """(archive name, path) for every folder and file under ``root``, sorted by name."""
    entries: list[tuple[str, Path]] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        base = Path(folder)
        dirs[:] = [d for d in dirs if not excluded(d, patterns)]
        for name in [*dirs, *files]:
            if excluded(name, patterns):
                continue
            path = base / name
            entries.append((path.relative_to(root).as_posix(), path))
    yield from sorted(entries)


def tar_info(name: str, path: Path, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mtime = mtime
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    if path.is_dir():
        info.type = tarfile.DIRTYPE
        info.mode = 0o755
        return info
    stat = path.stat()  # follows symlinks: the archive holds the file itself
    info.size = stat.st_size
    info.mode = 0o755 if stat.st_mode & 0o100 else 0o644
    return info


def write_tar(
    root: Path, sink: IO[bytes], mtime: int, patterns: Sequence[str]
) -> list[tuple[str, int]]:
    """Write the tar stream to ``sink``; returns (name, size) of each file."""
    files: list[tuple[str, int]] = []
    with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT) as archive:
        for name, path in walk(root, patterns):
            if path.is_symlink() and path.is_dir():
                raise ValueError(f"{path}: symlinked folders are not supported")
            if not (path.is_dir() or path.is_file()):
                raise ValueError(f"{path}: neither a file nor a folder")
            info = tar_info(name, path, mtime)
            if info.isdir():
                archive.addfile(info)
                continue
            with path.open("rb") as handle:
                archive.addfile(info, handle)
            files.append((name, info.size))
    return files


def pack(
    root: Path, out: Path, *, mtime: int, patterns: Sequence[str], compressor: str
) -> tuple[list[tuple[str, int]], str]:
    """Write ``out`` atomically; returns the files and the compressor used."""
    pigz = shutil.which("pigz") if compressor in ("auto", "pigz") else None
    if compressor == "pigz" and pigz is None:
        raise FileNotFoundError("pigz is not on PATH")
    partial = out.with_name(out.name + ".part")
    try:
        with partial.open("wb") as raw:
            if pigz is not None:
                process = subprocess.Popen(
                    [pigz, "-n", f"-{LEVEL}", "-c"], stdin=subprocess.PIPE, stdout=raw
                )
                assert process.stdin is not None
                try:
                    files = write_tar(root, process.stdin, mtime, patterns)
                finally:
                    process.stdin.close()
                    code = process.wait()
                if code != 0:
                    raise RuntimeError(f"pigz exited with status {code}")
                used = "pigz -n"
            else:
                with gzip.GzipFile(
                    filename="", mode="wb", fileobj=raw, compresslevel=LEVEL, mtime=0
                ) as gz:
                    files = write_tar(root, gz, mtime, patterns)  # type: ignore[arg-type]
                used = "python zlib"
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return files, used


def manifest_key(name: str) -> str:
    parts = name.split("/")
    if len(parts) == 1:
        return name
    if parts[0] == "lib":
        if parts[1].endswith(".dist-info"):
            return "lib/*.dist-info/"
        return f"lib/{parts[1]}" + ("/" if len(parts) > 2 else "")
    if parts[0] in ("models", "knowledge"):
        return name
    return parts[0] + "/"


def manifest(files: Sequence[tuple[str, int]]) -> list[str]:
    groups: dict[str, tuple[int, int]] = {}
    for name, size in files:
        count, total = groups.get(manifest_key(name), (0, 0))
        groups[manifest_key(name)] = (count + 1, total + size)
    return [
        f"{total:>13,}  {count:>5} file{'s' if count != 1 else ' '}  {key}"
        for key, (count, total) in sorted(groups.items())
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="folder whose contents become the archive root")
    parser.add_argument("out", type=Path, help="the .tar.gz to write")
    parser.add_argument(
        "--mtime",
        type=int,
        default=int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_MTIME)),
        help="mtime of every entry (default: $SOURCE_DATE_EPOCH or 1980-01-01)",
    )
    parser.add_argument("--compressor", choices=("auto", "pigz", "python"), default="auto")
    parser.add_argument(
        "--exclude", action="append", default=[], help="another name pattern to leave out"
    )
    parser.add_argument("--quiet", action="store_true", help="print only the sha256")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        print(f"error: {args.root} is not a folder", file=sys.stderr)
        return 1
    try:
        files, used = pack(
            args.root,
            args.out,
            mtime=args.mtime,
            patterns=(*DEFAULT_EXCLUDES, *args.exclude),
            compressor=args.compressor,
        )
    except (OSError, ValueError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    digest = sha256_of(args.out)
    if args.quiet:
        print(digest)
        return 0
    size = args.out.stat().st_size
    unpacked = sum(size for _, size in files)
    print("manifest (bytes, files, entry):")
    print("\n".join(f"  {line}" for line in manifest(files)))
    print(f"{args.out}: {size:,} bytes ({size / 2**20:.1f} MiB; {unpacked / 2**20:.1f} MiB "
          f"unpacked, {len(files)} files; gzip by {used})")  # fmt: skip
    print(f"sha256: {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
