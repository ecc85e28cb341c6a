"""FIRST_LETTER: the keyword's first letter, one letter or a range: the letters family's home.

- Tolerant parser: ``rules.letters.parse_letters`` reads the whole letters family: FIRST_LETTER,
  LETTER_RANGE, LAST_LETTER, CONTAINS_LETTER, and "contains a space" as WORD_COUNT; this kind
  runs it and names the kind it found.
- Templates: ``rules.FIRST_LETTER_TEMPLATE`` / ``LETTER_RANGE_TEMPLATE`` (``letter_question``);
  the planner reads both as :class:`LetterFeature` (``low`` <= first letter <= ``high``) and asks
  the most informative range (or, in the end game, every range is weighed).
- An outside keyword answers first-letter questions as the candidate next to it does
  (``Evidence.POSITION``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from agent.kinds.base import (
    F64,
    I64,
    CandidateIndex,
    Evidence,
    QuestionKind,
    Rule,
    binary_entropy,
    exact_regex,
    top_mass,
)
from agent.kinds.contains_letter import CONTAINS_LETTER
from agent.kinds.last_letter import LAST_LETTER
from agent.kinds.letter_range import LETTER_RANGE
from agent.kinds.word_count import WORD_COUNT
from agent.legal import normalise
from agent.rules.kinds import KindName
from agent.rules.letters import parse_letters
from agent.rules.templates import FIRST_LETTER_TEMPLATE, LETTER_RANGE_TEMPLATE, letter_question

LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class LetterFeature:
    low: str  # yes iff low <= first letter <= high
    high: str

    @property
    def kind(self) -> FirstLetter:
        return FIRST_LETTER


class FirstLetter(QuestionKind[LetterFeature]):
    name = "first_letter"
    evidence = Evidence.POSITION
    template = FIRST_LETTER_TEMPLATE
    _first = exact_regex(FIRST_LETTER_TEMPLATE, letter="letter")
    _range = exact_regex(LETTER_RANGE_TEMPLATE, low="low", high="high")

    def __init__(self) -> None:
        # the kinds the letters family's parser names
        self._family: dict[KindName, QuestionKind[Any]] = {
            KindName.FIRST_LETTER: self,
            KindName.LETTER_RANGE: LETTER_RANGE,
            KindName.LAST_LETTER: LAST_LETTER,
            KindName.CONTAINS_LETTER: CONTAINS_LETTER,
            KindName.WORD_COUNT: WORD_COUNT,
        }

    def parse(self, q: str) -> Rule | None:
        rule = parse_letters(q)
        return (self._family[rule[0]], rule[1]) if rule else None

    def read(self, question: str, index: CandidateIndex) -> LetterFeature | None:
        del index
        m = self._first.match(question)
        if m and len(m["letter"]) == 1:
            return LetterFeature(m["letter"].lower(), m["letter"].lower())
        m = self._range.match(question)
        if m and len(m["low"]) == 1 and len(m["high"]) == 1:
            low, high = sorted((m["low"].lower(), m["high"].lower()))
            return LetterFeature(low, high)
        return None

    def p_yes(self, feature: LetterFeature, index: CandidateIndex) -> F64:
        code = index.first_code
        return ((code >= ord(feature.low)) & (code <= ord(feature.high))).astype(np.float64)

    def best_question(
        self, index: CandidateIndex, idx: I64, w: F64, eps: float, asked: set[str]
    ) -> tuple[float, str] | None:
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
                return float(letter_gain[k]), text
        return None

    def endgame_options(
        self, index: CandidateIndex, idx: I64, w: F64, eps: float, guesses_left: int,
        asked: set[str],
    ) -> list[tuple[float, str]]:  # fmt: skip
        options: list[tuple[float, str]] = []
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
        return options


FIRST_LETTER = FirstLetter()
