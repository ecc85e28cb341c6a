"""The keyword put into a question in place of "it": "Is it found in a kitchen?" about "Toaster"
becomes "Is a toaster found in a kitchen?".

A small model answers a self-contained question about a named thing far better than a question
about "it" with the thing named elsewhere in the prompt. :func:`keyword_question` rewrites, in
order of preference: the first "the keyword / the word / the thing / this object / the item"
phrase, else a leading "<auxiliary> it|this|that" ("Is it", "Does this"; the verb made plural
for plural keywords: "Are scissors ..."), else the first standalone "it" ("its" becomes the
possessive) or "this", else it prefixes "About <keyword>:".

:func:`noun_phrase` gives the keyword with an article: "a"/"an" by the first sound (a few
exceptions: "a unicorn", "an hour"; acronyms by their first letter's name: "an MRI"), none for
plurals, mass nouns of a short list ("water", "rice") and keywords that bring their own article.
Words are lowercased unless they carry a capital after their first letter ("iPhone", "USB").

Shortcuts: English spelling heuristics, not a grammar: plurals are the plural-only nouns listed
here and words ending in "s" (not "ss", "us", "is", and not a listed singular like "lens");
mass nouns are a fixed list of heads; later pronouns are left as they are (they then refer to
the named thing).
"""

from __future__ import annotations

import re

_AUXILIARIES = "is|are|was|were|does|do|did|can|could|would|will|should|might|may|must|has|have|had"
_LEADING_IT = re.compile(rf"^(\W*(?:{_AUXILIARIES}))\s+(?:it|this|that)\b(?!')", re.IGNORECASE)
_THE_KEYWORD = re.compile(
    r"\b(?:the|this|that|your)\s+(?:secret\s+|mystery\s+)?"
    r"(?:keyword|key word|word|thing|object|item)\b",
    re.IGNORECASE,
)
_IT = re.compile(r"\b(it|its)\b(?!')", re.IGNORECASE)
_THIS = re.compile(r"\bthis\b", re.IGNORECASE)
_PLURAL_VERB = {"is": "are", "was": "were", "does": "do", "has": "have"}
_SINGULAR_AUXILIARY = re.compile(r"^(\W*)(is|was|does|has)(\s+)$", re.IGNORECASE)


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


PLURAL_ONLY = _word_set(
    "scissors jeans pants trousers shorts tights leggings pajamas pyjamas overalls glasses "
    "sunglasses goggles binoculars tongs pliers tweezers shears clippers headphones earphones "
    "earbuds clothes stairs chopsticks dominoes dice cards"
)
SINGULAR_S = _word_set(
    "lens bus gas canvas atlas bias iris chaos news mathematics physics species series "
    "measles diabetes pancreas octopus cactus asparagus hummus walrus"
)
MASS_NOUNS = _word_set(
    "water milk juice coffee tea wine beer soda rice bread cheese butter sugar salt flour "
    "honey jam yogurt yoghurt cereal pasta soup chocolate popcorn broccoli spinach lettuce "
    "garlic ginger cinnamon vanilla meat sand soil dirt mud snow ice lava concrete cement "
    "gold silver copper zinc steel aluminum aluminium wood paper plastic cotton wool silk "
    "leather oil gasoline petrol air fire smoke rain glue paint ink toothpaste shampoo soap "
    "lotion sunscreen money furniture jewelry jewellery luggage equipment electricity"
)
_A_BEFORE_VOWEL = ("uni", "use", "usu", "ute", "uti", "ura", "ure", "euro", "eu", "one", "once",
                   "ubiq", "ukulele", "uku")  # fmt: skip
_AN_BEFORE_H = ("hour", "honest", "honor", "honour", "heir")


def _word_case(word: str) -> str:
    """Lowercased unless it has a capital after its first letter (iPhone, USB, McDonald)."""
    return word if any(c.isupper() for c in word[1:]) else word.lower()


def is_plural(keyword: str) -> bool:
    """Whether the keyword's last word looks plural (see the module's shortcuts)."""
    head = keyword.split()[-1].lower() if keyword.split() else ""
    if head in PLURAL_ONLY:
        return True
    if head in SINGULAR_S or len(head) <= 3:
        return False
    return head.endswith("s") and not head.endswith(("ss", "us", "is"))


def article(word: str) -> str:
    """ "a" or "an" before ``word`` (an acronym by its first letter's name: "an MRI", "a USB")."""
    if len(word) > 1 and word.isupper():
        return "an" if word[0] in "AEFHILMNORSX" else "a"
    low = word.lower()
    if low.startswith(_A_BEFORE_VOWEL):
        return "a"
    if low.startswith(_AN_BEFORE_H):
        return "an"
    return "an" if low[:1] in tuple("aeiou") else "a"


def noun_phrase(keyword: str) -> str:
    """The keyword as a noun phrase: "a toaster", "an apple", "scissors", "water"."""
    words = [_word_case(w) for w in keyword.split()]
    if not words:
        return "it"
    text = " ".join(words)
    head = words[-1].lower()
    if words[0].lower() in ("a", "an", "the", "some") or is_plural(text) or head in MASS_NOUNS:
        return text
    return f"{article(words[0])} {text}"


def _joined(before: str, subject: str, after: str, plural: bool) -> str:
    """``before + subject + after``: the subject capitalised at the start of the question, and a
    singular auxiliary right before a plural subject made plural ("Does jeans" -> "Do jeans")."""
    if not before:
        subject = subject[:1].upper() + subject[1:]
    verb = _SINGULAR_AUXILIARY.match(before)
    if plural and verb:
        plural_verb = _PLURAL_VERB[verb.group(2).lower()]
        if verb.group(2)[:1].isupper():
            plural_verb = plural_verb.capitalize()
        before = verb.group(1) + plural_verb + verb.group(3)
    return before + subject + after


def keyword_question(question: str, keyword: str) -> str:
    """``question`` about ``keyword`` with the keyword named where the question says "it"."""
    question = " ".join(question.split())
    subject = noun_phrase(keyword)
    plural = is_plural(subject)
    named = _THE_KEYWORD.search(question)
    if named:
        return _joined(question[: named.start()], subject, question[named.end() :], plural)
    leading = _LEADING_IT.match(question)
    if leading:
        before = leading.group(1) + " "
        return _joined(before, subject, question[leading.end() :], plural)
    pronoun = _IT.search(question) or _THIS.search(question)
    if pronoun:
        if pronoun.group(0).lower() == "its":
            subject += "'" if plural else "'s"
        return _joined(question[: pronoun.start()], subject, question[pronoun.end() :], plural)
    return f"About {subject}: {question}"
