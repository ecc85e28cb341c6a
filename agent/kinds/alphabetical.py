"""ALPHABETICAL: does the keyword precede a word in alphabetical order (the Agent Alpha split)?

- Template: ``rules.ALPHA_TEMPLATE``, answered with exactly ``keyword.lower() < word`` and matched
  on the raw question (case and spacing tolerant, the word taken as written); its regex is
  derived from the template (:func:`agent.kinds.base.tolerant_regex`), so the texts cannot drift.
- Tolerant parser: the paraphrases of ``rules.alphabetical.parse_alphabetical``.
- Planner: :class:`AlphaFeature`; p(yes) of a candidate is the weight of its spelling variants
  that sort before the word (``PlannerIndex.v_strings``). The belief keeps these answers apart
  (``Evidence.ORDER``: spellings, the protocol's bounds, the partner's kind).

Not natural to ask a person: only an Agent Alpha partner answers it exactly.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from agent.kinds.base import (
    F64,
    CandidateIndex,
    Evidence,
    Pred,
    QuestionKind,
    Rule,
    exact_regex,
    tolerant_regex,
)
from agent.rules.alphabetical import parse_alphabetical
from agent.rules.templates import ALPHA_TEMPLATE


@dataclass(frozen=True)
class AlphaFeature:
    word: str  # yes iff keyword.lower() < word

    @property
    def kind(self) -> Alphabetical:
        return ALPHABETICAL


class Alphabetical(QuestionKind[AlphaFeature]):
    name = "alphabetical"
    natural_to_ask = False
    evidence = Evidence.ORDER
    partner = "alphabetical"
    template = ALPHA_TEMPLATE
    _raw = tolerant_regex(ALPHA_TEMPLATE, word="w")
    _exact = exact_regex(ALPHA_TEMPLATE, word="word")

    def parse_raw(self, question: str) -> Pred | None:
        m = self._raw.match(question)
        if m is None:
            return None
        word = m["w"].lower()
        return lambda kw: kw.lower() < word

    def parse(self, q: str) -> Rule | None:
        rule = parse_alphabetical(q)
        return (self, rule[1]) if rule else None

    def read(self, question: str, index: CandidateIndex) -> AlphaFeature | None:
        del index
        m = self._exact.match(question)
        return AlphaFeature(m["word"].lower()) if m else None

    def p_yes(self, feature: AlphaFeature, index: CandidateIndex) -> F64:
        below = bisect.bisect_left(index.v_strings, feature.word)
        weights = np.bincount(
            index.v_owner[:below], weights=index.v_weight[:below], minlength=index.n
        )
        return np.asarray(weights, dtype=np.float64)

    def order_word(self, feature: AlphaFeature) -> str | None:
        return feature.word


ALPHABETICAL = Alphabetical()
