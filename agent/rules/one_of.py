"""ONE_OF questions: is the keyword one of a list of items?

"Is it one of: a, b, c?", "Is the keyword one of the following: ...", "Is it in ['a', 'b']?",
"Is the keyword 'table'?" and "Is the keyword the word table?" (an exact match is a one-item
list). Items and keyword are compared with ``text.same_item`` (lowercase, accents dropped, a
leading article dropped, punctuation and spaces dropped, simple plurals allowed).

Conservatism: unquoted items are only accepted after an explicit list marker (a colon, "the
following", "these", "this list") or inside brackets, and must be short (at most five words);
lists that announce categories ("one of the following categories: ...", "a tool, a toy or a
food") and lists with "etc." / "..." / "and so on" are left to the LLM.
"""

from __future__ import annotations

import re

from agent.rules.counts import NUM
from agent.rules.kinds import KindName, Pred, Rule
from agent.rules.patterns import PLAIN_WORDS, SUBJECT
from agent.rules.text import same_item, unquote

_LIST_NOUN = (
    r"(?:words?|keywords?|items?|things?|options?|objects?|candidates?|terms?"
    r"|possibilities|choices|guesses|answers?|entries|ones|nouns?|names?|list|set|possible"
    r"\s+(?:keywords|answers|words))"
)
_ONE_OF = re.compile(
    rf"^(?:is|could|would|might)\s+{SUBJECT}\s+(?:be\s+)?(?:(?:one|any)\s+of|among|amongst|in"
    r"|within|included\s+in|contained\s+in|part\s+of|found\s+in|listed\s+in|on|from)"
    r"(?:\s+|\s*(?=[:\[]))(?P<rest>.+)$"
)
# The explicit marker that lets unquoted items count: "the following (3 words) below:", ":".
_LIST_INTRO = re.compile(
    r"^(?:(?:the\s+following|these|those|this|the\s+list|the\s+set|this\s+list|this\s+set"
    r"|the\s+options|(?:the|this)\s+(?:following\s+)?(?:list|set)\s+of)"
    rf"(?:\s+(?:\d+\s+|{NUM}\s+)?{_LIST_NOUN})?(?:\s+(?:below|listed(?:\s+below)?|here))?"
    r"(?:\s*(?:[:?\-]|\.\.\.)\s*|\s+(?=[\"'\[]))|:\s*)(?P<list>\S.*)$"
)
_EXACT = re.compile(
    rf"^(?:is|could|would)\s+{SUBJECT}\s+(?:be\s+)?(?:(?P<soft>exactly|precisely|literally"
    r"|equal\s+to|identical\s+to|the\s+same\s+as|called|named|spelled|spelt)\s+)?"
    r"(?P<marker>the\s+(?:word|keyword|term|phrase|string)\s+)?(?:either\s+)?(?P<list>.+)$"
)
_QUOTED = re.compile(r""""([^"]+)"|'((?:[^']|'(?=[^\W\d_]))+)'""")
# What may remain between quoted items: separators, brackets, "or", "and".
_LIST_LEFTOVER = re.compile(r"^(?:[\s,;/|\[\](){}&]|\bor\b|\band\b)*$")
_OPEN_ENDED = re.compile(r"\betc\b|\.\.\.|\band\s+so\s+on\b|\bor\s+similar\b")


def _quoted_items(text: str) -> list[str] | None:
    """All items when ``text`` is only quoted items and separators; else None."""
    items = [a or b for a, b in _QUOTED.findall(text)]
    if not items or not _LIST_LEFTOVER.match(_QUOTED.sub(" ", text)):
        return None
    return items


def _plain_items(text: str) -> list[str] | None:
    """Items of a marked list, quoted or not; None if open-ended or an item is not a name."""
    body = text.strip().strip("[](){}").strip()
    if not body or _OPEN_ENDED.search(body):
        return None
    quoted = _quoted_items(body)
    if quoted is not None:
        return quoted
    items: list[str] = []
    for part in re.split(r"\s*(?:,|;|\||\n)\s*|\s+or\s+", body):
        item = re.sub(r"^(?:or|and)\s+", "", part.strip()).strip().strip("[](){}.").strip()
        item = unquote(item)[0]
        if not item:
            continue
        if len(item.split()) > 5 or not re.search(r"[^\W\d_]", item):
            return None
        items.append(item)
    return items or None


def _looks_like_categories(items: list[str]) -> bool:
    """ "a tool, a toy or a food": several unquoted items all with an indefinite article."""
    return len(items) >= 2 and all(re.match(r"an?\s", it) for it in items)


def _members(items: list[str]) -> Pred:
    frozen = tuple(items)
    return lambda kw: any(same_item(kw, it) for it in frozen)


def parse_one_of(q: str) -> Rule | None:
    """A ONE_OF rule for the cleaned question ``q``, or None."""
    m = _ONE_OF.match(q)
    if m:
        rest = m["rest"]
        intro = _LIST_INTRO.match(rest)
        items: list[str] | None = None
        if intro:
            items = _plain_items(intro["list"])
        elif rest.startswith("[") and rest.endswith("]"):
            items = _plain_items(rest)
        else:
            items = _quoted_items(rest)
        if items and not _looks_like_categories(items):
            return KindName.ONE_OF, _members(items)
    m = _EXACT.match(q)
    if m:
        items = _quoted_items(m["list"])
        # "the word table": one unquoted item, if it reads as a plain name (not "a tool").
        if items is None and m["marker"]:
            word, _quoted = unquote(m["list"])
            if (
                PLAIN_WORDS.fullmatch(word)
                and len(word.split()) <= 4
                and not (re.match(r"(?:an?|the)\s", word))
            ):
                items = [word]
        if items:
            return KindName.ONE_OF, _members(items)
    return None
