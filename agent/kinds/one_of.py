"""ONE_OF: is the keyword one of a list ("Is it one of: a, b, c?", "Is the keyword 'table'?").

Tolerant parser only (``rules.one_of.parse_one_of``); the keyword's other names (``alts``)
widen the match. It comes late in the registry: its patterns are the loosest.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from agent.kinds.base import Pred, QuestionKind, Rule
from agent.rules.one_of import parse_one_of


class OneOf(QuestionKind[Any]):
    name = "one_of"

    def parse(self, q: str) -> Rule | None:
        rule = parse_one_of(q)
        return (self, rule[1]) if rule else None

    def rule_answer(self, pred: Pred, keyword: str, alts: Sequence[str]) -> bool:
        if alts:
            return any(pred(k) for k in (keyword, *alts))
        return pred(keyword)


ONE_OF = OneOf()
