"""Role policies on top of the knowledge folder: the planner guesser and the rule-first answerer.

- :class:`PlannerGuesser` asks and guesses with :class:`agent.planner.Planner` (Agent Alpha
  bisection, or Bayesian questions over the bank); when the posterior says the keyword is probably
  outside the lexicon (or no candidate is left) it hands both turns to an LLM guesser, which
  replays the chat from the rounds.
- :class:`RuleFirstAnswerer` answers with ``agent.rules`` first (handshake, alphabetical order,
  letters, word count, "one of"), then from the knowledge table when the question is a bank
  question, the keyword a candidate and the table confident, and only then with the LLM.
- :class:`SharedKnowledge` finds the knowledge folder (``knowledge_dir``, else
  /kaggle_simulations/agent/knowledge, ./knowledge, <project>/knowledge) and loads it, and the
  planner's index, at most once per process, on first use.

The LLM policies are built lazily too, so a game the planner and the rules can play alone never
loads the model.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from agent.game import SeatState
from agent.knowledge.store import LEXICON_FILE, KnowledgeBase
from agent.output_rules import fallback_guess, fallback_question
from agent.planner import Planner, PlannerConfig, PlannerIndex
from agent.policies import AnswererPolicy, GuesserPolicy
from agent.rules import rule_answer
from agent.settings import AgentSettings, search_dirs

log = logging.getLogger(__name__)

T = TypeVar("T")


class Lazy(Generic[T]):
    """Builds its value on the first call, then returns the same one."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._value: T | None = None

    def __call__(self) -> T:
        if self._value is None:
            self._value = self._make()
        return self._value

    @property
    def built(self) -> bool:
        return self._value is not None


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
        "no knowledge folder (looked in %s); run `python -m agent kb build`",
        ", ".join(str(d) for d in knowledge_search_dirs()),
    )
    return None


def planner_config(settings: AgentSettings) -> PlannerConfig:
    return PlannerConfig(
        noise_table=settings.planner_noise_table,
        noise_lexical=settings.planner_noise_lexical,
        noise_alpha=settings.planner_noise_alpha,
        top_k=settings.planner_top_k,
        outside_prior=settings.planner_outside_prior,
        uniform_mix=settings.planner_uniform_mix,
        handshake=settings.planner_handshake,
    )


class SharedKnowledge:
    """The knowledge base and the planner index of one folder, loaded once, on first use."""

    def __init__(self, folder: Path | None, uniform_mix: float) -> None:
        self.folder = folder
        self.uniform_mix = uniform_mix
        self._kb: KnowledgeBase | None = None
        self._index: PlannerIndex | None = None
        self._questions: dict[str, int] | None = None

    @property
    def available(self) -> bool:
        return self.folder is not None

    def kb(self) -> KnowledgeBase | None:
        if self._kb is None and self.folder is not None:
            self._kb = KnowledgeBase.load(self.folder)
        return self._kb

    def index(self) -> PlannerIndex | None:
        if self._index is None:
            kb = self.kb()
            if kb is not None:
                self._index = PlannerIndex(kb, self.uniform_mix)
        return self._index

    def question_index(self, text: str) -> int | None:
        """The bank question with exactly this text."""
        kb = self.kb()
        if kb is None:
            return None
        if self._questions is None:
            self._questions = {q.text: q.index for q in kb.questions}
        return self._questions.get(text)


_shared: dict[tuple[Path | None, float], SharedKnowledge] = {}


def shared_knowledge(settings: AgentSettings) -> SharedKnowledge:
    """The process-wide :class:`SharedKnowledge` for these settings (the folder is resolved now,
    the files are read on first use)."""
    folder = resolve_knowledge_dir(settings)
    key = (folder.resolve() if folder else None, settings.planner_uniform_mix)
    if key not in _shared:
        _shared[key] = SharedKnowledge(folder, settings.planner_uniform_mix)
    return _shared[key]


class PlannerGuesser:
    """Questions and guesses from the planner; the LLM guesser takes over outside the lexicon."""

    def __init__(
        self,
        knowledge: SharedKnowledge,
        config: PlannerConfig,
        fallback: Callable[[], GuesserPolicy],
        threshold: float,
    ) -> None:
        self.knowledge = knowledge
        self.config = config
        self.fallback = fallback
        self.threshold = threshold
        self._planner: Planner | None = None
        self.handed_over = 0  # turns played by the fallback

    @property
    def planner(self) -> Planner | None:
        if self._planner is None:
            index = self.knowledge.index()
            if index is not None:
                self._planner = Planner(index, self.config)
        return self._planner

    def _outside(self, planner: Planner, state: SeatState) -> bool:
        if not state.rounds:
            return False
        return planner.outside_probability(state.rounds) > self.threshold

    def ask(self, state: SeatState) -> str:
        planner = self.planner
        if planner is not None and not self._outside(planner, state):
            question = planner.question(state.rounds)
            if question is not None:
                return question
        self.handed_over += 1
        return self.fallback().ask(state) or fallback_question(state.questions)

    def guess(self, state: SeatState) -> str:
        planner = self.planner
        if planner is not None and not self._outside(planner, state):
            guess = planner.guess(state.rounds)
            if guess is not None:
                return guess
        self.handed_over += 1
        return self.fallback().guess(state) or fallback_guess(state.wrong_guesses)


class RuleFirstAnswerer:
    """Rules, then the knowledge table, then the LLM."""

    def __init__(
        self,
        knowledge: SharedKnowledge | None,
        llm: Callable[[], AnswererPolicy],
        margin: float = 0.25,
    ) -> None:
        self.knowledge = knowledge
        self.llm = llm
        self.margin = margin
        self.decided_by: dict[str, int] = {"rules": 0, "table": 0, "llm": 0}

    def table_answer(self, question: str, keyword: str) -> bool | None:
        """The table's answer when the question is in the bank, the keyword a candidate and the
        table confident (|p - 0.5| >= margin); else None."""
        if self.knowledge is None or not self.knowledge.available:
            return None
        qi = self.knowledge.question_index(question)
        kb = self.knowledge.kb()
        if qi is None or kb is None:
            return None
        ci = kb.index_of(keyword)
        if ci is None:
            return None
        p = float(kb.answer_probs(qi)[ci])
        if abs(p - 0.5) < self.margin:
            return None
        return p >= 0.5

    def answer(self, state: SeatState) -> str:
        question = state.rounds[-1].question
        decided = rule_answer(question, state.keyword)
        source = "rules"
        if decided is None:
            decided = self.table_answer(question, state.keyword)
            source = "table"
        if decided is None:
            self.decided_by["llm"] += 1
            return self.llm().answer(state)
        self.decided_by[source] += 1
        return "yes" if decided else "no"
