"""What a legal question, guess and answer look like, and safe fallbacks (pure functions).

- A question is one line ending in "?", at most 750 characters (the judge's cut), starting with an
  auxiliary verb ("Is", "Does", "Can", ...) as yes/no questions do, and not asked before.
- A guess is a short noun phrase (at most 6 words, 100 characters), not a repeat of a wrong guess.
- An answer is exactly "yes" or "no".

Model output is cleaned towards those shapes; when nothing usable is left the caller takes a
fallback from the fixed lists below, which never repeats an earlier question or guess while
unused entries remain. Shortcut: "the same" question or guess is judged by a plain normalisation
(lowercase letters and digits only), our own dedup rule, not the judge's keyword matching.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from agent.game import GUESS_LIMIT, QUESTION_LIMIT

MAX_GUESS_WORDS = 6

FALLBACK_QUESTIONS = (
    "Is it a living thing?",
    "Is it man-made?",
    "Is it bigger than a shoebox?",
    "Is it usually found indoors?",
    "Is it something you can eat or drink?",
    "Is it made mostly of metal?",
    "Does it use electricity?",
    "Is it found in a kitchen?",
    "Is it used for work or tools?",
    "Can you hold it in one hand?",
    "Is it made of wood?",
    "Is it a piece of furniture?",
    "Is it worn on the body?",
    "Is it used outdoors?",
    "Is it a vehicle or part of one?",
    "Is it made of plastic?",
    "Is it used for cleaning?",
    "Is it found in a bathroom?",
    "Is it a plant or part of a plant?",
    "Is it used for entertainment?",
    "Is it soft?",
    "Does it have moving parts?",
)

FALLBACK_GUESSES = (
    "chair", "table", "phone", "book", "cup", "car", "apple", "tree", "lamp", "shoe", "bottle",
    "computer", "knife", "door", "bed", "pen", "clock", "bread", "hammer", "television",
)  # fmt: skip

_PREFIX = re.compile(
    r"^\s*(?:[-*•>#]+|\d+[.)]|\(?[a-z]\)|q\d*[:.]|question\s*\d*[:.]|round\s*\d+[:.]|"
    r"my\s+(?:next\s+)?question\s+is[:,]?|here(?:'s| is)\s+my\s+(?:next\s+)?question[:,]?)\s*",
    re.IGNORECASE,
)
_GUESS_PREFIX = re.compile(
    r"^\s*(?:(?:my|final)\s+guess\s*(?:is)?[:,]?|guess[:,]|i\s+(?:think|guess)\s+"
    r"(?:it(?:'s| is)|the\s+keyword\s+is)?|the\s+(?:keyword|answer)\s+is[:,]?|"
    r"keyword[:,]|answer[:,]|it(?:'s| is)|is\s+it)\s*",
    re.IGNORECASE,
)
# A yes/no question starts with an auxiliary verb; a sentence before it is chatter.
_AUXILIARY = re.compile(
    r"(?:^|(?<=[.!:;,] ))"
    r"(?:is|are|was|were|does|do|did|can|could|would|will|should|has|have|had|might|may)\b",
    re.IGNORECASE,
)
_NOT_A_GUESS = {"yes", "no", "maybe", "unknown", "idk", "none", "nothing", "keyword", "guess"}
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.IGNORECASE)
_QUOTES = "\"'`\u201c\u201d\u2018\u2019*_[]()"  # straight and curly quotes, brackets


def normalise(text: str) -> str:
    """Lowercase letters and digits only: how we decide two questions or guesses are the same."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _strip_prefixes(line: str, pattern: re.Pattern[str]) -> str:
    previous = None
    while previous != line:
        previous = line
        line = pattern.sub("", line, count=1).strip().strip(_QUOTES).strip()
    return line


def clean_question(text: str, asked: Iterable[str] = ()) -> str | None:
    """The first usable question in ``text``, or None."""
    seen = {normalise(q) for q in asked}
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]
    # Prefer a line with a question mark; a bare first line is made into a question.
    ordered = [line for line in lines if "?" in line] + lines[:1]
    for line in ordered:
        line = _strip_prefixes(line, _PREFIX)
        start = _AUXILIARY.search(line)
        if start is None:
            continue
        line = line[start.start() :]
        line = line[0].upper() + line[1:]
        if "?" in line:
            line = line[: line.index("?")].rstrip()
        line = line.rstrip(" .!:;,").strip()
        if len(line.split()) < 2:
            continue
        question = line[: QUESTION_LIMIT - 1].rstrip() + "?"
        if normalise(question) and normalise(question) not in seen:
            return question
    return None


def clean_guess(text: str, wrong_guesses: Iterable[str] = ()) -> str | None:
    """A short noun phrase from the first non-empty line of ``text``, or None."""
    wrong = {normalise(g) for g in wrong_guesses}
    for line in text.replace("\r", "\n").split("\n"):
        line = _strip_prefixes(line, _GUESS_PREFIX)
        line = re.split(r"[.!?;:,(]", line, maxsplit=1)[0]
        line = _ARTICLE.sub("", line.strip().strip(_QUOTES).strip())
        line = " ".join(line.split())
        if not line:
            continue
        if len(line.split()) > MAX_GUESS_WORDS or len(line) > GUESS_LIMIT:
            return None
        key = normalise(line)
        return None if not key or key in wrong or key in _NOT_A_GUESS else line
    return None


def answer_word(p_yes: float, threshold: float) -> str:
    """The judge's vocabulary: exactly "yes" or "no"."""
    return "yes" if p_yes >= threshold else "no"


def fallback_question(asked: Iterable[str]) -> str:
    """A generic question not asked yet (cycling once all were asked)."""
    seen = {normalise(q) for q in asked}
    for question in FALLBACK_QUESTIONS:
        if normalise(question) not in seen:
            return question
    return FALLBACK_QUESTIONS[len(seen) % len(FALLBACK_QUESTIONS)]


def fallback_guess(wrong_guesses: Iterable[str]) -> str:
    """A common thing not guessed yet."""
    wrong = {normalise(g) for g in wrong_guesses}
    for guess in FALLBACK_GUESSES:
        if normalise(guess) not in wrong:
            return guess
    return FALLBACK_GUESSES[len(wrong) % len(FALLBACK_GUESSES)]
