"""Shared fixtures: the real tiny GGUF (fetched by `make setup`) and settings for tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.model_files import DEFAULT_MODEL_FILE
from agent.settings import PROJECT_DIR, AgentSettings

TINY_MODEL = PROJECT_DIR / "models" / DEFAULT_MODEL_FILE


@pytest.fixture(scope="session")
def tiny_model_path() -> Path:
    if not TINY_MODEL.is_file():
        raise FileNotFoundError(f"{TINY_MODEL} is missing: run `make setup` first")
    return TINY_MODEL


@pytest.fixture(scope="session")
def tiny_settings(tiny_model_path: Path) -> AgentSettings:
    return AgentSettings(model_path=tiny_model_path, n_ctx=4096, n_seq_max=4, n_threads=2)
