"""Process-wide wiring: one backend (the GGUF, loaded once, in a background thread from the first
move on) shared by any number of seats, each with its own chat sessions and its own move clock.

``new_kaggle_seat`` is what ``main.py`` uses: a Kaggle process plays one seat. Self-play and the
benchmarks build several seats on one backend with :func:`make_seat`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache

from agent.clock import ClockLimits, MoveClock
from agent.model.files import calibrated_settings
from agent.model.loader import BackgroundLoader
from agent.model.protocol import ChatBackend
from agent.model.timed import Fetch, TimedBackend
from agent.planner.belief import PlannerConfig
from agent.planner.knowledge import shared_knowledge
from agent.policies.answerer import RuleFirstAnswerer
from agent.policies.base import AnswererPolicy, GuesserPolicy
from agent.policies.llm import LlmAnswerer, LlmGuesser
from agent.policies.planner import PlannerGuesser
from agent.policies.prompts import load_prompts
from agent.seat import FallbackPolicy, Policies, Seat
from agent.settings import AgentSettings, Strategy, load_settings

log = logging.getLogger(__name__)

BackendProvider = Callable[[], ChatBackend]


def load_llama_backend(settings: AgentSettings) -> ChatBackend:
    """The llama.cpp backend on the GGUF the settings name (the heavy import happens here)."""
    from agent.model.files import resolve_model_path
    from agent.model.llama_backend import LlamaBackend

    return LlamaBackend(resolve_model_path(settings), settings)


class LazyBackend(BackgroundLoader):
    """The process's backend: loaded once, in a background thread started by the first move
    (``settings.background_load``), or on the first call. Calling it waits for the model."""

    def __init__(
        self, settings: AgentSettings, load: Callable[[], ChatBackend] | None = None
    ) -> None:
        super().__init__(
            load or (lambda: load_llama_backend(settings)), background=settings.background_load
        )
        self.settings = settings

    def __call__(self) -> ChatBackend:
        backend = self.get(None)
        assert backend is not None  # get(None) waits until the load has finished
        return backend


def clock_limits(settings: AgentSettings) -> ClockLimits:
    return ClockLimits(
        margin_seconds=settings.time_margin_seconds,
        margin_share=settings.time_margin_share,
        overage_reserve_share=settings.overage_reserve_share,
    )


def make_seat(
    name: str,
    settings: AgentSettings,
    backend: BackendProvider | BackgroundLoader,
    clock: MoveClock | None = None,
) -> Seat:
    """A seat whose sessions are named ``<name>/guesser`` and ``<name>/answerer``.

    The guesser follows ``settings.strategy`` ('planner' needs a knowledge folder, else it plays
    'llm'); the answerer is rule-first (rules, table, LLM) unless ``answerer_rules`` is off. When
    the model cannot play a move in time, the planner (without hand-over to the LLM) and the
    rule-first answerer (trusting any table entry) play it. The model starts loading on the
    seat's first move; the knowledge folder loads on first use; both are shared by every seat of
    the process. Model calls go through a :class:`TimedBackend` on the seat's clock.
    """
    clock = clock or MoveClock(clock_limits(settings))
    if isinstance(backend, BackgroundLoader):
        loader: BackgroundLoader | None = backend
        fetch: Fetch = backend.get
    else:
        loader, fetch = None, lambda _timeout: backend()
    timed = TimedBackend(fetch, clock, settings.first_call_seconds)

    def make_policies() -> Policies:
        if loader is not None:
            loader.start()
        prompts = load_prompts()

        @cache
        def llm_guesser() -> LlmGuesser:
            return LlmGuesser(timed, prompts, settings, f"{name}/guesser")

        @cache
        def llm_answerer() -> LlmAnswerer:
            return LlmAnswerer(timed, prompts, settings, f"{name}/answerer")

        no_model = FallbackPolicy()
        knowledge = shared_knowledge(settings)

        def planner_guesser(
            fallback: Callable[[], GuesserPolicy], threshold: float
        ) -> GuesserPolicy:
            return PlannerGuesser(
                knowledge, PlannerConfig.from_settings(settings), fallback, threshold
            )

        guesser: GuesserPolicy
        if settings.strategy is Strategy.PLANNER and knowledge.available:
            guesser = planner_guesser(llm_guesser, settings.planner_fallback_threshold)
        else:
            if settings.strategy is Strategy.PLANNER:
                log.warning("strategy 'planner' without a knowledge folder: playing 'llm'")
            guesser = llm_guesser()
        answerer: AnswererPolicy
        if settings.answerer_rules:
            answerer = RuleFirstAnswerer(knowledge, llm_answerer, settings.table_answer_margin)
        else:
            answerer = llm_answerer()
        return Policies(
            guesser=guesser,
            answerer=answerer,
            # never outside the lexicon (P <= 1): the planner plays on instead of the LLM
            quick_guesser=planner_guesser(lambda: no_model, 1.0)
            if knowledge.available
            else no_model,
            quick_answerer=RuleFirstAnswerer(knowledge, lambda: no_model, margin=0.0),
        )

    return Seat(make_policies, clock=clock)


_process_backend: LazyBackend | None = None
_seats_made = 0


def process_backend() -> LazyBackend | None:
    """The process-wide backend of :func:`new_kaggle_seat` (None before its first seat)."""
    return _process_backend


def new_kaggle_seat() -> Seat:
    """A new seat on the process-wide backend. ``main.py`` keeps one per copy of itself: Kaggle
    runs one seat per process, while a local episode may load ``main.py`` four times in one."""
    global _process_backend, _seats_made
    if _process_backend is None:
        _process_backend = LazyBackend(calibrated_settings(load_settings()))
    _seats_made += 1
    return make_seat(f"seat{_seats_made}", _process_backend.settings, _process_backend)
