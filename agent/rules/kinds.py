"""The kinds of question the rules tell apart, and the shape of a decided rule.

A parser that recognises a question returns a ``Rule``: the question's kind and a predicate
that answers it for any keyword. Predicates are pure functions of the keyword's spelling.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum


class QuestionKind(str, Enum):
    """What a question asks about; every kind but SEMANTIC is decided by ``rule_answer``."""

    HANDSHAKE = "handshake"
    ALPHABETICAL = "alphabetical"
    FIRST_LETTER = "first_letter"
    LETTER_RANGE = "letter_range"
    CONTAINS_LETTER = "contains_letter"
    WORD_COUNT = "word_count"
    ONE_OF = "one_of"
    LAST_LETTER = "last_letter"
    LENGTH = "length"
    SEMANTIC = "semantic"


# keyword -> the exact yes (True) / no (False) answer
Pred = Callable[[str], bool]
# what a parser returns for a question it recognises
Rule = tuple[QuestionKind, Pred]
