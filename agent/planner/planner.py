"""Bayesian planner for the questioner and the guesser: numpy only, no model.

:class:`Planner` adds the choices to the belief (:mod:`agent.planner.belief`: the posterior
over the candidates under the two hypotheses about the partner). Round 1 asks
``rules.HANDSHAKE_QUESTION``; then the planner plays the more probable hypothesis:

- ``ALPHA`` (P(protocol) >= 0.5): every question is ``rules.ALPHA_TEMPLATE`` ("does the keyword
  precede WORD?"), either the split that halves the posterior mass or, while the partner's kind
  is uncertain, a check whose answer earlier answers imply (:mod:`agent.planner.alpha`). A check
  a noisy partner gets wrong moves the planner to:
- ``BAYES``: questions come from the bank (table questions, p(yes | candidate, question) from the
  knowledge base) and from lexical questions decided per candidate by code with ``agent.rules``
  semantics (first letter in a range, more than one word); the next question maximises the
  expected information gain (mutual information of answer and keyword under the answer-noise
  model) over the ``top_k`` most probable candidates (:mod:`agent.planner.questions`).

The guess is the most probable candidate (under the mixture of both hypotheses) that is not a
judge-accepted variant of a wrong guess.

Shortcuts: table questions with p = 0.5 for every candidate (unlabelled property questions) have
zero gain and are never chosen; a guess is looked for among the 64 most probable candidates.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from agent.game import MAX_ROUNDS, Round
from agent.legal import normalise
from agent.planner.alpha import alpha_question, coined_question
from agent.planner.belief import Belief, PlannerConfig
from agent.planner.coined import Coined, CoinedShare
from agent.planner.index import PlannerIndex
from agent.planner.posterior import (
    Mode,
    Posterior,
    handshake_asked,
    logsumexp,
)
from agent.planner.questions import best_question, endgame_question
from agent.rules import HANDSHAKE_QUESTION


class Planner(Belief):
    """Questions and guesses from the posterior of one seat's game."""

    def __init__(self, index: PlannerIndex, config: PlannerConfig) -> None:
        super().__init__(index, config)
        # coined strings depend on the interval only: kept while the bounds stay
        self._coined_bounds: tuple[str | None, str | None] | None = None
        self._coined: Coined | None = None

    # ------------------------------------------------------------------ questions

    def question(self, rounds: Sequence[Round]) -> str | None:
        """The next question, or None when no candidate is left."""
        asked_handshake = handshake_asked(rounds, self.config.handshake)
        if asked_handshake is None:
            return HANDSHAKE_QUESTION
        if len(rounds) == 1 and asked_handshake and rounds[0].answer is None:
            return None  # round 1 is still waiting for its answer
        asked = {normalise(r.question) for r in rounds}
        post = self.posterior(rounds)
        if post.mode is Mode.ALPHA:
            share = self.coined(post)
            if share is not None:
                question = coined_question(self, post, share, asked)
                if question is not None:
                    return question
            return alpha_question(self, post, asked, MAX_ROUNDS - len(rounds))
        logpost = self.view(post, Mode.BAYES).log_post
        if not np.isfinite(logpost.max()):
            return None
        eps = post.channels[Mode.BAYES].eps
        rates = self.answer_rates(post)
        guesses_left = MAX_ROUNDS - len(rounds)
        if guesses_left <= self.config.endgame_rounds:
            return endgame_question(self, logpost, asked, eps, guesses_left, rates)
        return best_question(self, logpost, asked, eps, rates)

    def coined(self, post: Posterior) -> CoinedShare | None:
        """In the Agent Alpha mode, the coined strings in the alphabetical interval, the outside
        branch's mass under the protocol, and the factor from a coined string's P(string |
        outside) to its posterior (:mod:`agent.planner.coined`); None otherwise."""
        if post.mode is not Mode.ALPHA or not self.config.coined:
            return None
        bounds = (post.lower, post.upper)
        if self._coined_bounds != bounds:
            self._coined_bounds = bounds
            self._coined = self.index.coiner.coin(post.lower, post.upper)
        coined = self._coined
        outside = self.view(post, Mode.ALPHA).outside * post.p_protocol
        if coined is None or outside <= 0:
            return None
        index = self.index
        low, high = index.interval(post.lower, post.upper)
        spread = float(np.dot(index.prior[index.v_owner[low:high]], index.v_weight[low:high]))
        total = float(np.exp(logsumexp(coined.log_weight)))
        return CoinedShare(coined, outside, outside / max(spread, total))

    def hands_over(self, rounds: Sequence[Round], threshold: float) -> bool:
        """Whether the LLM should take this round: the keyword is probably outside the lexicon
        and no coined string can stand for it (the protocol's bounds hold for any string)."""
        post = self.posterior(rounds)
        if self.coined(post) is not None:
            return False
        return self.outside_probability(rounds) > threshold

    # ------------------------------------------------------------------ guesses

    def guess(self, rounds: Sequence[Round]) -> str | None:
        """The most probable candidate not ruled out by a wrong guess, or a coined string when
        one is more probable; None when none is left."""
        post = self.posterior(rounds)
        options = [g for g in (self._lexicon_guess(post), self._coined_guess(post)) if g]
        return max(options, key=lambda option: option[1])[0] if options else None

    def _lexicon_guess(self, post: Posterior) -> tuple[str, float] | None:
        """The most probable candidate with a usable guess text that no confident answer rules
        out (``Posterior.ruled``; the most probable ruled-out one when all are), and its
        probability."""
        logpost = self.mixture(post)
        k = min(64, self.index.n)
        top = np.argpartition(-logpost, k - 1)[:k]
        fallback: tuple[str, float] | None = None
        for i in top[np.argsort(-logpost[top], kind="stable")].tolist():
            if not np.isfinite(logpost[i]):
                break
            text = self.index.guess_text(i, post.guesses)
            if text is None:
                continue
            if not post.ruled[i]:
                return text, float(np.exp(logpost[i]))
            fallback = fallback or (text, float(np.exp(logpost[i])))
        return fallback

    def _coined_guess(self, post: Posterior) -> tuple[str, float] | None:
        """The most probable coined string not guessed yet, and its probability."""
        share = self.coined(post)
        if share is None:
            return None
        best = share.coined.top({g.lower() for g in post.guesses})
        return (best[0], best[1] * share.scale) if best is not None else None

    def ranked(self, rounds: Sequence[Round], count: int = 10) -> list[tuple[str, float]]:
        """The ``count`` most probable candidates with their posterior (for logs and tests)."""
        logpost = self.mixture(self.posterior(rounds))
        top = float(logpost.max())
        probs = np.exp(logpost - top)
        probs /= probs.sum()
        order = np.argsort(-logpost)[:count]
        return [(self.index.candidates[i], float(probs[i])) for i in order.tolist()]
