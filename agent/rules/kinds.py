"""The names of the kinds of question the rules tell apart, and the shape of a parsed rule.

A parser that recognises a question returns a ``Rule``: the name of the question's kind and a
predicate that answers it for any keyword. Predicates are pure functions of the keyword's
spelling. The kinds themselves (their templates, parsers, the planner's view of them) are
objects in :mod:`agent.kinds`; these names are what the rules' parsers hand them.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum


class KindName(str, Enum):
    """The kinds the rules' parsers name (``agent.kinds`` holds one object per kind)."""

    HANDSHAKE = "handshake"
    ALPHABETICAL = "alphabetical"
    FIRST_LETTER = "first_letter"
    LETTER_RANGE = "letter_range"
    CONTAINS_LETTER = "contains_letter"
    WORD_COUNT = "word_count"
    ONE_OF = "one_of"
    LAST_LETTER = "last_letter"
    LENGTH = "length"


# keyword -> the exact yes (True) / no (False) answer
Pred = Callable[[str], bool]
# what a parser returns for a question it recognises
Rule = tuple[KindName, Pred]
