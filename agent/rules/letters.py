"""FIRST_LETTER / LETTER_RANGE / LAST_LETTER / CONTAINS_LETTER questions: their shapes.

"Does it start/begin with ...", "Is the first letter ...", "Does the first letter come
before/between ...", "Is it a word starting with ...", "Does it end with ...", "Is the last
letter ...", "Does the keyword contain/include/have ...", "Is there ... in the word", "Does the
letter ... appear in it", "Is the keyword hyphenated". What follows the verb (the spec) is
read by ``letter_specs.spec_rule``; a shape whose spec is not understood is not a rule, and the
next shape is tried.

Letter questions are case- and accent-insensitive; the keyword's first/last letter is its
first/last character after stripping surrounding punctuation (``text.first_letter``).
"""

from __future__ import annotations

import re

from agent.rules.kinds import KindName, Rule
from agent.rules.letter_specs import Where, spec_rule
from agent.rules.patterns import FIRST_CHAR, LAST_CHAR, LETTER_NOUN, POSSESSIVE, SUBJECT, wordish

_START = [
    re.compile(
        rf"^(?:does|do|would|will)\s+(?P<s>{SUBJECT})\s+(?:start|starts|begin|begins|commence)"
        r"\s+(?:with|in|from|using|on)\s+(?P<spec>.+)$"
    ),
    re.compile(
        rf"^is\s+(?:the\s+)?{FIRST_CHAR}(?:\s+(?:of|in)\s+(?P<s>{SUBJECT}))?\s+(?P<spec>.+)$"
    ),
    re.compile(rf"^is\s+(?P<s>{POSSESSIVE})\s+{FIRST_CHAR}\s+(?P<spec>.+)$"),
    re.compile(
        rf"^(?:does|do)\s+(?:the\s+)?{FIRST_CHAR}(?:\s+(?:of|in)\s+(?P<s>{SUBJECT}))?\s+"
        r"(?:come|fall|lie|appear|sit)\s+(?P<spec>(?:before|after|between|in|within|from)\s.+)$"
    ),
    re.compile(
        rf"^(?:does|do)\s+(?P<s>{POSSESSIVE})\s+{FIRST_CHAR}\s+(?:come|fall|lie|appear|sit)\s+"
        r"(?P<spec>(?:before|after|between|in|within|from)\s.+)$"
    ),
    re.compile(
        rf"^is\s+(?P<s>{SUBJECT})\s+(?:an?\s+(?:word|keyword|term|name)\s+)?(?:that\s+|which\s+)?"
        r"(?:starting|beginning|starts|begins)\s+with\s+(?P<spec>.+)$"
    ),
]
_END = [
    re.compile(
        rf"^(?:does|do|would|will)\s+(?P<s>{SUBJECT})\s+(?:end|ends|finish|finishes|terminate"
        r"|terminates)\s+(?:with|in|on)\s+(?P<spec>.+)$"
    ),
    re.compile(
        rf"^is\s+(?:the\s+)?{LAST_CHAR}(?:\s+(?:of|in)\s+(?P<s>{SUBJECT}))?\s+(?P<spec>.+)$"
    ),
    re.compile(rf"^is\s+(?P<s>{POSSESSIVE})\s+{LAST_CHAR}\s+(?P<spec>.+)$"),
    re.compile(
        rf"^is\s+(?P<s>{SUBJECT})\s+(?:an?\s+(?:word|keyword|term|name)\s+)?(?:that\s+|which\s+)?"
        r"(?:ending|ends|finishing|finishes)\s+(?:with|in)\s+(?P<spec>.+)$"
    ),
]
_CONTAINS = [
    re.compile(
        rf"^(?:does|do)\s+(?P<s>{SUBJECT})\s+(?:contain|contains|include|includes|have|has"
        r"|feature|features|use|uses|possess)\s+(?P<spec>.+)$"
    ),
    re.compile(
        rf"^is\s+there\s+(?P<spec>.+?)\s+(?:(?:anywhere|somewhere)\s+)?(?:in|within|inside)\s+"
        rf"(?P<s>{SUBJECT})$"
    ),
    re.compile(
        rf"^(?:does|do|is|are)\s+(?P<spec>(?:the\s+|an?\s+|any\s+(?:of\s+the\s+)?)?"
        rf"{LETTER_NOUN}\s+.+?)\s+(?:appear|appears|occur|occurs|show\s+up|shows\s+up|exist"
        r"|exists|present|found|used|included|contained)\s+(?:(?:anywhere|somewhere)\s+)?"
        rf"(?:in|within|inside)\s+(?P<s>{SUBJECT})$"
    ),
    re.compile(
        rf"^(?:is|are)\s+(?P<spec>(?:the\s+)?{LETTER_NOUN}\s+.+?)\s+"
        rf"(?:(?:anywhere|somewhere)\s+)?(?:in|within|inside|part\s+of)\s+(?P<s>{SUBJECT})$"
    ),
    # No spec: a hyphen is the only thing it can ask about.
    re.compile(rf"^is\s+(?P<s>{SUBJECT})\s+(?:hyphenated)$"),
]
_SHAPES: tuple[tuple[list[re.Pattern[str]], Where], ...] = (
    (_START, "start"),
    (_END, "end"),
    (_CONTAINS, "contains"),
)


def parse_letters(q: str) -> Rule | None:
    """A letter rule for the cleaned question ``q``; None if no shape and spec fit."""
    for patterns, where in _SHAPES:
        for pattern in patterns:
            m = pattern.match(q)
            if m is None:
                continue
            if "spec" not in m.groupdict():
                return KindName.CONTAINS_LETTER, lambda kw: "-" in kw
            rule = spec_rule(m["spec"], where, wordish(m))
            if rule is not None:
                return rule
    return None
