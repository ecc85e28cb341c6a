"""The planner's posterior: log-likelihoods of the evidence so far, per candidate, and the
partner's kind as a hidden variable.

Two hypotheses about the partner (:class:`Mode`): it speaks the Agent Alpha protocol
(``ALPHA``: spelling questions answered exactly, by code) or it does not (``BAYES``: a natural
answerer, spelling questions noisy). Evidence whose likelihood depends on that (alphabetical,
first-letter and word-count answers) is kept per hypothesis in a :class:`Channel`; table answers
and wrong guesses are shared. The planner combines them with the prior per hypothesis; the
"outside the lexicon" hypothesis shares only the positional evidence.

The partner's kind itself is tracked as log-odds (:attr:`Posterior.protocol_log_odds`): the prior
odds, the handshake's answer, and every *check*: an alphabetical answer that earlier answers
imply for any keyword string ("precedes WORD" after a yes for a word <= WORD). Under the protocol
a check's answer is certain, so a contradiction rules the protocol out; under a natural answerer
it is only as likely as its noisy posterior said just before (a prequential likelihood ratio).

Shortcuts: only checks move the odds. Other answers are predicted nearly alike by both
hypotheses (the alphabetical split halves the protocol's mass by construction), and counting
them would let a run of unlucky splits, or a keyword outside the lexicon (which sits between two
candidates), make a true Agent Alpha partner look like a noisy one: with checks only, P(protocol)
never falls while the partner answers exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

import numpy as np
import numpy.typing as npt

from agent.game import Round
from agent.kinds import HANDSHAKE, classify
from agent.kinds.base import binary_entropy as binary_entropy  # its home is the kinds'

F64 = npt.NDArray[np.float64]


class Mode(str, Enum):
    """How the partner answers: the Agent Alpha protocol, or as a natural (LLM) answerer."""

    ALPHA = "alpha"
    BAYES = "bayes"


@dataclass
class Channel:
    """Evidence whose likelihood depends on the partner's kind, under one hypothesis."""

    eps: float  # answer noise of spelling questions under this hypothesis
    position: F64  # per candidate: first-letter answers
    shape: F64  # per candidate: answers about its shape (``Evidence.SHAPE``: word count)
    spelling: F64  # per spelling variant (PlannerIndex.v_*): alphabetical answers
    log_outside_shape: float = 0.0  # an outside keyword's shape answers
    _spelled: F64 | None = None  # cache of the per-candidate sum over its variants

    @classmethod
    def empty(cls, eps: float, n: int, variants: int) -> Channel:
        return cls(eps, np.zeros(n), np.zeros(n), np.zeros(variants))


@dataclass
class Posterior:
    """Log-likelihoods of the evidence so far: shared ones, one :class:`Channel` per partner
    hypothesis, and the log-odds that the partner speaks the protocol."""

    semantic: F64  # per candidate: table answers, mixed over the partner's yes bias
    excluded: npt.NDArray[np.bool_]  # candidates a wrong guess ruled out
    channels: dict[Mode, Channel]
    protocol_log_odds: float  # -inf: the protocol is ruled out (no handshake, or a "no")
    log_outside: float = 0.0  # outside keywords: table answers, mixed over the yes bias
    # per yes-bias grid value (rows) x candidate: table answers; per grid value: outside ones
    bias_semantic: F64 = field(default_factory=lambda: np.zeros((1, 0)))
    bias_outside: F64 = field(default_factory=lambda: np.zeros(1))
    # candidates a confident answer contradicts (never guessed while another one is left)
    ruled: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    alphabetical: int = 0  # alphabetical answers so far
    lower: str | None = None  # the largest word the keyword does not precede (a "no")
    upper: str | None = None  # the smallest word the keyword precedes (a "yes")
    evidence: list[tuple[str, str]] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)
    trace: list[float] = field(default_factory=list)  # P(protocol) after each answer
    version: int = 0  # bumped by every update (keys the planner's caches)

    @classmethod
    def empty(
        cls,
        n: int,
        variants: int,
        eps: dict[Mode, float],
        protocol_log_odds: float,
        biases: int = 1,
    ) -> Posterior:
        return cls(
            semantic=np.zeros(n),
            excluded=np.zeros(n, dtype=bool),
            channels={mode: Channel.empty(e, n, variants) for mode, e in eps.items()},
            protocol_log_odds=protocol_log_odds,
            bias_semantic=np.zeros((biases, n)),
            bias_outside=np.zeros(biases),
            ruled=np.zeros(n, dtype=bool),
        )

    @property
    def p_protocol(self) -> float:
        """P(the partner speaks the protocol | evidence)."""
        return sigmoid(self.protocol_log_odds)

    @property
    def mode(self) -> Mode:
        """The hypothesis the planner plays: the protocol while it is the more probable one."""
        return Mode.ALPHA if self.protocol_log_odds >= 0.0 else Mode.BAYES

    def implied(self, word: str) -> bool | None:
        """The answer to "does the keyword precede ``word``?" that earlier alphabetical answers
        imply for any keyword string, or None when they do not."""
        if self.upper is not None and word >= self.upper:
            return True
        if self.lower is not None and word <= self.lower:
            return False
        return None

    def bound(self, word: str, yes: bool) -> None:
        """Record an alphabetical answer in the interval the keyword lies in."""
        if yes and (self.upper is None or word < self.upper):
            self.upper = word
        if not yes and (self.lower is None or word > self.lower):
            self.lower = word


def handshake_asked(rounds: Sequence[Round], handshake: bool = True) -> bool | None:
    """Whether round 1 asked the Agent Alpha handshake (None while round 1 is not asked yet and
    the planner would ask it)."""
    if not handshake:
        return False
    if not rounds:
        return None
    return classify(rounds[0].question) is HANDSHAKE


def sigmoid(log_odds: float) -> float:
    if log_odds >= 0:
        return 1.0 / (1.0 + float(np.exp(-log_odds)))
    e = float(np.exp(log_odds))
    return e / (1.0 + e)


def logsumexp(values: F64) -> float:
    top = float(values.max())
    if not np.isfinite(top):
        return top
    return top + float(np.log(np.exp(values - top).sum()))
