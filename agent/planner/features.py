"""What a question asks about, in terms the planner can compute for every candidate.

A *feature* is the planner's reading of one of its own questions: a row of the knowledge table
(:class:`TableFeature`), the Agent Alpha alphabetical split (:class:`AlphaFeature`), a first-letter
range (:class:`LetterFeature`) or "more than one word" (:class:`MultiWordFeature`). The texts come
from :mod:`agent.rules.templates`, so the questions the planner asks are exactly the ones the
rule-first answerer decides by code.

Also here: the other spellings a keyword may have when the judge accepts a candidate for it
(:func:`spelling_variants`), and the alphabetical split word (:func:`shortest_separator`).

Shortcut: only the exact template texts are parsed (the planner reads its own questions);
anything else, the LLM fallback's free text included, carries no evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.rules import (
    ALPHA_TEMPLATE,
    FIRST_LETTER_TEMPLATE,
    LETTER_RANGE_TEMPLATE,
    MULTIWORD_QUESTION,
    plural,
)

# Prior weight of each kind of spelling variant of a candidate (its own spelling gets the rest).
VARIANT_WEIGHTS = {"plural": 0.1, "singular": 0.05, "joined": 0.1, "spaced": 0.3, "split": 0.1}


@dataclass(frozen=True)
class TableFeature:
    index: int


@dataclass(frozen=True)
class AlphaFeature:
    word: str  # yes iff keyword.lower() < word


@dataclass(frozen=True)
class LetterFeature:
    low: str  # yes iff low <= first letter <= high
    high: str


@dataclass(frozen=True)
class MultiWordFeature:
    pass


Feature = TableFeature | AlphaFeature | LetterFeature | MultiWordFeature


def _template_regex(template: str, *names: str) -> re.Pattern[str]:
    pattern = re.escape(template)
    for name in names:
        pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{name}>.*)")
    return re.compile(f"^{pattern}$", re.DOTALL)


_ALPHA_RE = _template_regex(ALPHA_TEMPLATE, "word")
_FIRST_RE = _template_regex(FIRST_LETTER_TEMPLATE, "letter")
_RANGE_RE = _template_regex(LETTER_RANGE_TEMPLATE, "low", "high")


def parse_lexical(question: str) -> AlphaFeature | LetterFeature | MultiWordFeature | None:
    """The spelling feature of one of the planner's own lexical questions, else None."""
    m = _ALPHA_RE.match(question)
    if m:
        return AlphaFeature(m["word"].lower())
    m = _FIRST_RE.match(question)
    if m and len(m["letter"]) == 1:
        return LetterFeature(m["letter"].lower(), m["letter"].lower())
    m = _RANGE_RE.match(question)
    if m and len(m["low"]) == 1 and len(m["high"]) == 1:
        low, high = sorted((m["low"].lower(), m["high"].lower()))
        return LetterFeature(low, high)
    if question == MULTIWORD_QUESTION:
        return MultiWordFeature()
    return None


def shortest_separator(lower: str, upper: str) -> str:
    """The shortest prefix of ``upper`` that sorts after ``lower`` (``lower < upper``): asking
    whether the keyword precedes it splits the sorted candidates exactly where ``upper`` would,
    and the question shows a word stem rather than a whole, possibly odd, lexicon entry."""
    for end in range(1, len(upper) + 1):
        prefix = upper[:end]
        if prefix > lower and prefix[-1].isalnum():
            return prefix
    return upper


def spelling_variants(text: str, singles: frozenset[str]) -> list[tuple[str, str]]:
    """(variant, kind) pairs: other spellings the keyword could have when the judge would accept
    ``text`` for it. ``singles`` are the lexicon's one-word entries (for splitting compounds)."""
    out: list[tuple[str, str]] = [(plural(text), "plural")]
    if text.endswith("s") and not text.endswith("ss") and len(text) >= 4:
        out.append((text[:-1], "singular"))
        if text.endswith("es") and len(text) >= 5:
            out.append((text[:-2], "singular"))
    joined = re.sub(r"[\W_]+", "", text)
    if len(joined) >= 2:
        out.append((joined, "joined"))
    spaced = " ".join(re.sub(r"[^\w\s-]+", "", text).replace("-", " ").split())
    if spaced:
        out.append((spaced, "spaced"))
    if text.isalpha() and len(text) >= 6:
        for cut in range(3, len(text) - 2):
            if text[:cut] in singles and text[cut:] in singles:
                out.append((f"{text[:cut]} {text[cut:]}", "split"))
                break
    seen = {text}
    unique = []
    for variant, kind in out:
        if variant not in seen:
            seen.add(variant)
            unique.append((variant, kind))
    return unique
