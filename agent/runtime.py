"""Process-wide wiring: one backend (the GGUF is loaded once, on first use) shared by any number
of seats, each with its own chat sessions.

``new_kaggle_seat`` is what ``main.py`` uses: a Kaggle process plays one seat. Self-play and the
benchmarks build several seats on one backend with :func:`make_seat`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache

from agent.model.protocol import ChatBackend
from agent.planner.knowledge import shared_knowledge
from agent.planner.planner import PlannerConfig
from agent.policies.answerer import RuleFirstAnswerer
from agent.policies.base import AnswererPolicy, GuesserPolicy
from agent.policies.llm import LlmAnswerer, LlmGuesser
from agent.policies.planner import PlannerGuesser
from agent.policies.prompts import load_prompts
from agent.seat import Policies, Seat
from agent.settings import AgentSettings, Strategy, load_settings

log = logging.getLogger(__name__)

BackendProvider = Callable[[], ChatBackend]


class LazyBackend:
    """Loads the GGUF the first time a backend is asked for, then returns the same one."""

    def __init__(self, settings: AgentSettings) -> None:
        self.settings = settings
        self._backend: ChatBackend | None = None

    def __call__(self) -> ChatBackend:
        if self._backend is None:
            from agent.model.files import resolve_model_path
            from agent.model.llama_backend import LlamaBackend  # the heavy import happens here

            self._backend = LlamaBackend(resolve_model_path(self.settings), self.settings)
        return self._backend

    @property
    def loaded(self) -> ChatBackend | None:
        return self._backend


def make_seat(name: str, settings: AgentSettings, backend: BackendProvider) -> Seat:
    """A seat whose sessions are named ``<name>/guesser`` and ``<name>/answerer``.

    The guesser follows ``settings.strategy`` ('planner' needs a knowledge folder, else it plays
    'llm'); the answerer is rule-first (rules, table, LLM) unless ``answerer_rules`` is off. The
    model and the knowledge folder load on first use, shared by every seat of the process.
    """

    def make_policies() -> Policies:
        prompts = load_prompts()

        @cache
        def llm_guesser() -> LlmGuesser:
            return LlmGuesser(backend(), prompts, settings, f"{name}/guesser")

        @cache
        def llm_answerer() -> LlmAnswerer:
            return LlmAnswerer(backend(), prompts, settings, f"{name}/answerer")

        knowledge = shared_knowledge(settings)
        guesser: GuesserPolicy
        if settings.strategy is Strategy.PLANNER and knowledge.available:
            guesser = PlannerGuesser(
                knowledge,
                PlannerConfig.from_settings(settings),
                llm_guesser,
                settings.planner_fallback_threshold,
            )
        else:
            if settings.strategy is Strategy.PLANNER:
                log.warning("strategy 'planner' without a knowledge folder: playing 'llm'")
            guesser = llm_guesser()
        answerer: AnswererPolicy
        if settings.answerer_rules:
            answerer = RuleFirstAnswerer(knowledge, llm_answerer, settings.table_answer_margin)
        else:
            answerer = llm_answerer()
        return Policies(guesser=guesser, answerer=answerer)

    return Seat(make_policies)


_process_backend: LazyBackend | None = None
_seats_made = 0


def new_kaggle_seat() -> Seat:
    """A new seat on the process-wide backend. ``main.py`` keeps one per copy of itself: Kaggle
    runs one seat per process, while a local episode may load ``main.py`` four times in one."""
    global _process_backend, _seats_made
    if _process_backend is None:
        _process_backend = LazyBackend(load_settings())
    _seats_made += 1
    return make_seat(f"seat{_seats_made}", _process_backend.settings, _process_backend)
