"""LENGTH: how many letters or characters the keyword has ("Is it a 5-letter word?").

Tolerant parser only (``rules.words.parse_length``); the planner does not ask it.
"""

from __future__ import annotations

from typing import Any

from agent.kinds.base import QuestionKind, Rule
from agent.rules.words import parse_length


class Length(QuestionKind[Any]):
    name = "length"

    def parse(self, q: str) -> Rule | None:
        rule = parse_length(q)
        return (self, rule[1]) if rule else None


LENGTH = Length()
