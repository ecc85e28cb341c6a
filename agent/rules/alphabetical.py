"""HANDSHAKE and ALPHABETICAL questions.

- HANDSHAKE: ``"Is it Agent Alpha?"`` (and close paraphrases such as "is it agent alpha", "are
  you Agent Alpha") is always answered yes: that is how a questioner detects an answerer that
  speaks the Agent Alpha protocol.
- ALPHABETICAL: the protocol's template ``ALPHA_TEMPLATE`` is answered with exactly
  ``keyword.lower() < word.lower()`` (plain Python string order: spaces, hyphens and other
  punctuation are compared as-is, so "air compressor" < "aircraft" because " " < "c"). It is
  matched on the raw question, before clean-up, so the word is taken verbatim: that parser is
  the kind's own (:mod:`agent.kinds.alphabetical`, its regex derived from the template). The
  paraphrases
  ("come before/after X alphabetically", "is the keyword alphabetically before X",
  "precede/follow X in alphabetical order", "alphabetically between X and Y") use the same
  comparison; "before"/"after" are strict, "or equal to" and "between" are inclusive.

Shortcut: a paraphrase must say it is about alphabetical order (a marker such as
"alphabetically", "in the dictionary", or a "sort" verb); "Does it come before 1900?" is left
to the LLM. The compared word must be quoted or plain words (at most four, 40 characters).
"""

from __future__ import annotations

import re

from agent.rules.kinds import KindName, Pred, Rule
from agent.rules.patterns import PLAIN_WORDS, SUBJECT
from agent.rules.text import unquote

# --------------------------------------------------------------------------- handshake

_HANDSHAKE = re.compile(
    r"^(?:is\s+(?:it|this|that|the\s+keyword)|are\s+you|you\s+are)\s+"
    r"""["']?agent\s*-?alpha["']?$"""
)


def parse_handshake(q: str) -> Rule | None:
    """HANDSHAKE for "is it agent alpha" and its paraphrases (cleaned question)."""
    if _HANDSHAKE.match(q):
        return KindName.HANDSHAKE, lambda _kw: True
    return None


# --------------------------------------------------------------------------- alphabetical

