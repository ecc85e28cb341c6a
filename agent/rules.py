"""Answers decided by code, before any LLM is asked.

``rule_answer(question, keyword)`` returns the exact yes (True) / no (False) for questions that
can be decided from the keyword's spelling alone, and None for everything else (semantic
questions, which the LLM answerer handles). ``classify(question)`` names the kind of question
(``QuestionKind``); it returns ``SEMANTIC`` exactly when ``rule_answer`` would return None.

What is decided here:

- HANDSHAKE: ``"Is it Agent Alpha?"`` (and close paraphrases such as "is it agent alpha") is
  always answered yes: that is how a questioner detects an answerer that speaks the Agent Alpha
  protocol.
- ALPHABETICAL: the protocol's template ``ALPHA_TEMPLATE`` is answered with exactly
  ``keyword.lower() < word.lower()`` (plain Python string order: spaces, hyphens and other
  punctuation are compared as-is, so "air compressor" < "aircraft" because " " < "c"). The
  paraphrases ("come before/after X alphabetically", "is the keyword alphabetically before X",
  "precede/follow X in alphabetical order", "alphabetically between X and Y") use the same
  comparison; "before"/"after" are strict, "or equal to" and "between" are inclusive.
- FIRST_LETTER / LETTER_RANGE / LAST_LETTER / CONTAINS_LETTER: "start/end with (the letter) X",
  a set of letters ("one of A, B, C"), a quoted prefix/suffix ("start with 'air'"), a vowel or
  consonant (vowels are a, e, i, o, u), "a letter between A and M" (inclusive unless the question
  says "exclusive"), "a letter before/after M" (strict), "the first half of the alphabet" (a-m),
  "contain the letter e" (optionally "more than once", "at least N times"; "twice" means
  exactly two). Spaces, hyphens and digits are only decided when the subject is the keyword /
  word / name ("Does the keyword contain a space?"), never for "it" ("Does it contain a number?").
  Letter questions are case-insensitive and accent-insensitive ("É" counts as "e"); the keyword's
  first/last letter is its first/last character after stripping surrounding punctuation.
- WORD_COUNT: words are runs of non-space characters ("Soda-pop" is one word); "contain a space"
  also counts as a word-count question.
- LENGTH: "letters" counts alphabetic characters only; "characters" counts every character
  except spaces.
- ONE_OF: "Is it one of: a, b, c?", "Is the keyword one of the following: ...", "Is the keyword
  'table'?" (a quoted exact match is a one-item list). Items and keyword are compared after our
  own normalisation (lowercase, accents dropped, a leading article dropped, punctuation and spaces
  dropped) allowing simple plurals (s, es, y/ies). Unquoted items are only accepted after an
  explicit list marker (a colon, "the following", "these", "this list"); lists that announce
  categories ("one of the following categories: ...") are left to the LLM.

Shortcuts and conservatism: every rule must match the WHOLE question (after light clean-up:
curly quotes straightened, case folded, whitespace collapsed, trailing "?", "(yes or no)" and a
leading "Question:" dropped). A question mixing spelling with semantics ("Is it an animal that
starts with C?", "Does it start with C and is it edible?") matches no rule and is left to the LLM
rather than guessed. Unquoted multi-letter targets ("Does it start with water?", "Does it contain
sugar?") are treated as semantic. Lists containing "etc." are not decided.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from enum import Enum

__all__ = [
    "ALPHA_TEMPLATE",
    "HANDSHAKE_QUESTION",
    "QuestionKind",
    "alphabetical_question",
    "classify",
    "rule_answer",
    "same_item",
]

HANDSHAKE_QUESTION = "Is it Agent Alpha?"
ALPHA_TEMPLATE = 'Does the keyword (in lowercase) precede "{word}" in alphabetical order?'


class QuestionKind(str, Enum):
    """What a question asks about; every kind but SEMANTIC is decided by ``rule_answer``."""

    HANDSHAKE = "handshake"
    ALPHABETICAL = "alphabetical"
    FIRST_LETTER = "first_letter"
    LETTER_RANGE = "letter_range"
    CONTAINS_LETTER = "contains_letter"
    WORD_COUNT = "word_count"
    ONE_OF = "one_of"
    LAST_LETTER = "last_letter"
    LENGTH = "length"
    SEMANTIC = "semantic"


Pred = Callable[[str], bool]
Rule = tuple[QuestionKind, Pred]


def alphabetical_question(word: str) -> str:
    """The Agent Alpha bisection question for ``word`` (pass the word in lowercase)."""
    return ALPHA_TEMPLATE.format(word=word)


def classify(question: str) -> QuestionKind:
    """The kind of ``question``; SEMANTIC when no spelling rule decides it."""
    rule = _parse(question)
    return rule[0] if rule else QuestionKind.SEMANTIC


def rule_answer(question: str, keyword: str, alts: Sequence[str] = ()) -> bool | None:
    """Exact yes/no for spelling-decidable questions about ``keyword``; None if semantic.

    ``alts`` (optional alternative names of the keyword) only widen ONE_OF matches.
    """
    rule = _parse(question)
    if rule is None:
        return None
    kind, pred = rule
    if kind is QuestionKind.ONE_OF and alts:
        return any(pred(k) for k in (keyword, *alts))
    return pred(keyword)


# --------------------------------------------------------------------------- text helpers

_TRANSLATE = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "`": "'",
        "\u00b4": "'",
        "\u2032": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\uff1f": "?",
    }
)
_LEAD_FILLER = re.compile(
    r"^(?:(?:\*+|#+|-|\d+[.)]|q\d*\s*[:.)]|question(?:\s*(?:\d+|#\s*\d+))?\s*[:.-]"
    r"|(?:ok(?:ay)?|so|now|great|alright|next|well|then|next\s+question)\s*[,:.!-]"
    r"|(?:please\s+)?answer\s+(?:with\s+)?yes\s+or\s+no\s*[:,.-])\s*)+"
)
_TRAIL_FILLER = re.compile(
    r"(?:\s*\((?:case[\s-]insensitive|ignoring\s+case|ignore\s+case|yes\s*(?:or|/)\s*no"
    r"|(?:please\s+)?answer\s+yes\s+or\s+no)\)"
    r"|\s*[,.:-]?\s*(?:please\s+)?(?:answer\s+)?(?:with\s+)?(?:only\s+)?yes\s+or\s+no"
    r"|[\s?.!*]+)$"
)


def _prep(question: str) -> str:
    """Straighten quotes, lowercase, collapse spaces, drop leading/trailing filler."""
    q = re.sub(r"\s+", " ", question.translate(_TRANSLATE).lower()).strip()
    q = _LEAD_FILLER.sub("", q)
    prev = None
    while prev != q:
        prev = q
        q = _TRAIL_FILLER.sub("", q).strip()
        if len(q) >= 2 and q[0] == q[-1] and q[0] in "\"'":
            q = q[1:-1].strip()
    return q


def _fold(text: str) -> str:
    """Lowercase and drop accents (for letter questions)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _core(keyword: str) -> str:
    """The keyword folded, without surrounding punctuation or spaces."""
    return re.sub(r"^[\W_]+|[\W_]+$", "", _fold(keyword))


