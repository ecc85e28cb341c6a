"""LAST_LETTER: what the keyword ends with ("Does it end with E?", "Is the last letter a vowel?").

Read by the letters family's parser (:mod:`agent.kinds.first_letter`); the planner does not ask it.
"""

from __future__ import annotations

from typing import Any

from agent.kinds.base import QuestionKind


class LastLetter(QuestionKind[Any]):
    name = "last_letter"


LAST_LETTER = LastLetter()
