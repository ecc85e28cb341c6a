"""Finding the GGUF, and the clear errors for a missing, unreadable or ambiguous model file (no
model is loaded: llama.cpp refuses these files before reading any weights)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.model.files import ModelNotFoundError, resolve_model_path
from agent.model.llama_backend import LlamaBackend, ModelLoadError
from agent.settings import AgentSettings


def test_missing_and_invalid_model_files_are_clear_errors(tmp_path: Path) -> None:
    settings = AgentSettings()
    with pytest.raises(ModelLoadError, match="not found"):
        LlamaBackend(tmp_path / "nope.gguf", settings)
    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"not a model at all")
    with pytest.raises(ModelLoadError, match="not a GGUF"):
        LlamaBackend(fake, settings)
    with pytest.raises(ModelNotFoundError, match="missing file"):
        resolve_model_path(AgentSettings(model_path=tmp_path / "nope.gguf"))


def test_model_folder_with_several_ggufs_asks_for_a_choice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "models").mkdir()
    for name in ("a.gguf", "b.gguf"):
        (tmp_path / "models" / name).write_bytes(b"GGUF")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ModelNotFoundError, match="several GGUF files"):
        resolve_model_path(AgentSettings())