def _norm_item(text: str) -> str:
    """Normalise a list item / keyword for ONE_OF matching."""
    t = _fold(text).strip()
    t = re.sub(r"^(?:the|a|an)\s+", "", t)
    return re.sub(r"[\W_]+", "", t)


def _plural_forms(t: str) -> set[str]:
    forms = {t, t + "s", t + "es"}
    if len(t) > 1 and t.endswith("y"):
        forms.add(t[:-1] + "ies")
    return forms


def same_item(a: str, b: str) -> bool:
    """Do ``a`` and ``b`` name the same thing under our normalisation (simple plurals allowed)?"""
    x, y = _norm_item(a), _norm_item(b)
    if not x or not y:
        return False
    return y in _plural_forms(x) or x in _plural_forms(y)


_PLAIN_WORDS = re.compile(r"[^\W\d_](?:[\w\- ]|'(?=\w))*")
_QUOTED = re.compile(r""""([^"]+)"|'((?:[^']|'(?=[^\W\d_]))+)'""")


def _unquote(text: str) -> tuple[str, bool]:
    """Strip one pair of surrounding quotes; return (text, was_quoted)."""
    t = text.strip()
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "\"'":
        inner = t[1:-1]
        if '"' not in inner and not re.search(r"(?<!\w)'|'(?!\w)", inner):
            return inner.strip(), True
    return t, False


_NUMBERS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "single": 1,
    "a single": 1,
    "once": 1,
    "twice": 2,
    "thrice": 3,
}
_NUM = r"(?:\d{1,3}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + ")"
_CMP_WORDS: list[tuple[str, str]] = [
    (r"(?:greater|more|larger|bigger|higher)\s+than\s+or\s+equal\s+to", ">="),
    (r"(?:less|fewer|smaller|lower)\s+than\s+or\s+equal\s+to", "<="),
    (r"more\s+than|greater\s+than|larger\s+than|over|above|in\s+excess\s+of|longer\s+than", ">"),
    (
        r"at\s+least|no\s+(?:fewer|less)\s+than|not\s+(?:fewer|less)\s+than|a\s+minimum\s+of"
        r"|minimum\s+of|min(?:imum)?",
        ">=",
    ),
    (r"fewer\s+than|less\s+than|under|below|shorter\s+than|smaller\s+than", "<"),
    (
        r"at\s+most|no\s+more\s+than|not\s+more\s+than|a\s+maximum\s+of|maximum\s+of|up\s+to"
        r"|max(?:imum)?",
        "<=",
    ),
    (r"exactly|precisely|only|just|equal\s+to|equals|=", "=="),
]
_CMP_RE = [(re.compile(rf"(?:{pat})\s+(?P<n>{_NUM})"), op) for pat, op in _CMP_WORDS]
_OPS: dict[str, Callable[[int, int], bool]] = {
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "==": lambda a, b: a == b,
}


