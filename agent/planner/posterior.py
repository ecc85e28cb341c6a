"""The planner's posterior: log-likelihoods of the evidence so far, per candidate.

:class:`Posterior` keeps separate sums per evidence kind (table and word-count answers, first
letters, alphabetical answers per spelling variant, wrong guesses) so the planner can combine
them with the prior in different ways (e.g. the "outside the lexicon" hypothesis shares only the
positional evidence). :func:`mode_of` reads the mode from round 1: Agent Alpha when the handshake
got a yes, Bayesian otherwise.

Shortcut: a "yes" to the handshake is trusted; an LLM answerer that says yes by chance makes the
planner bisect on its unreliable answers until the outside-the-lexicon hand-over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

import numpy as np
import numpy.typing as npt

from agent.game import Round
from agent.rules import QuestionKind, classify

F64 = npt.NDArray[np.float64]


class Mode(str, Enum):
    ALPHA = "alpha"
    BAYES = "bayes"


def binary_entropy(p: F64 | float) -> F64:
    """Entropy in bits of a yes/no answer with P(yes) = ``p`` (elementwise)."""
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-12, 1.0 - 1e-12)
    result: F64 = -(q * np.log2(q) + (1.0 - q) * np.log2(1.0 - q))
    return result


@dataclass
class Posterior:
    """Log-likelihoods of the evidence so far, per candidate, per spelling variant and for
    "outside the lexicon"."""

    mode: Mode
    semantic: F64  # per candidate: table and word-count answers
    position: F64  # per candidate: first-letter answers
    spelling: F64  # per spelling variant (PlannerIndex.v_*): alphabetical answers
    excluded: npt.NDArray[np.bool_]  # candidates a wrong guess ruled out
    log_outside: float = 0.0  # outside keywords: table and word-count answers
    alphabetical: int = 0  # alphabetical answers in ``spelling``
    evidence: list[tuple[str, str]] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)
    _spelled: F64 | None = None  # cache of the per-candidate sum over its variants

    @classmethod
    def empty(cls, mode: Mode, n: int, variants: int) -> Posterior:
        return cls(
            mode=mode,
            semantic=np.zeros(n),
            position=np.zeros(n),
            spelling=np.zeros(variants),
            excluded=np.zeros(n, dtype=bool),
        )


def mode_of(rounds: Sequence[Round], handshake: bool = True) -> Mode | None:
    """ALPHA or BAYES from round 1; None while the handshake is still unanswered."""
    if not handshake:
        return Mode.BAYES
    if not rounds:
        return None
    first = rounds[0]
    if classify(first.question) is not QuestionKind.HANDSHAKE:
        return Mode.BAYES
    if first.answer is None:
        return None
    return Mode.ALPHA if first.answer == "yes" else Mode.BAYES


def logsumexp(values: F64) -> float:
    top = float(values.max())
    if not np.isfinite(top):
        return top
    return top + float(np.log(np.exp(values - top).sum()))
