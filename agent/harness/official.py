"""The official keyword list of kaggle-environments' ``llm_20_questions`` env (1.18.0: 579 things).

``keywords.py`` is a pure data module, but importing it through its package runs
``kaggle_environments/__init__.py``, which loads every env (about 14 s, torch included). So we
locate the installed file and execute only that module: the data is the judge's own, not a copy.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Keyword:
    """One secret keyword as the judge knows it."""

    keyword: str
    category: str
    alts: tuple[str, ...] = ()


def judge_dir() -> Path:
    """Folder of the installed ``llm_20_questions`` env; a clear error when it is not installed."""
    spec = importlib.util.find_spec("kaggle_environments")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "kaggle-environments is not installed: run `make setup` "
            "(it installs kaggle-environments==1.18.0, the last release with llm_20_questions)"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "envs" / "llm_20_questions"
    if not (folder / "keywords.py").is_file():
        raise RuntimeError(
            f"{folder} has no keywords.py: llm_20_questions exists in kaggle-environments <= 1.18.0"
        )
    return folder


@lru_cache(maxsize=1)
def official_keywords() -> tuple[Keyword, ...]:
    """Every keyword of the official list, in the file's order."""
    path = judge_dir() / "keywords.py"
    spec = importlib.util.spec_from_file_location("_llm20q_official_keywords", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    entries = json.loads(module.KEYWORDS_JSON)
    return tuple(
        Keyword(word["keyword"], entry["category"], tuple(word.get("alts", ())))
        for entry in entries
        for word in entry["words"]
    )
