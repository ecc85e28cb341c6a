"""The Bayesian mode's next question: the most informative of the bank and the lexical questions.

:func:`best_question` scores the table questions by expected information gain over the planner's
``top_k`` most probable candidates (:func:`agent.planner.gains.table_gains`) and each question
kind's own best question (``QuestionKind.best_question``: the first-letter ranges, "more than one
word") with the lexical answer noise, and returns the best question not asked yet.

Shortcut: only the 64 best of each family are looked at for one that was not asked yet.
"""

from __future__ import annotations

import numpy as np

from agent.kinds import kinds
from agent.kinds.base import top_mass
from agent.legal import normalise
from agent.planner.belief import Belief
from agent.planner.gains import table_gains, top_candidates
from agent.planner.index import F64

# The end game looks at this many of the most probable candidates and of the best table questions.
ENDGAME_CANDIDATES = 2048
ENDGAME_QUESTIONS = 48


def best_question(belief: Belief, logpost: F64, asked: set[str], eps: float) -> str | None:
    """The question with the highest expected information gain (bits) not in ``asked``;
    ``eps`` is the answer noise of the lexical questions."""
    index = belief.index
    idx, w = top_candidates(belief, logpost)
    options: list[tuple[float, str]] = []
    gains = table_gains(belief, idx, w)
    for qi in np.argsort(-gains)[:64].tolist():
        text = index.questions[qi]
        if normalise(text) not in asked:
            options.append((float(gains[qi]), text))
            break
    for kind in kinds():
        option = kind.best_question(index, idx, w, eps, asked)
        if option is not None:
            options.append(option)
    if not options:
        return None
    return max(options, key=lambda option: option[0])[1]


def endgame_question(
    belief: Belief, logpost: F64, asked: set[str], eps: float, guesses_left: int
) -> str | None:
    """The question that most raises the chance that one of the next ``guesses_left`` guesses
    is right: the expected mass of the ``guesses_left`` most probable candidates after the
    answer, ``top(w * y) + top(w * (1 - y))`` with y = P(yes | candidate), over the
    ``ENDGAME_CANDIDATES`` most probable candidates and the best table and lexical questions."""
    index = belief.index
    top = float(logpost.max())
    if not np.isfinite(top):
        return None
    k = min(ENDGAME_CANDIDATES, index.n)
    idx = np.argpartition(-logpost, k - 1)[:k]
    w = np.exp(logpost[idx] - top)
    w /= float(np.exp(logpost - top).sum())
    options: list[tuple[float, str]] = []
    gains = table_gains(belief, *top_candidates(belief, logpost))
    eps_table = belief.config.noise_table
    for qi in np.argsort(-gains)[:ENDGAME_QUESTIONS].tolist():
        text = index.questions[qi]
        if normalise(text) in asked:
            continue
        y = eps_table + (1.0 - 2.0 * eps_table) * index.kb.answer_probs(qi)[idx].astype(np.float64)
        options.append((top_mass(w * y, guesses_left) + top_mass(w * (1 - y), guesses_left), text))
    for kind in kinds():
        options.extend(kind.endgame_options(index, idx, w, eps, guesses_left, asked))
    if not options:
        return None
    return max(options, key=lambda option: option[0])[1]
