"""What follows "start with" / "end with" / "contain" / "is the first letter": the letter spec.

``spec_rule(spec, where, wordish)`` turns the spec into a rule about the keyword's first letter
(``where="start"``), last letter (``"end"``) or all its letters (``"contains"``):

- a letter or a set of letters ("c", "one of a, b, c", "either 'x' or 'y'"); for "contains",
  "a and b" / "both" / "all of" need every letter, and "more than once", "at least N times",
  "twice" (exactly two) count occurrences of one letter;
- a range: "a letter between A and M" (inclusive unless the question says "exclusive"),
  "A-M", "a letter before/after M" (strict), "the first half of the alphabet" (a-m);
- a vowel or consonant (vowels are a, e, i, o, u; "contains a vowel" is left to the LLM);
- a quoted string or a marked one ("the prefix air", "the word ball"): prefix, suffix or
  substring of the folded keyword; "the word X" compares whole words, simple plurals allowed;
- "contains" a digit, a space (a WORD_COUNT question), a hyphen or a double letter, decided
  only for a word-like subject ("Does the keyword contain a number?", not "Does it ...").

Shortcuts: letters are compared folded (``text.fold``); unquoted multi-letter targets ("start
with water", "contain sugar") are semantic and give None, as do lists with "etc." or "none of".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from agent.rules.counts import NUM, count_pred
from agent.rules.kinds import KindName, Rule
from agent.rules.patterns import LETTER, LETTER_NOUN, QUOTED_LETTER, SUBJECT
from agent.rules.text import first_letter, fold, last_letter, same_item, unquote

# Which part of the keyword a letter question is about.
Where = Literal["start", "end", "contains"]

_VOWELS = frozenset("aeiou")
# "... anywhere in the word" after a contains-spec: the subject repeated, dropped.
_SPEC_TAIL = re.compile(
    rf"\s+(?:(?:anywhere|somewhere)\s+)?(?:in|within|inside)\s+(?:it|its\s+(?:name|spelling)"
    rf"|the\s+(?:name|spelling|word|keyword)|{SUBJECT})$|\s+(?:anywhere|somewhere|at\s+all)$"
)
_INCLUSIVE_TAIL = re.compile(
    r"\s*,?\s*\(?\b(?P<i>inclusive|exclusive)\b(?:\s+of\s+(?:both|the)\s*(?:ends|endpoints)?)?"
    r"\)?$|\s*\(?(?P<b>both\s+(?:included|inclusive)|including\s+both)\)?$"
)
_ALPHABET_TAIL = r"(?:\s*,?\s+(?:in\s+the\s+alphabet|of\s+the\s+alphabet|alphabetically))?"
_RANGE_HEAD = (
    rf"(?:(?:a|one\s+of\s+the|any\s+of\s+the|an?\s+{LETTER_NOUN}\s+in)\s+)?"
    rf"(?:{LETTER_NOUN}\s+)?(?:(?:that|which)\s+(?:is|are|comes?|falls?|lies?)\s+)?"
    r"(?:alphabetically\s+)?"
)
_RANGE = re.compile(
    rf"^{_RANGE_HEAD}(?:(?:in|within)\s+)?(?:"
    rf"between\s+(?:the\s+letters?\s+)?(?P<a1>{QUOTED_LETTER})\s+and\s+(?:the\s+letter\s+)?"
    rf"(?P<b1>{QUOTED_LETTER})"
    rf"|(?:the\s+)?(?:range\s+(?:of\s+)?|from\s+|the\s+letters?\s+)?(?:the\s+letter\s+)?"
    rf"(?P<a2>{QUOTED_LETTER})(?:\s+(?:to|through|thru|till|until)\s+|\s*(?:-|\.\.\.?)\s*)"
    r"(?:the\s+letter\s+)?"
    rf"(?P<b2>{QUOTED_LETTER})(?:\s+range)?)"
    rf"{_ALPHABET_TAIL}$"
)
_BEFORE_AFTER = re.compile(
    rf"^{_RANGE_HEAD}(?P<rel>before|after|earlier\s+than|later\s+than|prior\s+to|preceding"
    rf"|following|lower\s+than|higher\s+than|less\s+than|greater\s+than)\s+(?:the\s+letter\s+)?"
    rf"(?P<x>{QUOTED_LETTER}){_ALPHABET_TAIL}$"
)
_BEFORE_WORDS = frozenset(
    {"before", "earlier than", "prior to", "preceding", "lower than", "less than"}
)
_HALF = re.compile(
    rf"^{_RANGE_HEAD}(?:in|from|within)\s+the\s+(?P<h>first|second|last|latter|former)"
    r"\s+half\s+of\s+the\s+alphabet(?:\s+\(?a\s*-\s*[mz]|\s*\(?n\s*-\s*z)?\)?$"
)
_VOWEL = re.compile(r"^(?:an?\s+|one\s+of\s+the\s+)?(?P<v>vowels?|consonants?)(?:\s+letter)?$")
_DIGIT = re.compile(r"^(?:an?\s+)?(?:number|digit|numeral)$")
_SPACE = re.compile(r"(?:an?\s+|any\s+)?(?:spaces?|whitespace|blank\s+spaces?)")
_HYPHEN = re.compile(r"(?:an?\s+|any\s+)?(?:hyphens?|dash(?:es)?)")
_WORD_SPEC = re.compile(r"^(?:the\s+)?word\s+(?P<w>.+)$")
_DOUBLE = re.compile(
    r"^(?:an?\s+|any\s+)?(?:double|doubled|consecutive\s+repeated|repeated\s+consecutive)"
    r"\s+letters?$|^(?:the\s+)?same\s+letter\s+twice\s+in\s+a\s+row$"
)
_TIMES = re.compile(
    rf"\s+(?P<c>(?:(?:more|fewer|less)\s+than|at\s+least|at\s+most|exactly|only|just)\s+"
    rf"(?:once|twice|thrice|{NUM}\s+times?)|(?:once|twice|thrice|{NUM}\s+times?)"
    r"(?:\s+or\s+more)?|multiple\s+times|several\s+times|repeatedly)$"
)
_VAGUE_TIMES = {
    "multiple": "more than one",
    "several": "more than one",
    "repeatedly": "more than one",
}
# "either of the following letters:", "all of the substrings" ... before the items.
_LIST_HEAD = re.compile(
    rf"^(?:(?P<q>either|both|any|all|one|each|some|none)(?:\s+of)?\s+)?(?:(?:the|these|those)\s+)?"
    rf"(?:following\s*)?(?:(?P<m>{LETTER_NOUN}|strings?|substrings?|sequences?|prefix(?:es)?"
    r"|suffix(?:es)?|(?:letter\s+)?combinations?|syllables?|text)\s*)?(?:[:\-]\s*)?"
)
_SEPARATOR = re.compile(r"\s*(?:,|;|/|\|)\s*(?:(?:or|and|nor)\s+)?|\s+(?:or|and|nor|&)\s+")
_LETTER_PREFIX = re.compile(
    r"^(?:the\s+)?(?:(?:capital|upper\s?-?case|lower\s?-?case|small)\s+)?"
    r"(?:letter|character|char)\s+"
)
_CASE_PREFIX = re.compile(r"^(?:capital|upper\s?-?case|lower\s?-?case|small)\s+")


def _letter_kind(where: Where) -> KindName:
    if where == "start":
        return KindName.FIRST_LETTER
    if where == "end":
        return KindName.LAST_LETTER
    return KindName.CONTAINS_LETTER


def _split_times(spec: str) -> tuple[str, Callable[[int], bool] | None] | None:
    """Cut "twice" / "at least 3 times" off a contains-spec: (rest, count or None if absent);
    None when the count cannot be read."""
    m = _TIMES.search(spec)
    if m is None:
        return spec, None
    phrase = m["c"].replace("times", "").replace("time", "").strip()
    phrase = _VAGUE_TIMES.get(phrase, phrase)
    count = count_pred(re.sub(r"\s+", " ", phrase))
    if count is None:
        return None
    return spec[: m.start()], count


def _items(body: str) -> list[tuple[str, bool]] | None:
    """(folded text, was quoted) per listed item; None when an item is empty after clean-up."""
    items: list[tuple[str, bool]] = []
    for raw in _SEPARATOR.split(body):
        if not raw or not raw.strip():
            continue
        item = raw.strip().strip("[](){}").strip()
        item = _CASE_PREFIX.sub("", _LETTER_PREFIX.sub("", item))
        text, quoted = unquote(item)
        if not text:
            return None
        items.append((fold(text), quoted))
    return items


def _spec_letters(spec: str, where: Where, wordish: bool) -> Rule | None:
    """Letter sets / strings after the range-like forms failed."""
    kind = _letter_kind(where)
    times: Callable[[int], bool] | None = None
    if where == "contains":
        counted = _split_times(spec)
        if counted is None:
            return None
        spec, times = counted
    head = _LIST_HEAD.match(spec)
    quantifier = head["q"] if head else None
    marker = head["m"] if head else None
    body = spec[head.end() :] if head else spec
    # Drop an article before a single letter ("an x", "a 'b'").
    body = re.sub(rf"^(?:an?)\s+(?=[\"']?{LETTER}[\"']?(?:[\s,]|$))", "", body.strip())
    body = body.strip().strip("[](){}").strip()
    if not body or re.search(r"\betc\b|\.\.\.", body):
        return None
    items = _items(body)
    if not items:
        return None
    joined_by_and = " and " in f" {body} " and " or " not in f" {body} "
    if all(re.fullmatch(LETTER, text) for text, _ in items):
        letters = frozenset(text for text, _ in items)
        need_all = where == "contains" and (
            quantifier in {"all", "both", "each"}
            or (joined_by_and and quantifier not in {"any", "either", "one", "some"})
        )
        if quantifier == "none":
            return None
        if where == "start":
            return kind, lambda kw: first_letter(kw) in letters
        if where == "end":
            return kind, lambda kw: last_letter(kw) in letters
        if times is not None:
            if len(letters) != 1:
                return None
            (letter,) = letters
            letter_count = times
            return kind, lambda kw: letter_count(fold(kw).count(letter))
        if need_all:
            return kind, lambda kw: letters <= set(fold(kw))
        return kind, lambda kw: bool(letters & set(fold(kw)))
    if len(items) != 1 or quantifier in {"all", "both", "each", "none"}:
        return None
    string, quoted = items[0]
    # "the prefix air" / "the substring ing" mark a string; "the letter" does not.
    string_marker = marker is not None and not re.fullmatch(r"(?:letter|character|char)", marker)
    if not (quoted or string_marker):
        return None
    if where == "contains" and not (string_marker or wordish):
        return None
    if where == "start":
        return kind, lambda kw: fold(kw).strip().startswith(string)
    if where == "end":
        return kind, lambda kw: fold(kw).strip().endswith(string)
    if times is not None:
        string_count = times
        return kind, lambda kw: string_count(fold(kw).count(string))
    return kind, lambda kw: string in fold(kw)


def _range_rule(spec: str, where: Where, inclusive: bool) -> Rule | None:
    """A range of first (or last) letters: "between a and m", "a-m", "before m", "first half"."""
    letter_at: Callable[[str], str] = last_letter if where == "end" else first_letter
    kind = KindName.LAST_LETTER if where == "end" else KindName.LETTER_RANGE
    m = _RANGE.match(spec)
    if m:
        a = unquote(m["a1"] or m["a2"])[0]
        b = unquote(m["b1"] or m["b2"])[0]
        low, high = fold(min(a, b)), fold(max(a, b))
        if inclusive:
            return kind, lambda kw: low <= letter_at(kw) <= high and letter_at(kw) != ""
        return kind, lambda kw: low < letter_at(kw) < high
    m = _BEFORE_AFTER.match(spec)
    if m:
        x = fold(unquote(m["x"])[0])
        if m["rel"] in _BEFORE_WORDS:
            return kind, lambda kw: letter_at(kw) != "" and letter_at(kw) < x
        return kind, lambda kw: letter_at(kw) > x
    m = _HALF.match(spec)
    if m:
        if m["h"] in {"first", "former"}:
            return kind, lambda kw: "a" <= letter_at(kw) <= "m"
        return kind, lambda kw: "n" <= letter_at(kw) <= "z"
    return None


def spec_rule(spec: str, where: Where, wordish: bool = False) -> Rule | None:
    """Interpret what follows "start with" / "end with" / "contain" / "is the first letter"."""
    spec = spec.strip(" ,")
    spec = re.sub(r"^(?:equal\s+to|the\s+same\s+as|identical\s+to)\s+", "", spec)
    if where == "contains":
        spec = _SPEC_TAIL.sub("", spec)
    spec = re.sub(
        r"^(?:in|among|within)\s+(?:the\s+(?:set|list)\s+(?:of\s+)?)?(?=[\[{(:])", "", spec
    )
    inclusive = True
    tail = _INCLUSIVE_TAIL.search(spec)
    if tail:
        inclusive = tail["i"] != "exclusive"
        spec = spec[: tail.start()].strip(" ,")
    letter_at: Callable[[str], str] = last_letter if where == "end" else first_letter
    kind = _letter_kind(where)
    if where in {"start", "end"}:
        rule = _range_rule(spec, where, inclusive)
        if rule is not None:
            return rule
    m = _VOWEL.match(spec)
    if m:
        if where == "contains":
            return None
        if m["v"].startswith("vowel"):
            return kind, lambda kw: letter_at(kw) in _VOWELS
        return kind, lambda kw: letter_at(kw).isalpha() and letter_at(kw) not in _VOWELS
    if _DIGIT.match(spec):
        if where == "contains" and wordish:
            return kind, lambda kw: any(c.isdigit() for c in kw)
        if where == "contains":
            return None
        return kind, lambda kw: letter_at(kw).isdigit()
    if where == "contains" and wordish:
        if _SPACE.fullmatch(spec):
            return KindName.WORD_COUNT, lambda kw: " " in kw.strip()
        if _HYPHEN.fullmatch(spec):
            return kind, lambda kw: "-" in kw
        if _DOUBLE.match(spec):
            return kind, lambda kw: re.search(r"([^\W\d_])\1", fold(kw)) is not None
    m = _WORD_SPEC.match(spec)
    if m:
        return _word_rule(m["w"], where)
    return _spec_letters(spec, where, wordish)


def _word_rule(text: str, where: Where) -> Rule | None:
    """ "the word X": the keyword's first / last / any word is X (simple plurals allowed)."""
    word, quoted = unquote(text)
    if not word or (not quoted and not re.fullmatch(r"[^\W\d_][\w'\-]*", word)):
        return None
    kind = _letter_kind(where)
    if where == "start":
        return kind, lambda kw: bool(kw.split()) and same_item(kw.split()[0], word)
    if where == "end":
        return kind, lambda kw: bool(kw.split()) and same_item(kw.split()[-1], word)
    return kind, lambda kw: any(same_item(part, word) for part in kw.split())
