"""The Bayesian mode's next question: the most informative of the bank and the lexical questions.

:func:`best_question` scores the table questions by expected information gain over the planner's
``top_k`` most probable candidates (:meth:`agent.planner.planner.Planner.table_gains`), the
first-letter ranges and "more than one word" with the lexical answer noise, and returns the best
question not asked yet.

Shortcut: only the 64 best of each family are looked at for one that was not asked yet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from agent.legal import normalise
from agent.planner.index import F64
from agent.planner.posterior import binary_entropy
from agent.rules import MULTIWORD_QUESTION, letter_question

if TYPE_CHECKING:
    from agent.planner.planner import Planner

LETTERS = "abcdefghijklmnopqrstuvwxyz"
# The end game looks at this many of the most probable candidates and of the best table questions.
ENDGAME_CANDIDATES = 2048
ENDGAME_QUESTIONS = 48


def best_question(planner: Planner, logpost: F64, asked: set[str], eps: float) -> str | None:
    """The question with the highest expected information gain (bits) not in ``asked``;
    ``eps`` is the answer noise of the lexical questions."""
    index = planner.index
    idx, w = planner._top(logpost)
    options: list[tuple[float, str]] = []
    gains = planner.table_gains(idx, w)
    for qi in np.argsort(-gains)[:64].tolist():
        text = index.questions[qi]
        if normalise(text) not in asked:
            options.append((float(gains[qi]), text))
            break
    floor = float(binary_entropy(eps))
    codes = index.first_code[idx] - ord("a")
    inside = (codes >= 0) & (codes < 26)
    hist = np.bincount(codes[inside], weights=w[inside], minlength=26)
    cum = np.concatenate(([0.0], np.cumsum(hist)))
    lo, hi = np.triu_indices(26)
    letter_gain = binary_entropy(eps + (1 - 2 * eps) * (cum[hi + 1] - cum[lo])) - floor
    for k in np.argsort(-letter_gain)[:64].tolist():
        text = letter_question(LETTERS[lo[k]], LETTERS[hi[k]])
        if normalise(text) not in asked:
            options.append((float(letter_gain[k]), text))
            break
    multi = float(w[index.multiword[idx]].sum())
    if normalise(MULTIWORD_QUESTION) not in asked:
        gain = float(binary_entropy(eps + (1 - 2 * eps) * multi)) - floor
        options.append((gain, MULTIWORD_QUESTION))
    if not options:
        return None
    return max(options, key=lambda option: option[0])[1]


def top_mass(values: F64, r: int) -> float:
    """Sum of the ``r`` largest entries of ``values``."""
    if r >= len(values):
        return float(values.sum())
    return float(np.partition(values, len(values) - r)[len(values) - r :].sum())


def endgame_question(
    planner: Planner, logpost: F64, asked: set[str], eps: float, guesses_left: int
) -> str | None:
    """The question that most raises the chance that one of the next ``guesses_left`` guesses
    is right: the expected mass of the ``guesses_left`` most probable candidates after the
    answer, ``top(w * y) + top(w * (1 - y))`` with y = P(yes | candidate), over the
    ``ENDGAME_CANDIDATES`` most probable candidates and the best table and lexical questions."""
    index = planner.index
    top = float(logpost.max())
    if not np.isfinite(top):
        return None
    k = min(ENDGAME_CANDIDATES, index.n)
    idx = np.argpartition(-logpost, k - 1)[:k]
    w = np.exp(logpost[idx] - top)
    w /= float(np.exp(logpost - top).sum())
    options: list[tuple[float, str]] = []
    gains = planner.table_gains(*planner._top(logpost))
    eps_table = planner.config.noise_table
    for qi in np.argsort(-gains)[:ENDGAME_QUESTIONS].tolist():
        text = index.questions[qi]
        if normalise(text) in asked:
            continue
        y = eps_table + (1.0 - 2.0 * eps_table) * index.kb.answer_probs(qi)[idx].astype(np.float64)
        options.append((top_mass(w * y, guesses_left) + top_mass(w * (1 - y), guesses_left), text))
    codes = index.first_code[idx] - ord("a")
    for lo in range(26):
        for hi in range(lo, 26):
            text = letter_question(LETTERS[lo], LETTERS[hi])
            if normalise(text) in asked:
                continue
            inside = ((codes >= lo) & (codes <= hi)).astype(np.float64)
            y_letter = eps + (1.0 - 2.0 * eps) * inside
            options.append(
                (
                    top_mass(w * y_letter, guesses_left)
                    + top_mass(w * (1 - y_letter), guesses_left),
                    text,
                )
            )
    if not options:
        return None
    return max(options, key=lambda option: option[0])[1]