def _num(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBERS[text]


def _count_pred(text: str) -> Callable[[int], bool] | None:
    """Parse "more than one", "at least 5", "two or more", "between 3 and 5", "5" -> predicate."""
    t = re.sub(r"^(?:a\s+total\s+of|in\s+total|a\s+number\s+of)\s+", "", text.strip())
    if re.fullmatch(r"multiple|several|many|more\s+than\s+a\s+single|plural", t):
        return lambda n: n >= 2
    m = re.fullmatch(
        rf"(?:between|from)\s+(?P<a>{_NUM})\s+(?:and|to)\s+(?P<b>{_NUM})"
        r"(?:\s*\(?inclusive\)?)?",
        t,
    )
    if m:
        lo, hi = _num(m["a"]), _num(m["b"])
        return lambda n: lo <= n <= hi
    m = re.fullmatch(
        rf"(?P<n>{_NUM})\s+or\s+(?P<d>more|greater|higher|above|over|longer|fewer"
        r"|less|lower|under|below|shorter)",
        t,
    )
    if m:
        k = _num(m["n"])
        if m["d"] in {"more", "greater", "higher", "above", "over", "longer"}:
            return lambda n: n >= k
        return lambda n: n <= k
    if re.fullmatch(_NUM, t):
        k = _num(t)
        return lambda n: n == k
    for rx, op in _CMP_RE:
        m = rx.fullmatch(t)
        if m:
            k, fn = _num(m["n"]), _OPS[op]
            return lambda n: fn(n, k)
    return None


# --------------------------------------------------------------------------- shared patterns

_NOUN = (
    r"(?:key\s?-?word|word|answer|phrase|term|thing|object|item|name|entity|solution"
    r"|secret|target)"
)
_LC = (
    r"(?:\s*\(\s*(?:in\s+|all\s+)?lower\s?-?case(?:d)?\s*\)"
    r"|,?\s+(?:in|when\s+(?:written\s+)?in|written\s+in)\s+(?:all\s+)?lower\s?-?case(?:d)?,?"
    r"|,?\s+(?:when\s+)?lowercased,?)?"
)
_POSS = rf"(?:(?:the|this|your)\s+(?:(?:secret|hidden|mystery|target)\s+)?{_NOUN}'s|its)"
_SUBJ = (
    rf"(?:(?:the|this|that|your|our)\s+(?:(?:secret|hidden|mystery|target|chosen|current"
    rf"|given|correct)\s+)?{_NOUN}{_LC}|it{_LC}|this|that"
    rf"|the\s+(?:name|spelling)\s+of\s+(?:the\s+)?(?:{_NOUN}|it|this|that){_LC}"
    rf"|{_POSS}\s+(?:name|spelling))"
)
_WORDISH_SUBJ = re.compile(r"\b(?:key\s?-?word|word|phrase|term|name|spelling|answer)\b")
_FIRST = r"(?:first|initial|starting|beginning|leading|opening|1st)\s+(?:letter|character|char)"
_LAST = r"(?:last|final|ending|closing|terminal)\s+(?:letter|character|char)"
_LETTER = r"[^\W\d_]"
_QLETTER = rf"""(?:"{_LETTER}"|'{_LETTER}'|{_LETTER})"""


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# --------------------------------------------------------------------------- handshake

_HANDSHAKE = _c(
    r"^(?:is\s+(?:it|this|that|the\s+keyword)|are\s+you|you\s+are)\s+"
    r"""["']?agent\s*-?alpha["']?$"""
)


def _parse_handshake(q: str) -> Rule | None:
    if _HANDSHAKE.match(q):
        return QuestionKind.HANDSHAKE, lambda _kw: True
    return None


# --------------------------------------------------------------------------- alphabetical

_TEMPLATE_RAW = re.compile(
    r'^\s*does\s+the\s+keyword\s+\(in\s+lowercase\)\s+precede\s+"(?P<w>.*)"\s+in\s+'
    r"alphabetical\s+order\s*\??\s*$",
    re.IGNORECASE | re.DOTALL,
)
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
_REL = (
    rf"(?P<rel>(?:(?:at|on)\s+or\s+)?{_BEFORE}|(?:(?:at|on)\s+or\s+)?{_AFTER})"
    r"(?P<eq>\s+or\s+(?:(?:be\s+)?(?:equal\s+to|identical\s+to|the\s+same\s+as|equal)"
    r"|is|at|matches?))?"
)
_VERB = (
    r"(?:(?P<v>come|comes|appear|appears|fall|falls|go|goes|sit|sits|rank|ranks|sort|sorts"
    r"|lie|lies|get\s+(?:listed|sorted)|be\s+(?:listed|sorted|placed|positioned|found)"
    r"|listed|sorted|ordered|placed|positioned|located|found)\s+)?"
)
_SORT_VERBS = frozenset({"sort", "sorts", "get sorted", "be sorted", "sorted"})
_M1 = rf"(?:(?P<m1>{_MARK})\s*,?\s+)?"
_M2 = rf"(?:(?P<m2>{_MARK})\s+)?"
_M3 = rf"(?:\s*,?\s+(?P<m3>{_MARK}))?"
_ALPHA_PATTERNS = [
    _c(rf"^(?:does|do|would|will|is|could)\s+{_SUBJ}\s+{_M1}{_VERB}{_M2}{_REL}\s+(?P<w>.+?){_M3}$"),
    _c(
        rf"^(?P<m1>{_MARK}|alphabetically\s+speaking|in\s+terms\s+of\s+alphabetical\s+order)"
        rf"\s*,?\s+(?:does|do|would|will|is)\s+{_SUBJ}\s+{_VERB}{_REL}\s+(?P<w>.+?)$"
    ),
]
_ALPHA_BETWEEN = _c(
    rf"^(?:does|do|is|would)\s+{_SUBJ}\s+{_M1}{_VERB}{_M2}(?:(?:in\s+)?between|within)\s+"
    rf"(?P<a>.+?)\s+and\s+(?P<b>.+?){_M3}(?:\s*,?\s*\(?(?P<incl>inclusive|exclusive)\)?)?$"
)


def _alpha_word(text: str) -> str | None:
    t = re.sub(r"^(?:the\s+)?(?:word|letter|string|term)\s+", "", text.strip())
    t, quoted = _unquote(t)
    if not t:
        return None
    if quoted:
        return t
    if len(t) <= 40 and _PLAIN_WORDS.fullmatch(t) and len(t.split()) <= 4:
        return t
    return None


def _alpha_pred(word: str, before: bool, inclusive: bool) -> Pred:
    if before:
        return (lambda kw: kw.lower() <= word) if inclusive else (lambda kw: kw.lower() < word)
    return (lambda kw: kw.lower() >= word) if inclusive else (lambda kw: kw.lower() > word)


def _parse_alphabetical(q: str) -> Rule | None:
    for rx in _ALPHA_PATTERNS:
        m = rx.match(q)
        if m is None:
            continue
        groups = m.groupdict()
        sort_verb = re.sub(r"\s+", " ", groups.get("v") or "") in _SORT_VERBS
        if not (m["m1"] or groups.get("m2") or groups.get("m3") or sort_verb):
            continue
        word = _alpha_word(m["w"])
        if word is None:
            continue
        before = re.match(_BEFORE, m["rel"].split(" or ")[-1]) is not None
        inclusive = bool(m["eq"]) or m["rel"].startswith(("at ", "on "))
        return QuestionKind.ALPHABETICAL, _alpha_pred(word, before, inclusive)
    m = _ALPHA_BETWEEN.match(q)
    if m and (m["m1"] or m["m2"] or m["m3"]):
        a, b = _alpha_word(m["a"]), _alpha_word(m["b"])
        if a is None or b is None:
            return None
        lo, hi = min(a, b), max(a, b)
        if m["incl"] == "exclusive":
            return QuestionKind.ALPHABETICAL, lambda kw: lo < kw.lower() < hi
        return QuestionKind.ALPHABETICAL, lambda kw: lo <= kw.lower() <= hi
    return None


# --------------------------------------------------------------------------- letter specs

_VOWELS = frozenset("aeiou")
_SPEC_TAIL = re.compile(
    rf"\s+(?:(?:anywhere|somewhere)\s+)?(?:in|within|inside)\s+(?:it|its\s+(?:name|spelling)"
    rf"|the\s+(?:name|spelling|word|keyword)|{_SUBJ})$|\s+(?:anywhere|somewhere|at\s+all)$"
)
_INCL_TAIL = re.compile(
    r"\s*,?\s*\(?\b(?P<i>inclusive|exclusive)\b(?:\s+of\s+(?:both|the)\s*(?:ends|endpoints)?)?"
    r"\)?$|\s*\(?(?P<b>both\s+(?:included|inclusive)|including\s+both)\)?$"
)
_ALPHA_TAIL = r"(?:\s*,?\s+(?:in\s+the\s+alphabet|of\s+the\s+alphabet|alphabetically))?"
_LETTER_WORD = r"(?:letters?|characters?|chars?)"
_RANGE_HEAD = (
    rf"(?:(?:a|one\s+of\s+the|any\s+of\s+the|an?\s+{_LETTER_WORD}\s+in)\s+)?"
    rf"(?:{_LETTER_WORD}\s+)?(?:(?:that|which)\s+(?:is|are|comes?|falls?|lies?)\s+)?"
    r"(?:alphabetically\s+)?"
)
_RANGE = _c(
    rf"^{_RANGE_HEAD}(?:(?:in|within)\s+)?(?:"
    rf"between\s+(?:the\s+letters?\s+)?(?P<a1>{_QLETTER})\s+and\s+(?:the\s+letter\s+)?"
    rf"(?P<b1>{_QLETTER})"
    rf"|(?:the\s+)?(?:range\s+(?:of\s+)?|from\s+|the\s+letters?\s+)?(?:the\s+letter\s+)?"
    rf"(?P<a2>{_QLETTER})(?:\s+(?:to|through|thru|till|until)\s+|\s*(?:-|\.\.\.?)\s*)"
    r"(?:the\s+letter\s+)?"
    rf"(?P<b2>{_QLETTER})(?:\s+range)?)"
    rf"{_ALPHA_TAIL}$"
)
_BEFORE_AFTER = _c(
    rf"^{_RANGE_HEAD}(?P<rel>before|after|earlier\s+than|later\s+than|prior\s+to|preceding"
    rf"|following|lower\s+than|higher\s+than|less\s+than|greater\s+than)\s+(?:the\s+letter\s+)?"
    rf"(?P<x>{_QLETTER}){_ALPHA_TAIL}$"
)
_HALF = _c(
    rf"^{_RANGE_HEAD}(?:in|from|within)\s+the\s+(?P<h>first|second|last|latter|former)"
    r"\s+half\s+of\s+the\s+alphabet(?:\s+\(?a\s*-\s*[mz]|\s*\(?n\s*-\s*z)?\)?$"
)
_VOWEL = _c(r"^(?:an?\s+|one\s+of\s+the\s+)?(?P<v>vowels?|consonants?)(?:\s+letter)?$")
_DIGIT = _c(r"^(?:an?\s+)?(?:number|digit|numeral)$")
_WORD_SPEC = _c(r"^(?:the\s+)?word\s+(?P<w>.+)$")
_DOUBLE = _c(
    r"^(?:an?\s+|any\s+)?(?:double|doubled|consecutive\s+repeated|repeated\s+consecutive)"
    r"\s+letters?$|^(?:the\s+)?same\s+letter\s+twice\s+in\s+a\s+row$"
)
_TIMES = _c(
    rf"\s+(?P<c>(?:(?:more|fewer|less)\s+than|at\s+least|at\s+most|exactly|only|just)\s+"
    rf"(?:once|twice|thrice|{_NUM}\s+times?)|(?:once|twice|thrice|{_NUM}\s+times?)"
    r"(?:\s+or\s+more)?|multiple\s+times|several\s+times|repeatedly)$"
)
_LIST_HEAD = _c(
    rf"^(?:(?P<q>either|both|any|all|one|each|some|none)(?:\s+of)?\s+)?(?:(?:the|these|those)\s+)?"
    rf"(?:following\s*)?(?:(?P<m>{_LETTER_WORD}|strings?|substrings?|sequences?|prefix(?:es)?"
    r"|suffix(?:es)?|(?:letter\s+)?combinations?|syllables?|text)\s*)?(?:[:\-]\s*)?"
)
_SEP = _c(r"\s*(?:,|;|/|\|)\s*(?:(?:or|and|nor)\s+)?|\s+(?:or|and|nor|&)\s+")


def _spec_letters(spec: str, where: str, wordish: bool) -> Rule | None:
    """Letter sets / strings after the range-like forms failed."""
    kind = {"start": QuestionKind.FIRST_LETTER, "end": QuestionKind.LAST_LETTER}.get(
        where, QuestionKind.CONTAINS_LETTER
    )
    times: Callable[[int], bool] | None = None
    if where == "contains":
        tm = _TIMES.search(spec)
        if tm:
            c = tm["c"].replace("times", "").replace("time", "").strip()
            c = {
                "multiple": "more than one",
                "several": "more than one",
                "repeatedly": "more than one",
            }.get(c, c)
            times = _count_pred(re.sub(r"\s+", " ", c))
            if times is None:
                return None
            spec = spec[: tm.start()]
    head = _LIST_HEAD.match(spec)
    quant = head["q"] if head else None
    marker = head["m"] if head else None
    body = spec[head.end() :] if head else spec
    body = re.sub(rf"^(?:an?)\s+(?=[\"']?{_LETTER}[\"']?(?:[\s,]|$))", "", body.strip())
    body = body.strip().strip("[](){}").strip()
    if not body:
        return None
    if re.search(r"\betc\b|\.\.\.", body):
        return None
    raw_items = [p for p in _SEP.split(body) if p and p.strip()]
    items: list[tuple[str, bool]] = []
    for raw in raw_items:
        it = raw.strip().strip("[](){}").strip()
        it = re.sub(
            r"^(?:the\s+)?(?:(?:capital|upper\s?-?case|lower\s?-?case|small)\s+)?"
            r"(?:letter|character|char)\s+",
            "",
            it,
        )
        it = re.sub(r"^(?:capital|upper\s?-?case|lower\s?-?case|small)\s+", "", it)
        text, quoted = _unquote(it)
        if not text:
            return None
        items.append((_fold(text), quoted))
    if not items:
        return None
    joined_by_and = " and " in f" {body} " and " or " not in f" {body} "
    if all(re.fullmatch(_LETTER, t) for t, _ in items):
        letters = frozenset(t for t, _ in items)
        need_all = where == "contains" and (
            quant in {"all", "both", "each"}
            or (joined_by_and and quant not in {"any", "either", "one", "some"})
        )
        if quant == "none":
            return None
        if where == "start":
            return kind, lambda kw: _core(kw)[:1] in letters
        if where == "end":
            return kind, lambda kw: _core(kw)[-1:] in letters
        if times is not None:
            if len(letters) != 1:
                return None
            (ch,) = letters
            tp = times
            return kind, lambda kw: tp(_fold(kw).count(ch))
        if need_all:
            return kind, lambda kw: letters <= set(_fold(kw))
        return kind, lambda kw: bool(letters & set(_fold(kw)))
    if len(items) != 1 or quant in {"all", "both", "each", "none"}:
        return None
    text, quoted = items[0]
    string_marker = marker is not None and not re.fullmatch(r"(?:letter|character|char)", marker)
    if not (quoted or string_marker):
        return None
    if where == "contains" and not (string_marker or wordish):
        return None
    s = text
    if where == "start":
        return kind, lambda kw: _fold(kw).strip().startswith(s)
    if where == "end":
        return kind, lambda kw: _fold(kw).strip().endswith(s)
    if times is not None:
        tp = times
        return kind, lambda kw: tp(_fold(kw).count(s))
    return kind, lambda kw: s in _fold(kw)


def _spec_rule(spec: str, where: str, wordish: bool = False) -> Rule | None:
    """Interpret what follows "start with" / "end with" / "contain" / "is the first letter"."""
    spec = spec.strip(" ,")
    spec = re.sub(r"^(?:equal\s+to|the\s+same\s+as|identical\s+to)\s+", "", spec)
    if where == "contains":
        spec = _SPEC_TAIL.sub("", spec)
    spec = re.sub(
        r"^(?:in|among|within)\s+(?:the\s+(?:set|list)\s+(?:of\s+)?)?(?=[\[{(:])", "", spec
    )
    inclusive = True
    im = _INCL_TAIL.search(spec)
    if im:
        inclusive = im["i"] != "exclusive"
        spec = spec[: im.start()].strip(" ,")
    pos: Callable[[str], str] = (
        (lambda kw: _core(kw)[-1:]) if where == "end" else (lambda kw: _core(kw)[:1])
    )
    range_kind = QuestionKind.LAST_LETTER if where == "end" else QuestionKind.LETTER_RANGE
    letter_kind = {"start": QuestionKind.FIRST_LETTER, "end": QuestionKind.LAST_LETTER}.get(
        where, QuestionKind.CONTAINS_LETTER
    )
    if where in {"start", "end"}:
        m = _RANGE.match(spec)
        if m:
            a = _unquote(m["a1"] or m["a2"])[0]
            b = _unquote(m["b1"] or m["b2"])[0]
            lo, hi = _fold(min(a, b)), _fold(max(a, b))
            if inclusive:
                return range_kind, lambda kw: lo <= pos(kw) <= hi and pos(kw) != ""
            return range_kind, lambda kw: lo < pos(kw) < hi
        m = _BEFORE_AFTER.match(spec)
        if m:
            x = _fold(_unquote(m["x"])[0])
            if m["rel"] in {
                "before",
                "earlier than",
                "prior to",
                "preceding",
                "lower than",
                "less than",
            }:
                return range_kind, lambda kw: pos(kw) != "" and pos(kw) < x
            return range_kind, lambda kw: pos(kw) > x
        m = _HALF.match(spec)
        if m:
            if m["h"] in {"first", "former"}:
                return range_kind, lambda kw: "a" <= pos(kw) <= "m"
            return range_kind, lambda kw: "n" <= pos(kw) <= "z"
    m = _VOWEL.match(spec)
    if m:
        if where == "contains":
            return None
        if m["v"].startswith("vowel"):
            return letter_kind, lambda kw: pos(kw) in _VOWELS
        return letter_kind, lambda kw: pos(kw).isalpha() and pos(kw) not in _VOWELS
    if _DIGIT.match(spec):
        if where == "contains" and wordish:
            return letter_kind, lambda kw: any(c.isdigit() for c in kw)
        if where == "contains":
            return None
        return letter_kind, lambda kw: pos(kw).isdigit()
    if where == "contains" and wordish:
        if re.fullmatch(r"(?:an?\s+|any\s+)?(?:spaces?|whitespace|blank\s+spaces?)", spec):
            return QuestionKind.WORD_COUNT, lambda kw: " " in kw.strip()
        if re.fullmatch(r"(?:an?\s+|any\s+)?(?:hyphens?|dash(?:es)?)", spec):
            return letter_kind, lambda kw: "-" in kw
        if _DOUBLE.match(spec):
            return letter_kind, lambda kw: re.search(r"([^\W\d_])\1", _fold(kw)) is not None
    m = _WORD_SPEC.match(spec)
    if m:
        w, _q = _unquote(m["w"])
        if not w or (not _q and not re.fullmatch(r"[^\W\d_][\w'\-]*", w)):
            return None
        if where == "start":
            return letter_kind, lambda kw: bool(kw.split()) and same_item(kw.split()[0], w)
        if where == "end":
            return letter_kind, lambda kw: bool(kw.split()) and same_item(kw.split()[-1], w)
        return letter_kind, lambda kw: any(same_item(p, w) for p in kw.split())
    return _spec_letters(spec, where, wordish)


_START = [
    _c(
        rf"^(?:does|do|would|will)\s+(?P<s>{_SUBJ})\s+(?:start|starts|begin|begins|commence)"
        r"\s+(?:with|in|from|using|on)\s+(?P<spec>.+)$"
    ),
    _c(rf"^is\s+(?:the\s+)?{_FIRST}(?:\s+(?:of|in)\s+(?P<s>{_SUBJ}))?\s+(?P<spec>.+)$"),
    _c(rf"^is\s+(?P<s>{_POSS})\s+{_FIRST}\s+(?P<spec>.+)$"),
    _c(
        rf"^(?:does|do)\s+(?:the\s+)?{_FIRST}(?:\s+(?:of|in)\s+(?P<s>{_SUBJ}))?\s+"
        r"(?:come|fall|lie|appear|sit)\s+(?P<spec>(?:before|after|between|in|within|from)\s.+)$"
    ),
    _c(
        rf"^(?:does|do)\s+(?P<s>{_POSS})\s+{_FIRST}\s+(?:come|fall|lie|appear|sit)\s+"
        r"(?P<spec>(?:before|after|between|in|within|from)\s.+)$"
    ),
    _c(
        rf"^is\s+(?P<s>{_SUBJ})\s+(?:an?\s+(?:word|keyword|term|name)\s+)?(?:that\s+|which\s+)?"
        r"(?:starting|beginning|starts|begins)\s+with\s+(?P<spec>.+)$"
    ),
]
_END = [
    _c(
        rf"^(?:does|do|would|will)\s+(?P<s>{_SUBJ})\s+(?:end|ends|finish|finishes|terminate"
        r"|terminates)\s+(?:with|in|on)\s+(?P<spec>.+)$"
    ),
    _c(rf"^is\s+(?:the\s+)?{_LAST}(?:\s+(?:of|in)\s+(?P<s>{_SUBJ}))?\s+(?P<spec>.+)$"),
    _c(rf"^is\s+(?P<s>{_POSS})\s+{_LAST}\s+(?P<spec>.+)$"),
    _c(
        rf"^is\s+(?P<s>{_SUBJ})\s+(?:an?\s+(?:word|keyword|term|name)\s+)?(?:that\s+|which\s+)?"
        r"(?:ending|ends|finishing|finishes)\s+(?:with|in)\s+(?P<spec>.+)$"
    ),
]
_CONTAINS = [
    _c(
        rf"^(?:does|do)\s+(?P<s>{_SUBJ})\s+(?:contain|contains|include|includes|have|has"
        r"|feature|features|use|uses|possess)\s+(?P<spec>.+)$"
    ),
    _c(
        rf"^is\s+there\s+(?P<spec>.+?)\s+(?:(?:anywhere|somewhere)\s+)?(?:in|within|inside)\s+"
        rf"(?P<s>{_SUBJ})$"
    ),
    _c(
        rf"^(?:does|do|is|are)\s+(?P<spec>(?:the\s+|an?\s+|any\s+(?:of\s+the\s+)?)?"
        rf"{_LETTER_WORD}\s+.+?)\s+(?:appear|appears|occur|occurs|show\s+up|shows\s+up|exist"
        r"|exists|present|found|used|included|contained)\s+(?:(?:anywhere|somewhere)\s+)?"
        rf"(?:in|within|inside)\s+(?P<s>{_SUBJ})$"
    ),
    _c(
        rf"^(?:is|are)\s+(?P<spec>(?:the\s+)?{_LETTER_WORD}\s+.+?)\s+(?:(?:anywhere|somewhere)\s+)?"
        rf"(?:in|within|inside|part\s+of)\s+(?P<s>{_SUBJ})$"
    ),
    _c(rf"^is\s+(?P<s>{_SUBJ})\s+(?:hyphenated)$"),
]


def _wordish(m: re.Match[str]) -> bool:
    s = m.groupdict().get("s")
    return bool(s and _WORDISH_SUBJ.search(s))


def _parse_letters(q: str) -> Rule | None:
    for patterns, where in ((_START, "start"), (_END, "end"), (_CONTAINS, "contains")):
        for rx in patterns:
            m = rx.match(q)
            if m is None:
                continue
            if "spec" not in m.groupdict():
                return QuestionKind.CONTAINS_LETTER, lambda kw: "-" in kw
            rule = _spec_rule(m["spec"], where, _wordish(m))
            if rule is not None:
                return rule
    return None


# --------------------------------------------------------------------------- word count / length

_WC_VERB = (
    r"(?:(?:consist|consists|composed|made\s+up|made|comprised|built|formed)\s+(?:of|from)"
    r"\s+|(?:have|has|contain|contains|include|includes|comprise|comprises|span|spans"
    r"|use|uses)\s+)?"
)
_WC_TAIL = (
    r"(?:\s+long|\s+in\s+(?:length|total|it|size)|\s+total|\s+\(?(?:separated|split)\s+by"
    r"\s+(?:a\s+)?spaces?\)?)?"
)
_WORD_COUNT = [
    _c(
        rf"^(?:is|does|do|are)\s+{_SUBJ}\s+{_WC_VERB}(?P<c>.+?)\s+(?:separate\s+|distinct\s+"
        rf"|individual\s+|different\s+)?words?{_WC_TAIL}$"
    ),
    _c(
        rf"^is\s+(?:the\s+)?(?:number|count)\s+of\s+words\s+(?:in|of)\s+{_SUBJ}\s+(?:is\s+)?"
        r"(?P<c>.+?)$"
    ),
]
_WC_ADJ = _c(
    rf"^is\s+{_SUBJ}\s+(?:an?\s+)?(?P<adj>single|one|1|two|2|three|3|multi|multiple)\s*-?\s*"
    r"words?(?:ed)?(?:\s+(?:keyword|phrase|term|name|expression|noun|word|answer|thing|object"
    r"|item|entry|string|compound))?(?:\s+\(?(?:with\s*out|with\s+no|no)\s+(?:any\s+)?spaces?\)?)?$"
)
_WC_SPACE = [
    _c(
        rf"^(?:does|do|is)\s+(?P<s>{_SUBJ})\s+(?:have|has|contain|contains|include|includes)\s+"
        r"(?:an?\s+|any\s+)?(?:spaces?|whitespace|blank\s+spaces?)(?:\s+(?:in\s+it|in\s+(?:its\s+)?"
        r"(?:name|spelling)|between\s+(?:the\s+)?words))?$"
    ),
    _c(rf"^is\s+there\s+(?:an?\s+|any\s+)?(?:spaces?|whitespace)\s+in\s+(?P<s>{_SUBJ})$"),
]


def _word_count_pred(count: Callable[[int], bool]) -> Pred:
    return lambda kw: count(len(kw.split()))


def _length_pred(count: Callable[[int], bool], letters: bool) -> Pred:
    if letters:
        return lambda kw: count(sum(ch.isalpha() for ch in kw))
    return lambda kw: count(sum(not ch.isspace() for ch in kw.strip()))


def _parse_word_count(q: str) -> Rule | None:
    for rx in _WORD_COUNT:
        m = rx.match(q)
        if m:
            pred = _count_pred(m["c"])
            if pred is not None:
                return QuestionKind.WORD_COUNT, _word_count_pred(pred)
    m = _WC_ADJ.match(q)
    if m:
        adj = m["adj"]
        if adj in {"multi", "multiple"}:
            return QuestionKind.WORD_COUNT, lambda kw: len(kw.split()) >= 2
        n = _num(adj)
        return QuestionKind.WORD_COUNT, lambda kw: len(kw.split()) == n
    for rx in _WC_SPACE:
        m = rx.match(q)
        if m and _wordish(m):
            return QuestionKind.WORD_COUNT, lambda kw: " " in kw.strip()
    return None


_UNIT = r"(?P<u>letters?|characters?|chars?)"
_LENGTH = [
    _c(
        rf"^(?:does|do|is)\s+{_SUBJ}\s+(?:(?:have|has|contain|contains|consist\s+of|consists\s+of"
        r"|made\s+up\s+of|composed\s+of|spelled\s+with|spelt\s+with|use|uses|include|includes)\s+)?"
        rf"(?P<c>.+?)\s+{_UNIT}(?:\s+(?:long|in\s+(?:length|it|total)|total))?$"
    ),
    _c(
        rf"^is\s+{_SUBJ}\s+(?P<c>(?:longer|shorter)\s+than(?:\s+or\s+equal\s+to)?\s+{_NUM})"
        rf"\s+{_UNIT}(?:\s+long)?$"
    ),
    _c(
        rf"^is\s+(?:the\s+)?(?:(?:total\s+)?length|number\s+of\s+(?P<u1>letters|characters)"
        rf"|(?P<u2>letter|character)\s+count)\s+(?:of|in)\s+{_SUBJ}\s+(?:(?:is|equal\s+to)\s+)?"
        r"(?P<c>.+?)(?:\s+(?P<u>letters?|characters?))?$"
    ),
    _c(
        rf"^is\s+{_SUBJ}\s+an?\s+(?P<c>{_NUM})\s*-?\s*(?P<u>letter|character)\s+(?:long\s+)?"
        r"(?:word|keyword|term|name|thing|answer)$"
    ),
]


def _parse_length(q: str) -> Rule | None:
    for rx in _LENGTH:
        m = rx.match(q)
        if m is None:
            continue
        c = re.sub(r"^(?:(?:longer)\s+than\s+or\s+equal\s+to)", "at least", m["c"])
        c = re.sub(r"^(?:(?:shorter)\s+than\s+or\s+equal\s+to)", "at most", c)
        pred = _count_pred(c)
        if pred is None:
            continue
        groups = m.groupdict()
        unit = groups.get("u") or groups.get("u1") or groups.get("u2") or "letters"
        return QuestionKind.LENGTH, _length_pred(pred, unit.startswith("letter"))
    return None


# --------------------------------------------------------------------------- one of

_LIST_NOUN = (
    r"(?:words?|keywords?|items?|things?|options?|objects?|candidates?|terms?"
    r"|possibilities|choices|guesses|answers?|entries|ones|nouns?|names?|list|set|possible"
    r"\s+(?:keywords|answers|words))"
)
_ONE_OF = _c(
    rf"^(?:is|could|would|might)\s+{_SUBJ}\s+(?:be\s+)?(?:(?:one|any)\s+of|among|amongst|in|within"
    r"|included\s+in|contained\s+in|part\s+of|found\s+in|listed\s+in|on|from)"
    r"(?:\s+|\s*(?=[:\[]))(?P<rest>.+)$"
)
_LIST_INTRO = _c(
    r"^(?:(?:the\s+following|these|those|this|the\s+list|the\s+set|this\s+list|this\s+set"
    r"|the\s+options|(?:the|this)\s+(?:following\s+)?(?:list|set)\s+of)"
    rf"(?:\s+(?:\d+\s+|{_NUM}\s+)?{_LIST_NOUN})?(?:\s+(?:below|listed(?:\s+below)?|here))?"
    r"(?:\s*(?:[:?\-]|\.\.\.)\s*|\s+(?=[\"'\[]))|:\s*)(?P<list>\S.*)$"
)
_EXACT = _c(
    rf"^(?:is|could|would)\s+{_SUBJ}\s+(?:be\s+)?(?:(?P<soft>exactly|precisely|literally"
    r"|equal\s+to|identical\s+to|the\s+same\s+as|called|named|spelled|spelt)\s+)?"
    r"(?P<marker>the\s+(?:word|keyword|term|phrase|string)\s+)?(?:either\s+)?(?P<list>.+)$"
)
_LIST_LEFTOVER = _c(r"^(?:[\s,;/|\[\](){}&]|\bor\b|\band\b)*$")


def _quoted_items(text: str) -> list[str] | None:
    """All items when ``text`` is only quoted items and separators; else None."""
    items = [a or b for a, b in _QUOTED.findall(text)]
    if not items or not _LIST_LEFTOVER.match(_QUOTED.sub(" ", text)):
        return None
    return items


def _plain_items(text: str) -> list[str] | None:
    body = text.strip().strip("[](){}").strip()
    if not body or re.search(r"\betc\b|\.\.\.|\band\s+so\s+on\b|\bor\s+similar\b", body):
        return None
    quoted = _quoted_items(body)
    if quoted is not None:
        return quoted
    items: list[str] = []
    for part in re.split(r"\s*(?:,|;|\||\n)\s*|\s+or\s+", body):
        it = re.sub(r"^(?:or|and)\s+", "", part.strip()).strip().strip("[](){}.").strip()
        it = _unquote(it)[0]
        if not it:
            continue
        if len(it.split()) > 5 or not re.search(r"[^\W\d_]", it):
            return None
        items.append(it)
    return items or None


def _looks_like_categories(items: list[str]) -> bool:
    """ "a tool, a toy or a food": several unquoted items all with an indefinite article."""
    return len(items) >= 2 and all(re.match(r"an?\s", it) for it in items)


def _members(items: list[str]) -> Pred:
    frozen = tuple(items)
    return lambda kw: any(same_item(kw, it) for it in frozen)


def _parse_one_of(q: str) -> Rule | None:
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
            return QuestionKind.ONE_OF, _members(items)
    m = _EXACT.match(q)
    if m:
        items = _quoted_items(m["list"])
        if items is None and m["marker"]:
            word, _q = _unquote(m["list"])
            if (
                _PLAIN_WORDS.fullmatch(word)
                and len(word.split()) <= 4
                and not (re.match(r"(?:an?|the)\s", word))
            ):
                items = [word]
        if items:
            return QuestionKind.ONE_OF, _members(items)
    return None


# --------------------------------------------------------------------------- dispatcher

_PARSERS: tuple[Callable[[str], Rule | None], ...] = (
    _parse_handshake,
    _parse_alphabetical,
    _parse_word_count,
    _parse_length,
    _parse_letters,
    _parse_one_of,
)


def _parse(question: str) -> Rule | None:
    if not isinstance(question, str) or not question.strip():
        return None
    m = _TEMPLATE_RAW.match(question)
    if m:
        word = m["w"].lower()
        return QuestionKind.ALPHABETICAL, lambda kw: kw.lower() < word
    q = _prep(question)
    if not q:
        return None
    for parser in _PARSERS:
        rule = parser(q)
        if rule is not None:
            return rule
    return None
