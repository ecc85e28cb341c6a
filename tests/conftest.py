"""Shared fixtures: the strict fake backend (unit tests), the small knowledge folder, and the real
tiny GGUF (integration); one llama.cpp thread for the whole session; xdist groups.

``make test`` runs the layers on pytest-xdist workers (``--dist loadgroup``). The tests that read
a fixture their module builds once (a tarball, a loaded backend, a KnowledgeBase) form one group,
so the fixture is still built once per session rather than once per worker; the other tests go
wherever a worker is free.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.planner.store import KnowledgeBase
from agent.settings import PROJECT_DIR, AgentSettings
from llm20q.files import DEFAULT_MODEL_FILE
from llm20q.kb.build import build
from llm20q.tiny_llama3 import DEFAULT_OUT as TINY_LLAMA3
from tests.fakes import ScriptedBackend
from tests.knowledge_fixture import kb_options

TINY_MODEL = PROJECT_DIR / "models" / DEFAULT_MODEL_FILE
LLAMA3_MODEL = PROJECT_DIR / TINY_LLAMA3


def pytest_configure(config: pytest.Config) -> None:
    """One llama.cpp thread for every model loaded in this session, in this process and in the
    commands it starts (they inherit the environment), unless the caller chose a count: ggml's
    threads spin at every barrier when their cores are busy, and the workers share the cores."""
    os.environ.setdefault("LLM20Q_N_THREADS", "1")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that use a module-scoped fixture of their own module run on one worker, one
    group per fixture (``xdist_group``; ignored without ``--dist loadgroup``)."""
    for item in items:
        fixtures = getattr(item, "_fixtureinfo", None)
        if fixtures is None:
            continue
        module = item.nodeid.split("::")[0]
        shared = sorted(
            name
            for name, definitions in fixtures.name2fixturedefs.items()
            if definitions[-1].scope == "module" and definitions[-1].baseid == module
        )
        if shared:
            item.add_marker(pytest.mark.xdist_group(f"{module}::{'+'.join(shared)}"))


@pytest.fixture
def fake_backend() -> Iterator[ScriptedBackend]:
    """A scripted backend; a scripted call that was never made fails the test at teardown."""
    backend = ScriptedBackend()
    yield backend
    assert not backend.script, f"scripted calls never made: {backend.script}"


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge folder built from the small real-format source, once per test module."""
    out = tmp_path_factory.mktemp("kb")
    build(kb_options(out))
    return out


@pytest.fixture(scope="module")
def kb(kb_dir: Path) -> KnowledgeBase:
    return KnowledgeBase.load(kb_dir)


@pytest.fixture(scope="session")
def tiny_model_path() -> Path:
    if not TINY_MODEL.is_file():
        raise FileNotFoundError(f"{TINY_MODEL} is missing: run `make setup` first")
    return TINY_MODEL


@pytest.fixture(scope="session")
def tiny_settings(tiny_model_path: Path) -> AgentSettings:
    return AgentSettings(model_path=tiny_model_path, n_ctx=4096, n_seq_max=4, n_threads=1)


@pytest.fixture(scope="session")
def llama3_model_path() -> Path:
    """The tiny Llama-architecture GGUF with Llama 3's tokenizer (built by `make setup`)."""
    if not LLAMA3_MODEL.is_file():
        raise FileNotFoundError(f"{LLAMA3_MODEL} is missing: run `make setup` first")
    return LLAMA3_MODEL
