"""Keyword lists: the judge's official one, keyword files, and a seeded choice of keywords.

The official list is kaggle-environments' ``llm_20_questions`` one (1.18.0: 579 things). Its
``keywords.py`` is a pure data module, but importing it through its package runs
``kaggle_environments/__init__.py``, which loads every env (about 14 s, torch included). So we
locate the installed file and execute only that module: the data is the judge's own, not a copy.

A keyword *source* is ``official`` or a keyword file: one keyword per line, ``#`` starts a
comment (whole line or tail), blank lines are skipped, and ``a|b`` is keyword ``a`` with the
alternative ``b`` (the judge accepts either). A file's keywords are things.

Shortcut: a file keyword that is also on the official list is played (:func:`pick_keywords`)
with the official spelling, category and alternatives, because that is how the judge would
play it; :func:`read_keywords` itself returns the file as written.
"""

from __future__ import annotations

import importlib.util
import json
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

OFFICIAL = "official"
FILE_CATEGORY = "things"


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


@lru_cache(maxsize=1)
def _official_by_lowercase() -> dict[str, Keyword]:
    return {k.keyword.lower(): k for k in official_keywords()}


def read_keyword_file(path: Path) -> list[Keyword]:
    """The keywords of a keyword file (format in the module docstring), in file order."""
    if not path.is_file():
        raise ValueError(f"keyword file not found: {path} (or pass {OFFICIAL!r})")
    keywords: list[Keyword] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        names = [name.strip() for name in line.split("#", 1)[0].split("|")]
        names = [name for name in names if name]
        if names:
            keywords.append(Keyword(names[0], FILE_CATEGORY, tuple(names[1:])))
    if not keywords:
        raise ValueError(f"{path} holds no keywords")
    return keywords


def read_keywords(source: str | Path) -> list[Keyword]:
    """``official`` (the judge's list) or a keyword file's keywords, as written."""
    if str(source) == OFFICIAL:
        return list(official_keywords())
    return read_keyword_file(Path(source))


def as_played(keyword: Keyword) -> Keyword:
    """``keyword`` as the judge plays it: the official entry (spelling, category, alternatives,
    plus the keyword's own alternatives) when the official list has it, else unchanged."""
    try:
        entry = _official_by_lowercase().get(keyword.keyword.lower())
    except RuntimeError:  # kaggle-environments missing: nothing to look up
        return keyword
    if entry is None:
        return keyword
    extra = tuple(alt for alt in keyword.alts if alt not in entry.alts)
    return Keyword(entry.keyword, entry.category, entry.alts + extra)


def pick_keywords(source: str | Path, count: int | None, seed: int) -> list[Keyword]:
    """``count`` keywords of ``source`` in a seeded order (as played, see :func:`as_played`),
    cycling through the list when ``count`` exceeds it; ``None``: each keyword once."""
    if count is not None and count < 1:
        raise ValueError(f"cannot pick {count} keywords: ask for at least 1")
    pool = [as_played(k) for k in read_keywords(source)]
    random.Random(seed).shuffle(pool)
    if count is None:
        return pool
    return [pool[i % len(pool)] for i in range(count)]
