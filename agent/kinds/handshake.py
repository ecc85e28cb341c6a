"""HANDSHAKE: "Is it Agent Alpha?" (round 1 of our own guesser), always answered yes.

The planner asks ``rules.HANDSHAKE_QUESTION`` itself (``agent.planner``); the answer moves the
belief's P(protocol), not the candidates, so the kind carries no per-candidate evidence. The
tolerant parser is ``rules.alphabetical.parse_handshake`` (close paraphrases too).
"""

from __future__ import annotations

from typing import Any

from agent.kinds.base import QuestionKind, Rule
from agent.rules.alphabetical import parse_handshake


class Handshake(QuestionKind[Any]):
    name = "handshake"
    natural_to_ask = False
    partner = "handshake"

    def parse(self, q: str) -> Rule | None:
        rule = parse_handshake(q)
        return (self, rule[1]) if rule else None


HANDSHAKE = Handshake()
