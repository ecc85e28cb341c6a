"""The planner guesser: questions and guesses from :class:`agent.planner.planner.Planner`.

It asks and guesses with the planner (Agent Alpha bisection, or Bayesian questions over the
bank); when, at an ask turn, the posterior says the keyword is probably outside the lexicon (or
no candidate is left) it hands that round's question and guess to an LLM guesser, which replays
the chat from the rounds (the guess turn follows its round's ask, so the LLM always sees its own
question first; a planner round whose guesses ran out also ends in the LLM's guess). The LLM
guesser is built only then (``fallback`` is a memoised factory), so a game the planner can play
alone never loads the model. :attr:`PlannerGuesser.partner_trace` reports P(the partner speaks
the protocol) after each round of the last game state seen (for evaluations).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from agent.game import Round, SeatState
from agent.legal import fallback_guess, fallback_question
from agent.planner.belief import PlannerConfig
from agent.planner.knowledge import SharedKnowledge
from agent.planner.planner import Planner
from agent.policies.base import GuesserPolicy


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
        self.handed_over = 0  # turns played by the fallback
        self._rounds: tuple[Round, ...] = ()
        self._llm_round: int | None = None  # the round whose question the LLM asked

    @cached_property
    def planner(self) -> Planner | None:
        index = self.knowledge.index
        return Planner(index, self.config) if index is not None else None

    def _outside(self, planner: Planner, state: SeatState) -> bool:
        if not state.rounds:
            return False
        return planner.hands_over(state.rounds, self.threshold)

    @property
    def partner_trace(self) -> list[float]:
        """P(the partner speaks the protocol) after each round of the last game state seen."""
        planner = self.planner
        return planner.protocol_trace(self._rounds) if planner is not None else []

    def ask(self, state: SeatState) -> str:
        self._rounds = state.rounds
        planner = self.planner
        if planner is not None and not self._outside(planner, state):
            question = planner.question(state.rounds)
            if question is not None:
                self._llm_round = None
                return question
        self._llm_round = len(state.rounds)
        self.handed_over += 1
        return self.fallback().ask(state) or fallback_question(state.questions)

    def guess(self, state: SeatState) -> str:
        self._rounds = state.rounds
        planner = self.planner
        if planner is not None and self._llm_round != len(state.rounds) - 1:
            guess = planner.guess(state.rounds)
            if guess is not None:
                return guess
        self.handed_over += 1
        return self.fallback().guess(state) or fallback_guess(state.wrong_guesses)
