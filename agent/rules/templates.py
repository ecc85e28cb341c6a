"""The exact questions our own planner asks, which these rules must decide.

One home for the texts, so the questioner and the answerer cannot drift apart:

- ``HANDSHAKE_QUESTION``: asked in round 1; an Agent Alpha answerer says yes.
- ``ALPHA_TEMPLATE`` / ``alphabetical_question``: the Agent Alpha bisection question, answered
  with exactly ``keyword.lower() < word`` (the template is matched verbatim, before any clean-up,
  so a word holding quotes or odd spacing is still compared as given).
- ``FIRST_LETTER_TEMPLATE`` / ``LETTER_RANGE_TEMPLATE`` / ``letter_question``: the keyword's
  first letter (``text.first_letter``) is one letter / in an inclusive range.
- ``MULTIWORD_QUESTION``: the keyword has more than one space-separated word.
"""

from __future__ import annotations

HANDSHAKE_QUESTION = "Is it Agent Alpha?"
ALPHA_TEMPLATE = 'Does the keyword (in lowercase) precede "{word}" in alphabetical order?'
FIRST_LETTER_TEMPLATE = 'Does the keyword start with the letter "{letter}"?'
LETTER_RANGE_TEMPLATE = (
    'Does the keyword start with a letter between "{low}" and "{high}" (inclusive)?'
)
MULTIWORD_QUESTION = "Is the keyword made of more than one word?"


def alphabetical_question(word: str) -> str:
    """The Agent Alpha bisection question for ``word`` (pass the word in lowercase)."""
    return ALPHA_TEMPLATE.format(word=word)


def letter_question(low: str, high: str) -> str:
    """Does the keyword's first letter lie in ``low``..``high`` (inclusive; one letter if equal)?"""
    if low == high:
        return FIRST_LETTER_TEMPLATE.format(letter=low)
    return LETTER_RANGE_TEMPLATE.format(low=low, high=high)
