"""LETTER_RANGE: is the keyword's first letter in a range ("between A and M", "before M")?

Read by the letters family's parser (:mod:`agent.kinds.first_letter`), which also holds the
planner's view of both first-letter templates.
"""

from __future__ import annotations

from typing import Any

from agent.kinds.base import QuestionKind


class LetterRange(QuestionKind[Any]):
    name = "letter_range"


LETTER_RANGE = LetterRange()
