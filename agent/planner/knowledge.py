"""The knowledge folder at run time: where it is, and one loaded copy per process.

:func:`resolve_knowledge_dir` finds the folder (the ``knowledge_dir`` setting, else the first of
/kaggle_simulations/agent/knowledge, ./knowledge and <project>/knowledge that holds a lexicon).
:func:`shared_knowledge` gives the process-wide :class:`SharedKnowledge` for it: the knowledge
base and the planner's index are read on first use and then shared by every seat (self-play runs
four seats in one process).

Shortcut: the cache is keyed by the resolved folder and the prior mix only; a folder rewritten
while the process runs is not reloaded.
"""

from __future__ import annotations

import logging
from functools import cache, cached_property
from pathlib import Path

from agent.planner.index import PlannerIndex
from agent.planner.store import LEXICON_FILE, KnowledgeBase
from agent.settings import AgentSettings, search_dirs

log = logging.getLogger(__name__)


def knowledge_search_dirs() -> list[Path]:
    """Folders searched for a knowledge folder when ``knowledge_dir`` is unset, in order."""
    return search_dirs("knowledge")


def resolve_knowledge_dir(settings: AgentSettings) -> Path | None:
    """The knowledge folder to load, or None (with a warning) when there is none."""
    if settings.knowledge_dir is not None:
        folder = settings.knowledge_dir.expanduser()
        if (folder / LEXICON_FILE).is_file():
            return folder
        log.warning("LLM20Q_KNOWLEDGE_DIR has no %s: %s", LEXICON_FILE, folder)
        return None
    for folder in knowledge_search_dirs():
        if (folder / LEXICON_FILE).is_file():
            return folder
    log.warning(
        "no knowledge folder (looked in %s); run `llm20q kb build`",
        ", ".join(str(d) for d in knowledge_search_dirs()),
    )
    return None


class SharedKnowledge:
    """The knowledge base and the planner index of one folder, loaded once, on first use."""

    def __init__(self, folder: Path | None, uniform_mix: float) -> None:
        self.folder = folder
        self.uniform_mix = uniform_mix

    @property
    def available(self) -> bool:
        return self.folder is not None

    @cached_property
    def kb(self) -> KnowledgeBase | None:
        return KnowledgeBase.load(self.folder) if self.folder is not None else None

    @cached_property
    def index(self) -> PlannerIndex | None:
        return PlannerIndex(self.kb, self.uniform_mix) if self.kb is not None else None


@cache
def _knowledge(folder: Path | None, uniform_mix: float) -> SharedKnowledge:
    return SharedKnowledge(folder, uniform_mix)


def shared_knowledge(settings: AgentSettings) -> SharedKnowledge:
    """The process-wide :class:`SharedKnowledge` for these settings (the folder is resolved now,
    the files are read on first use)."""
    folder = resolve_knowledge_dir(settings)
    return _knowledge(folder.resolve() if folder else None, settings.planner_uniform_mix)
