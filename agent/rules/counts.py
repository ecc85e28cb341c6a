"""Numbers and counts in words: "two", "at least 5", "more than one", "between 3 and 5".

``count_pred`` turns such a phrase into a predicate on an integer (a count of words, letters
or occurrences). Number words go up to twenty, digits up to three places; "once"/"twice"/
"thrice" count, and "multiple"/"several"/"many"/"plural" mean two or more. A bare number means
exactly that number. Anything else (fractions, "a dozen", "a few") is not a count, and the
question is left to the LLM.
"""

from __future__ import annotations

import re
from collections.abc import Callable

NUMBERS: dict[str, int] = {
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
# Regex piece for one number; longest words first so "seventeen" is not read as "seven".
NUM = r"(?:\d{1,3}|" + "|".join(sorted(NUMBERS, key=len, reverse=True)) + ")"

# Comparison phrase (always followed by a number) -> operator.
_COMPARISON_WORDS: list[tuple[str, str]] = [
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
_COMPARISONS = [
    (re.compile(rf"(?:{pattern})\s+(?P<n>{NUM})"), op) for pattern, op in _COMPARISON_WORDS
]
_OPERATORS: dict[str, Callable[[int, int], bool]] = {
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "==": lambda a, b: a == b,
}
_UPWARD = frozenset({"more", "greater", "higher", "above", "over", "longer"})


def parse_number(text: str) -> int:
    """The value of a string matched by ``NUM`` ("7" or "seven")."""
    return int(text) if text.isdigit() else NUMBERS[text]


def count_pred(text: str) -> Callable[[int], bool] | None:
    """Parse "more than one", "at least 5", "two or more", "between 3 and 5", "5" -> predicate."""
    t = re.sub(r"^(?:a\s+total\s+of|in\s+total|a\s+number\s+of)\s+", "", text.strip())
    if re.fullmatch(r"multiple|several|many|more\s+than\s+a\s+single|plural", t):
        return lambda n: n >= 2
    m = re.fullmatch(
        rf"(?:between|from)\s+(?P<a>{NUM})\s+(?:and|to)\s+(?P<b>{NUM})"
        r"(?:\s*\(?inclusive\)?)?",
        t,
    )
    if m:
        low, high = parse_number(m["a"]), parse_number(m["b"])
        return lambda n: low <= n <= high
    m = re.fullmatch(
        rf"(?P<n>{NUM})\s+or\s+(?P<d>more|greater|higher|above|over|longer|fewer"
        r"|less|lower|under|below|shorter)",
        t,
    )
    if m:
        bound = parse_number(m["n"])
        if m["d"] in _UPWARD:
            return lambda n: n >= bound
        return lambda n: n <= bound
    if re.fullmatch(NUM, t):
        exact = parse_number(t)
        return lambda n: n == exact
    for pattern, op in _COMPARISONS:
        m = pattern.fullmatch(t)
        if m:
            bound, compare = parse_number(m["n"]), _OPERATORS[op]
            return lambda n: compare(n, bound)
    return None
