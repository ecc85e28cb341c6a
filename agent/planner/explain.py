"""A read-only view of the planner's reasoning, for people watching a game (``llm20q play``,
``llm20q replay``): the mode, the top candidates with their probabilities, how likely the keyword
is outside the lexicon, the expected information of a question, and where a keyword stands.

:class:`PlannerView` keeps its own :class:`agent.planner.planner.Planner` on the shared index, so
asking it about any prefix of a game never disturbs the posterior cache of the seat that plays.
This module is the one place outside ``planner.py`` that reads the planner's internals (the
posterior and its noise model): callers use only what is defined here.

Shortcuts: the expected information of a question is computed over every candidate of the
lexicon (the planner itself scores only its ``top_k``), with the planner's noise model for that
kind of question; the "outside the lexicon" hypothesis is left out of it. Questions the planner
cannot read (free text, the handshake) have no expected information (None).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np

from agent.game import Round
from agent.kinds import TableFeature
from agent.planner.belief import PlannerConfig
from agent.planner.index import F64, PlannerIndex
from agent.planner.knowledge import shared_knowledge
from agent.planner.planner import Planner
from agent.planner.posterior import Mode, binary_entropy, handshake_asked
from agent.settings import AgentSettings


class ViewMode(str, Enum):
    """What drives the guesser now, as a person would call it."""

    HANDSHAKE = "handshake"  # the Agent Alpha handshake is not answered yet
    ALPHA = "Alpha"  # alphabetical bisection with an Agent Alpha answerer
    BAYES = "Bayesian"  # most informative questions of the bank
    LLM = "LLM"  # the keyword looks outside the lexicon: the language model plays


@dataclass(frozen=True)
class Thinking:
    """The planner's view of a game so far."""

    mode: ViewMode
    candidates: tuple[tuple[str, float], ...]  # most probable first, P(candidate | in lexicon)
    outside: float  # P(the keyword is outside the lexicon)


class PlannerView:
    """Read-only questions about the planner's posterior for any rounds."""

    def __init__(self, index: PlannerIndex, config: PlannerConfig, handover: float) -> None:
        self.index = index
        self.config = config
        self.handover = handover  # the guesser hands over to the LLM above this P(outside)
        self._planner = Planner(index, config)

    @classmethod
    def from_settings(cls, settings: AgentSettings) -> PlannerView | None:
        """A view on the process-wide knowledge folder of ``settings``; None without one."""
        index = shared_knowledge(settings).index
        if index is None:
            return None
        config = PlannerConfig.from_settings(settings)
        return cls(index, config, settings.planner_fallback_threshold)

    @property
    def lexicon_size(self) -> int:
        return self.index.n

    def _weights(self, rounds: Sequence[Round]) -> F64:
        """Normalised posterior of every candidate (0 for ruled-out ones)."""
        planner = self._planner
        logpost = planner.mixture(planner.posterior(rounds))
        top = float(logpost.max())
        if not np.isfinite(top):
            return np.zeros(self.index.n)
        weights: F64 = np.exp(logpost - top)
        normalised: F64 = weights / weights.sum()
        return normalised

    def think(self, rounds: Sequence[Round], count: int = 8) -> Thinking:
        """Mode, the ``count`` most probable candidates and P(outside) after ``rounds``."""
        outside = self._planner.outside_probability(rounds) if rounds else 0.0
        weights = self._weights(rounds)
        order = np.argsort(-weights, kind="stable")[:count]
        candidates = tuple(
            (self.index.candidates[i], float(weights[i])) for i in order.tolist() if weights[i] > 0
        )
        mode = self._mode(rounds)
        if rounds and (outside > self.handover or not candidates):
            view = ViewMode.LLM
        elif mode is None:
            view = ViewMode.HANDSHAKE
        else:
            view = ViewMode.ALPHA if mode is Mode.ALPHA else ViewMode.BAYES
        return Thinking(view, candidates, outside)

    def _mode(self, rounds: Sequence[Round]) -> Mode | None:
        """The partner hypothesis the planner plays after ``rounds``; None while the handshake
        is unanswered."""
        asked = handshake_asked(rounds, self.config.handshake)
        if asked is None or (asked and rounds[0].answer is None):
            return None
        return self._planner.posterior(rounds).mode

    def information(self, rounds: Sequence[Round], question: str) -> float | None:
        """Expected information (bits) of the answer to ``question`` asked after ``rounds``:
        the mutual information of answer and keyword under the planner's noise model."""
        feature = self.index.parse(question)
        if feature is None:
            return None
        weights = self._weights(rounds)
        if not weights.any():
            return 0.0
        mode = self._mode(rounds) or Mode.BAYES
        post = self._planner.posterior(rounds)
        if isinstance(feature, TableFeature):
            lo, hi = self._planner.answer_rates(post)
            row = feature.index
            p_yes = lo[row] + (1.0 - lo[row] - hi[row]) * self.index.p_yes(feature)
        else:
            eps = post.channels[mode].eps
            p_yes = eps + (1.0 - 2.0 * eps) * self.index.p_yes(feature)
        gain = binary_entropy(float(weights @ p_yes)) - weights @ binary_entropy(p_yes)
        return max(0.0, float(gain))

    def standing(self, rounds: Sequence[Round], keyword: str) -> tuple[int, float] | None:
        """Rank (1 = most probable) and probability of the best candidate the judge would accept
        for ``keyword``; None when no candidate matches it (it is outside the lexicon)."""
        matches = self.index.kb.judge_matches(keyword)
        if not matches:
            return None
        weights = self._weights(rounds)
        best = max(matches, key=lambda i: weights[i])
        return int((weights > weights[best]).sum()) + 1, float(weights[best])
