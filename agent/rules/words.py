"""WORD_COUNT and LENGTH questions.

- WORD_COUNT: "Is the keyword two words?", "Does it consist of more than one word?", "Is it a
  single-word term?", "Is the number of words in the keyword 3?". Words are runs of non-space
  characters ("Soda-pop" is one word); "Does the keyword contain a space?" also counts as a
  word-count question (decided for a word-like subject only, as "Does it have spaces?" may be
  about the thing).
- LENGTH: "Does the keyword have 5 letters?", "Is it longer than 6 characters?", "Is the length
  of the word at least 4?", "Is it a 5-letter word?". "letters" counts alphabetic characters
  only; "characters" counts every character except spaces; no unit means letters.

The count itself is read by ``counts.count_pred``; a count it cannot read is not a rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from agent.rules.counts import NUM, count_pred, parse_number
from agent.rules.kinds import KindName, Pred, Rule
from agent.rules.patterns import SUBJECT, wordish

# --------------------------------------------------------------------------- word count

_WORD_COUNT_VERB = (
    r"(?:(?:consist|consists|composed|made\s+up|made|comprised|built|formed)\s+(?:of|from)"
    r"\s+|(?:have|has|contain|contains|include|includes|comprise|comprises|span|spans"
    r"|use|uses)\s+)?"
)
_WORD_COUNT_TAIL = (
    r"(?:\s+long|\s+in\s+(?:length|total|it|size)|\s+total|\s+\(?(?:separated|split)\s+by"
    r"\s+(?:a\s+)?spaces?\)?)?"
)
_WORD_COUNT = [
    re.compile(
        rf"^(?:is|does|do|are)\s+{SUBJECT}\s+{_WORD_COUNT_VERB}(?P<c>.+?)\s+(?:separate\s+"
        rf"|distinct\s+|individual\s+|different\s+)?words?{_WORD_COUNT_TAIL}$"
    ),
    re.compile(
        rf"^is\s+(?:the\s+)?(?:number|count)\s+of\s+words\s+(?:in|of)\s+{SUBJECT}\s+(?:is\s+)?"
        r"(?P<c>.+?)$"
    ),
]
# "Is it a single-word term?", "Is the keyword multi-word?", "Is it one word (no spaces)?"
_WORD_COUNT_ADJECTIVE = re.compile(
    rf"^is\s+{SUBJECT}\s+(?:an?\s+)?(?P<adj>single|one|1|two|2|three|3|multi|multiple)\s*-?\s*"
    r"words?(?:ed)?(?:\s+(?:keyword|phrase|term|name|expression|noun|word|answer|thing|object"
    r"|item|entry|string|compound))?(?:\s+\(?(?:with\s*out|with\s+no|no)\s+(?:any\s+)?spaces?\)?)?$"
)
_HAS_SPACE = [
    re.compile(
        rf"^(?:does|do|is)\s+(?P<s>{SUBJECT})\s+(?:have|has|contain|contains|include|includes)\s+"
        r"(?:an?\s+|any\s+)?(?:spaces?|whitespace|blank\s+spaces?)(?:\s+(?:in\s+it|in\s+(?:its\s+)?"
        r"(?:name|spelling)|between\s+(?:the\s+)?words))?$"
    ),
    re.compile(rf"^is\s+there\s+(?:an?\s+|any\s+)?(?:spaces?|whitespace)\s+in\s+(?P<s>{SUBJECT})$"),
]


def _word_count_pred(count: Callable[[int], bool]) -> Pred:
    return lambda kw: count(len(kw.split()))


def parse_word_count(q: str) -> Rule | None:
    """A WORD_COUNT rule for the cleaned question ``q``, or None."""
    for pattern in _WORD_COUNT:
        m = pattern.match(q)
        if m:
            count = count_pred(m["c"])
            if count is not None:
                return KindName.WORD_COUNT, _word_count_pred(count)
    m = _WORD_COUNT_ADJECTIVE.match(q)
    if m:
        adjective = m["adj"]
        if adjective in {"multi", "multiple"}:
            return KindName.WORD_COUNT, lambda kw: len(kw.split()) >= 2
        n = parse_number(adjective)
        return KindName.WORD_COUNT, lambda kw: len(kw.split()) == n
    for pattern in _HAS_SPACE:
        m = pattern.match(q)
        if m and wordish(m):
            return KindName.WORD_COUNT, lambda kw: " " in kw.strip()
    return None


# --------------------------------------------------------------------------- length

_UNIT = r"(?P<u>letters?|characters?|chars?)"
_LENGTH = [
    re.compile(
        rf"^(?:does|do|is)\s+{SUBJECT}\s+(?:(?:have|has|contain|contains|consist\s+of|consists"
        r"\s+of|made\s+up\s+of|composed\s+of|spelled\s+with|spelt\s+with|use|uses|include"
        rf"|includes)\s+)?(?P<c>.+?)\s+{_UNIT}(?:\s+(?:long|in\s+(?:length|it|total)|total))?$"
    ),
    re.compile(
        rf"^is\s+{SUBJECT}\s+(?P<c>(?:longer|shorter)\s+than(?:\s+or\s+equal\s+to)?\s+{NUM})"
        rf"\s+{_UNIT}(?:\s+long)?$"
    ),
    re.compile(
        rf"^is\s+(?:the\s+)?(?:(?:total\s+)?length|number\s+of\s+(?P<u1>letters|characters)"
        rf"|(?P<u2>letter|character)\s+count)\s+(?:of|in)\s+{SUBJECT}\s+(?:(?:is|equal\s+to)\s+)?"
        r"(?P<c>.+?)(?:\s+(?P<u>letters?|characters?))?$"
    ),
    re.compile(
        rf"^is\s+{SUBJECT}\s+an?\s+(?P<c>{NUM})\s*-?\s*(?P<u>letter|character)\s+(?:long\s+)?"
        r"(?:word|keyword|term|name|thing|answer)$"
    ),
]


def _length_pred(count: Callable[[int], bool], letters: bool) -> Pred:
    if letters:
        return lambda kw: count(sum(ch.isalpha() for ch in kw))
    return lambda kw: count(sum(not ch.isspace() for ch in kw.strip()))


def parse_length(q: str) -> Rule | None:
    """A LENGTH rule for the cleaned question ``q``, or None."""
    for pattern in _LENGTH:
        m = pattern.match(q)
        if m is None:
            continue
        # count_pred reads "at least"/"at most", not "longer/shorter than or equal to".
        phrase = re.sub(r"^(?:(?:longer)\s+than\s+or\s+equal\s+to)", "at least", m["c"])
        phrase = re.sub(r"^(?:(?:shorter)\s+than\s+or\s+equal\s+to)", "at most", phrase)
        count = count_pred(phrase)
        if count is None:
            continue
        groups = m.groupdict()
        unit = groups.get("u") or groups.get("u1") or groups.get("u2") or "letters"
        return KindName.LENGTH, _length_pred(count, unit.startswith("letter"))
    return None