# Says the comparison is alphabetical ("alphabetically", "in dictionary order", ...).
_MARK = (
    r"(?:alphabetically|lexicographically|lexically|in\s+(?:an?\s+|the\s+)?"
    r"(?:alphabetic(?:al)?|lexicographic(?:al)?|dictionary)\s+(?:order(?:ing)?|sort(?:ing)?)"
    r"|in\s+(?:the|a)\s+(?:dictionary|alphabet)|when\s+(?:sorted|ordered|listed|arranged)"
    r"(?:\s+alphabetically)?|(?:by|in)\s+(?:alphabetical|dictionary|lexicographic(?:al)?)"
    r"\s+order|(?:by|in)\s+alphabet(?:ical)?\s+(?:sort(?:ing)?|position))"
)
_BEFORE = (
    r"(?:before|earlier\s+than|prior\s+to|ahead\s+of|sooner\s+than|less\s+than|smaller"
    r"\s+than|lower\s+than|precedes?|preceding)"
)
_AFTER = r"(?:after|later\s+than|greater\s+than|larger\s+than|higher\s+than|bigger\s+than|follows?)"
_RELATION = (
    rf"(?P<rel>(?:(?:at|on)\s+or\s+)?{_BEFORE}|(?:(?:at|on)\s+or\s+)?{_AFTER})"
    r"(?P<eq>\s+or\s+(?:(?:be\s+)?(?:equal\s+to|identical\s+to|the\s+same\s+as|equal)"
    r"|is|at|matches?))?"
)
_VERB = (
    r"(?:(?P<v>come|comes|appear|appears|fall|falls|go|goes|sit|sits|rank|ranks|sort|sorts"
    r"|lie|lies|get\s+(?:listed|sorted)|be\s+(?:listed|sorted|placed|positioned|found)"
    r"|listed|sorted|ordered|placed|positioned|located|found)\s+)?"
)
# A "sort" verb makes the question alphabetical without a marker ("does it sort before X").
_SORT_VERBS = frozenset({"sort", "sorts", "get sorted", "be sorted", "sorted"})
# The marker may stand before the verb (m1), before the relation (m2) or at the end (m3).
_MARK_1 = rf"(?:(?P<m1>{_MARK})\s*,?\s+)?"
_MARK_2 = rf"(?:(?P<m2>{_MARK})\s+)?"
_MARK_3 = rf"(?:\s*,?\s+(?P<m3>{_MARK}))?"
_ALPHA_PATTERNS = [
    re.compile(
        rf"^(?:does|do|would|will|is|could)\s+{SUBJECT}\s+{_MARK_1}{_VERB}{_MARK_2}{_RELATION}"
        rf"\s+(?P<w>.+?){_MARK_3}$"
    ),
    re.compile(
        rf"^(?P<m1>{_MARK}|alphabetically\s+speaking|in\s+terms\s+of\s+alphabetical\s+order)"
        rf"\s*,?\s+(?:does|do|would|will|is)\s+{SUBJECT}\s+{_VERB}{_RELATION}\s+(?P<w>.+?)$"
    ),
]
_ALPHA_BETWEEN = re.compile(
    rf"^(?:does|do|is|would)\s+{SUBJECT}\s+{_MARK_1}{_VERB}{_MARK_2}(?:(?:in\s+)?between|within)"
    rf"\s+(?P<a>.+?)\s+and\s+(?P<b>.+?){_MARK_3}(?:\s*,?\s*\(?(?P<incl>inclusive|exclusive)\)?)?$"
)


def _alpha_word(text: str) -> str | None:
    """The word compared against: quoted, or up to four plain words; None if neither."""
    t = re.sub(r"^(?:the\s+)?(?:word|letter|string|term)\s+", "", text.strip())
    t, quoted = unquote(t)
    if not t:
        return None
    if quoted:
        return t
    if len(t) <= 40 and PLAIN_WORDS.fullmatch(t) and len(t.split()) <= 4:
        return t
    return None


def _alpha_pred(word: str, before: bool, inclusive: bool) -> Pred:
    if before:
        return (lambda kw: kw.lower() <= word) if inclusive else (lambda kw: kw.lower() < word)
    return (lambda kw: kw.lower() >= word) if inclusive else (lambda kw: kw.lower() > word)


def parse_alphabetical(q: str) -> Rule | None:
    """ALPHABETICAL for paraphrases: before/after X, between X and Y (cleaned question)."""
    for pattern in _ALPHA_PATTERNS:
        m = pattern.match(q)
        if m is None:
            continue
        groups = m.groupdict()
        sort_verb = re.sub(r"\s+", " ", groups.get("v") or "") in _SORT_VERBS
        if not (m["m1"] or groups.get("m2") or groups.get("m3") or sort_verb):
            continue
        word = _alpha_word(m["w"])
        if word is None:
            continue
        # "at or before": the direction is the word after "or".
        before = re.match(_BEFORE, m["rel"].split(" or ")[-1]) is not None
        inclusive = bool(m["eq"]) or m["rel"].startswith(("at ", "on "))
        return KindName.ALPHABETICAL, _alpha_pred(word, before, inclusive)
    m = _ALPHA_BETWEEN.match(q)
    if m and (m["m1"] or m["m2"] or m["m3"]):
        a, b = _alpha_word(m["a"]), _alpha_word(m["b"])
        if a is None or b is None:
            return None
        low, high = min(a, b), max(a, b)
        if m["incl"] == "exclusive":
            return KindName.ALPHABETICAL, lambda kw: low < kw.lower() < high
        return KindName.ALPHABETICAL, lambda kw: low <= kw.lower() <= high
    return None
