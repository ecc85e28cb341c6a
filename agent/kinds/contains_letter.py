"""CONTAINS_LETTER: what the keyword contains ("Does it contain an R?", "Is it hyphenated?").

Read by the letters family's parser (:mod:`agent.kinds.first_letter`); the planner does not ask it.
"""

from __future__ import annotations

from typing import Any

from agent.kinds.base import QuestionKind


class ContainsLetter(QuestionKind[Any]):
    name = "contains_letter"


CONTAINS_LETTER = ContainsLetter()
