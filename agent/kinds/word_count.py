"""WORD_COUNT: how many words the keyword has ("Is it two words?", "Does it contain a space?").

- Tolerant parser: ``rules.words.parse_word_count`` (the letters family also reads "contains a
  space" as a word-count question: :mod:`agent.kinds.first_letter`).
- Planner: ``rules.MULTIWORD_QUESTION`` ("more than one word"), :class:`MultiWordFeature`; a
  keyword outside the lexicon has more than one word as often as the prior's candidates do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agent.kinds.base import F64, I64, CandidateIndex, Evidence, QuestionKind, Rule, binary_entropy
from agent.legal import normalise
from agent.rules.templates import MULTIWORD_QUESTION
from agent.rules.words import parse_word_count


@dataclass(frozen=True)
class MultiWordFeature:
    @property
    def kind(self) -> WordCount:
        return WORD_COUNT


class WordCount(QuestionKind[MultiWordFeature]):
    name = "word_count"
    evidence = Evidence.SHAPE
    template = MULTIWORD_QUESTION

    def parse(self, q: str) -> Rule | None:
        rule = parse_word_count(q)
        return (self, rule[1]) if rule else None

    def read(self, question: str, index: CandidateIndex) -> MultiWordFeature | None:
        del index
        return MultiWordFeature() if question == MULTIWORD_QUESTION else None

    def p_yes(self, feature: MultiWordFeature, index: CandidateIndex) -> F64:
        return index.multiword.astype(np.float64)

    def outside_yes(self, feature: MultiWordFeature, index: CandidateIndex) -> float:
        return index.prior_multiword

    def best_question(
        self, index: CandidateIndex, idx: I64, w: F64, eps: float, asked: set[str]
    ) -> tuple[float, str] | None:
        if normalise(MULTIWORD_QUESTION) in asked:
            return None
        multi = float(w[index.multiword[idx]].sum())
        floor = float(binary_entropy(eps))
        return float(binary_entropy(eps + (1 - 2 * eps) * multi)) - floor, MULTIWORD_QUESTION


WORD_COUNT = WordCount()
