"""Shared fixtures: the strict fake backend (unit tests) and the real tiny GGUF (integration)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.settings import PROJECT_DIR, AgentSettings
from llm20q.files import DEFAULT_MODEL_FILE
from tests.fakes import ScriptedBackend

TINY_MODEL = PROJECT_DIR / "models" / DEFAULT_MODEL_FILE


@pytest.fixture
def fake_backend() -> Iterator[ScriptedBackend]:
    """A scripted backend; a scripted call that was never made fails the test at teardown."""
    backend = ScriptedBackend()
    yield backend
    assert not backend.script, f"scripted calls never made: {backend.script}"


@pytest.fixture(scope="session")
def tiny_model_path() -> Path:
    if not TINY_MODEL.is_file():
        raise FileNotFoundError(f"{TINY_MODEL} is missing: run `make setup` first")
    return TINY_MODEL


@pytest.fixture(scope="session")
def tiny_settings(tiny_model_path: Path) -> AgentSettings:
    return AgentSettings(model_path=tiny_model_path, n_ctx=4096, n_seq_max=4, n_threads=2)
