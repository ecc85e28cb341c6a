"""Text helpers shared by the rules: question clean-up, folding, and item comparison.

- ``prep`` is the light clean-up every question gets before matching: curly quotes and dashes
  straightened, lowercased, whitespace collapsed, leading filler ("Question 3:", "Okay,",
  "Answer yes or no:") and trailing filler ("?", "(yes or no)", "(case-insensitive)") dropped,
  and one pair of quotes around the whole question removed. Nothing else is rewritten: the
  rules must then match the WHOLE cleaned question.
- Letter questions are case- and accent-insensitive: ``fold`` lowercases and drops accents
  ("É" counts as "e"); the keyword's first/last letter is its first/last character after
  stripping surrounding punctuation and spaces (``core``, ``first_letter``, ``last_letter``).
- ONE_OF items and keywords are compared after ``norm_item`` (folded, a leading article
  dropped, punctuation and spaces dropped), allowing simple plurals (``plural_forms``: +s, +es,
  y -> ies). These are spelling shortcuts, not a lemmatiser: "mouse"/"mice" do not match.
"""

from __future__ import annotations

import re
import unicodedata

_STRAIGHTEN = str.maketrans(
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


def prep(question: str) -> str:
    """Straighten quotes, lowercase, collapse spaces, drop leading/trailing filler."""
    q = re.sub(r"\s+", " ", question.translate(_STRAIGHTEN).lower()).strip()
    q = _LEAD_FILLER.sub("", q)
    prev = None
    # Trailing filler and surrounding quotes can nest ('"Is it X?" (yes or no)'): peel until stable.
    while prev != q:
        prev = q
        q = _TRAIL_FILLER.sub("", q).strip()
        if len(q) >= 2 and q[0] == q[-1] and q[0] in "\"'":
            q = q[1:-1].strip()
    return q


def fold(text: str) -> str:
    """Lowercase and drop accents (for letter questions)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def core(keyword: str) -> str:
    """The keyword folded, without surrounding punctuation or spaces."""
    return re.sub(r"^[\W_]+|[\W_]+$", "", fold(keyword))


def first_letter(text: str) -> str:
    """The first letter exactly as the rules see it: ``core(text)[:1]``, i.e. folded (lowercase,
    no accents) after stripping leading punctuation and spaces; "" when there is none.

    Letter-range and first-letter questions are answered with this, so a questioner that
    partitions candidates by it agrees with our answerer."""
    # Fast path for the common case; gives the same as ``core`` (an ASCII letter or digit is
    # never stripped, and folding it is just lowercasing).
    if text and text[0].isascii() and text[0].isalnum():
        return text[0].lower()
    return core(text)[:1]


def last_letter(text: str) -> str:
    """The last letter as the rules see it: ``core(text)[-1:]``; "" when there is none."""
    return core(text)[-1:]


def plural(word: str) -> str:
    """The regular English plural: +"es" after s, x, z, ch, sh; else +"s"."""
    return word + "es" if word.endswith(("s", "x", "z", "ch", "sh")) else word + "s"


def plural_forms(item: str) -> set[str]:
    """``item`` and the simple plurals ``same_item`` accepts for it.

    Deliberately looser than ``plural``: both +s and +es whatever the ending, and y -> ies, so
    "box"/"boxs" and "tomato"/"tomatos" also match (misspellings cost nothing here)."""
    forms = {item, item + "s", item + "es"}
    if len(item) > 1 and item.endswith("y"):
        forms.add(item[:-1] + "ies")
    return forms


def norm_item(text: str) -> str:
    """Normalise a list item / keyword for ONE_OF matching."""
    t = fold(text).strip()
    t = re.sub(r"^(?:the|a|an)\s+", "", t)
    return re.sub(r"[\W_]+", "", t)


def same_item(a: str, b: str) -> bool:
    """Do ``a`` and ``b`` name the same thing under our normalisation (simple plurals allowed)?"""
    x, y = norm_item(a), norm_item(b)
    if not x or not y:
        return False
    return y in plural_forms(x) or x in plural_forms(y)


def unquote(text: str) -> tuple[str, bool]:
    """Strip one pair of surrounding quotes; return (text, was_quoted).

    Not stripped when the inside holds another double quote or a quote that is not an
    apostrophe inside a word: '"a" or "b"' is two quoted items, not one."""
    t = text.strip()
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "\"'":
        inner = t[1:-1]
        if '"' not in inner and not re.search(r"(?<!\w)'|'(?!\w)", inner):
            return inner.strip(), True
    return t, False
