"""The spellings a keyword may have, and the alphabetical split word.

:func:`spelling_variants` lists the other spellings a keyword may have when the judge accepts a
candidate for it (with their prior weights, :data:`VARIANT_WEIGHTS`); :func:`shortest_separator`
is the word an alphabetical question splits the sorted candidates with. What a question asks
about, per candidate, is its kind's (:mod:`agent.kinds`: ``read`` and ``p_yes``).
"""

from __future__ import annotations

import re

from agent.rules import plural

# Prior weight of each kind of spelling variant of a candidate (its own spelling gets the rest).
VARIANT_WEIGHTS = {"plural": 0.1, "singular": 0.05, "joined": 0.1, "spaced": 0.3, "split": 0.1}


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
