"""The Bayesian mode's next question: the most informative of the bank and the lexical questions.

:func:`best_question` scores the table questions by expected information gain over the planner's
``top_k`` most probable candidates (:func:`agent.planner.gains.table_gains`) and each question
kind's own best question (``QuestionKind.best_question``: the first-letter ranges, "more than one
word") with the lexical answer noise, and returns the best question not asked yet.

Only questions a plain partner answers consistently: no WordNet gloss question (the index's
``natural``), and no spelling question unless ``bayes_spelling`` (alphabetical and the
handshake are never natural). The table answers' model is :meth:`Belief.answer_rates`: per
question false-yes and false-no rates, the false-yes raised by the partner's learned yes bias.

Shortcut: only the 64 best of each family are looked at for one that was not asked yet.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from agent.kinds import Evidence, QuestionKind, kinds
from agent.kinds.base import top_mass
from agent.legal import normalise
from agent.planner.belief import Belief
from agent.planner.gains import Rates, table_gains, top_candidates
from agent.planner.index import F64, I64

# The end game looks at this many of the most probable candidates and of the best table questions.
ENDGAME_CANDIDATES = 2048
ENDGAME_QUESTIONS = 48
# A table question that tells the candidates apart by less than this (bits) is not worth a round
# (unlabelled property questions, p = 0.5 for all).
MIN_GAIN = 1e-6


def asked_kinds(belief: Belief, table_left: bool) -> list[QuestionKind[Any]]:
    """The kinds whose own questions the Bayesian mode asks: spelling kinds only with
    ``bayes_spelling`` (a plain LLM answers letter questions poorly) or once no informative
    table question is left (``table_left`` False: better than no question)."""
    spelling = belief.config.bayes_spelling or not table_left
    return [k for k in kinds() if k.natural_to_ask and (spelling or k.evidence is Evidence.TABLE)]


def natural_gains(belief: Belief, idx: I64, w: F64, rates: Rates | None) -> F64:
    """The table gains, unnatural (gloss) questions at -1: never asked of a plain partner."""
    gains = table_gains(belief, idx, w, rates)
    return np.where(belief.index.natural, gains, -1.0)


def best_question(
    belief: Belief, logpost: F64, asked: set[str], eps: float, rates: Rates | None = None
) -> str | None:
    """The question with the highest expected information gain (bits) not in ``asked``;
    ``eps`` is the answer noise of the lexical questions, ``rates`` the table answers' model
    (:meth:`Belief.answer_rates`)."""
    index = belief.index
    idx, w = top_candidates(belief, logpost)
    options: list[tuple[float, str]] = []
    gains = natural_gains(belief, idx, w, rates)
    for qi in np.argsort(-gains)[:64].tolist():
        text = index.questions[qi]
        if normalise(text) not in asked and gains[qi] > MIN_GAIN:
            options.append((float(gains[qi]), text))
            break
    for kind in asked_kinds(belief, bool(options)):
        option = kind.best_question(index, idx, w, eps, asked)
        if option is not None:
            options.append(option)
    if not options:
        return None
    return max(options, key=lambda option: option[0])[1]


def endgame_question(
    belief: Belief,
    logpost: F64,
    asked: set[str],
    eps: float,
    guesses_left: int,
    rates: Rates | None = None,
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
    gains = natural_gains(belief, *top_candidates(belief, logpost), rates)
    lo, hi = rates if rates is not None else belief.prior_rates
    for qi in np.argsort(-gains)[:ENDGAME_QUESTIONS].tolist():
        text = index.questions[qi]
        if normalise(text) in asked or gains[qi] <= MIN_GAIN:
            continue
        p = index.kb.answer_probs(qi)[idx].astype(np.float64)
        y = lo[qi] + (1.0 - lo[qi] - hi[qi]) * p
        options.append((top_mass(w * y, guesses_left) + top_mass(w * (1 - y), guesses_left), text))
    for kind in asked_kinds(belief, bool(options)):
        options.extend(kind.endgame_options(index, idx, w, eps, guesses_left, asked))
    if not options:
        return None
    return max(options, key=lambda option: option[0])[1]
