"""Regex pieces shared by the question parsers.

Questions reach the parsers already cleaned by ``text.prep`` (lowercase, straight quotes,
single spaces), so the pieces are lowercase. The subject of a spelling question is "it",
"this", "the keyword" or one of its many synonyms ("the secret word", "your answer (in
lowercase)", "the name of the thing", "its spelling"). Some facts (spaces, hyphens, digits) are
only decided when the subject names a word (``wordish``): "Does it contain a number?" is about
the thing, "Does the keyword contain a number?" about its spelling.
"""

from __future__ import annotations

import re

# What the keyword is called in questions.
KEYWORD_NOUN = (
    r"(?:key\s?-?word|word|answer|phrase|term|thing|object|item|name|entity|solution"
    r"|secret|target)"
)
# An optional "(in lowercase)" / ", when lowercased," after the subject: it changes nothing,
# as the comparisons are case-insensitive anyway.
LOWERCASE_NOTE = (
    r"(?:\s*\(\s*(?:in\s+|all\s+)?lower\s?-?case(?:d)?\s*\)"
    r"|,?\s+(?:in|when\s+(?:written\s+)?in|written\s+in)\s+(?:all\s+)?lower\s?-?case(?:d)?,?"
    r"|,?\s+(?:when\s+)?lowercased,?)?"
)
POSSESSIVE = (
    rf"(?:(?:the|this|your)\s+(?:(?:secret|hidden|mystery|target)\s+)?{KEYWORD_NOUN}'s|its)"
)
SUBJECT = (
    rf"(?:(?:the|this|that|your|our)\s+(?:(?:secret|hidden|mystery|target|chosen|current"
    rf"|given|correct)\s+)?{KEYWORD_NOUN}{LOWERCASE_NOTE}|it{LOWERCASE_NOTE}|this|that"
    rf"|the\s+(?:name|spelling)\s+of\s+(?:the\s+)?(?:{KEYWORD_NOUN}|it|this|that)"
    rf"{LOWERCASE_NOTE}|{POSSESSIVE}\s+(?:name|spelling))"
)
_WORDISH_SUBJECT = re.compile(r"\b(?:key\s?-?word|word|phrase|term|name|spelling|answer)\b")

FIRST_CHAR = r"(?:first|initial|starting|beginning|leading|opening|1st)\s+(?:letter|character|char)"
LAST_CHAR = r"(?:last|final|ending|closing|terminal)\s+(?:letter|character|char)"
LETTER_NOUN = r"(?:letters?|characters?|chars?)"
# One letter (any script, no digit or underscore), optionally in quotes.
LETTER = r"[^\W\d_]"
QUOTED_LETTER = rf"""(?:"{LETTER}"|'{LETTER}'|{LETTER})"""

# Plain words: starts with a letter; then letters, digits, spaces, hyphens, inner apostrophes.
PLAIN_WORDS = re.compile(r"[^\W\d_](?:[\w\- ]|'(?=\w))*")


def wordish(match: re.Match[str]) -> bool:
    """Does the match's subject (group ``s``) name a word ("the keyword") rather than "it"?"""
    subject = match.groupdict().get("s")
    return bool(subject and _WORDISH_SUBJECT.search(subject))
