"""Candidate keywords and their prior (build time only).

Candidates come from six sources, merged on the judge's normalisation (lowercase, no spaces,
punctuation or "the"; :func:`merge_key` keeps a "the" inside a word), so "bird cage" and
"birdcage" are one candidate:

1. WordNet 3.0 noun lemmas (``_`` -> space) with at least one sense that is not an instance
   (proper names of people and places are dropped) nor a taxonomic group (genus, family...).
2. Noun compounds from the bigram lists of :mod:`llm20q.kb.sources`: both tokens ASCII
   letters, the head (last word) a WordNet noun (a plural head is singularised with WordNet's
   morphology), the modifier a WordNet noun or adjective and not a function word or a
   non-classifying adjective ("new car", "the car" are dropped by :data:`STOP_MODIFIERS`).
3. Nouns of the dictd dictionaries (two releases of Ding's English-German, the Wiktionary ones):
   2-3 word compounds under the same filters, and single words unknown to WordNet when wordfreq
   knows them (zipf >= :data:`DICT_WORD_MIN_ZIPF`).
4. Google's product taxonomy (:func:`llm20q.kb.sources.product_phrases`): its 2-3 word
   phrases under the dictionary's filters and its single words unknown to WordNet (any
   frequency: the list is curated).
5. The class names of five image datasets (:func:`llm20q.kb.sources.image_class_names`), the
   same way.
6. The official keyword list (unless excluded).

Every candidate gets a sense distribution over WordNet synsets (its own senses, or its head's;
see :mod:`llm20q.kb.senses`).

Prior (natural log, unnormalised): ``FREQ_WEIGHT * zipf`` + ``log(concreteness)`` + penalties for
extra words, capitalised-only lemmas and compounds known only from the dictionaries, the product
taxonomy or the image datasets. ``zipf`` is wordfreq's for single words and, for compounds, the
bigram count of the web corpus (symspellpy's book counts are shifted onto that scale) or, when
absent from both lists, an estimate capped below the lists' cut-off. The constants are hand-set,
not fitted to the official list.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from agent.game import judge_normalize, judge_variants
from llm20q.kb.senses import SenseTable
from llm20q.kb.sources import BigramList, DictNoun

SOURCE_WORDNET = 1
SOURCE_BIGRAM = 2
SOURCE_FREEDICT = 4
SOURCE_OFFICIAL = 8
SOURCE_PRODUCTS = 16
SOURCE_IMAGES = 32
# Each source flag's name (the manifest's counts, the prior's features), in bit order.
SOURCE_NAMES: dict[int, str] = {
    SOURCE_WORDNET: "wordnet",
    SOURCE_BIGRAM: "bigram",
    SOURCE_FREEDICT: "dictionary",
    SOURCE_OFFICIAL: "official",
    SOURCE_PRODUCTS: "products",
    SOURCE_IMAGES: "image datasets",
}

FREQ_WEIGHT = 1.0  # nats of prior per zipf unit: p ~ 10 ** (0.43 * zipf)
EXTRA_WORD_PENALTY = 0.5  # per word beyond the first (on top of the lower phrase frequency)
CAPITALISED_PENALTY = 2.0  # lemmas WordNet only writes capitalised (Frisbee, Dalmatian)
DICT_ONLY_PENALTY = 0.5  # compounds known only from FreeDict (no bigram count)
OFFICIAL_BONUS = 1.0  # when the official list is included
MIN_ZIPF = 1.0  # floor for words wordfreq does not know
BIGRAM_FLOOR_ZIPF = 2.2  # web-scale zipf below which bigrams are missing from the lists
DICT_WORD_MIN_ZIPF = 2.0  # single dictionary words unknown to WordNet
NAME_HOMOGRAPH_PENALTY = 1.0  # zipf units off words that are also a capitalised WordNet name

# Closed-class words: WordNet has some of them as nouns ("a" = vitamin A, "he" = helium), but
# their corpus frequency is not a noun's. Their zipf is capped at FUNCTION_WORD_MAX_ZIPF.
FUNCTION_WORDS = frozenset(
    """
    a an the this that these those my your his her its our their some any no every each all both
    either neither other another such what which whose whatever more most less least few many
    much several own same only just very too also even ever never not still well so yet
    i me you he she it we they him us them who whom in on at by for with about against between
    into through during before after above below to from up down out off over under again
    further then once here there when where why how and but or nor if because as until
    while of per via upon be is am are was were been being have has had do does did get got
    can could will would shall should may might must come go make take back
    one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred thousand million billion
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# Modifiers that make free combinations ("new car", "good idea"), not names of things: function
# words and evaluative or deictic adjectives (classifying ones stay: "light switch"), plus a few
# web-spam tokens of the bigram lists.
STOP_MODIFIERS = FUNCTION_WORDS | frozenset(
    """
    new old good bad great best better worse worst big large small little huge tiny whole entire
    next previous last latter former due able available possible likely recent late certain
    important nice fine poor cheap expensive easy simple different similar various numerous
    beautiful pretty ugly happy sad funny strange weird cute lovely wonderful amazing awesome
    perfect favorite favourite typical overall said following given please
    non pre post anti pro un re
    porn porno sex sexy nude naked xxx fuck fucking masturbating incest bestiality hentai milf
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
FUNCTION_WORD_MAX_ZIPF = 3.0

_WORD = re.compile(r"^[a-z]+$")
_SEPARATORS = re.compile(r"[ -]+")
_LEMMA = re.compile(r"^[a-z][a-z' .\-]*[a-z.]$|^[a-z]$")


@dataclass
class Candidate:
    """A candidate keyword before it is written out."""

    text: str
    sources: int
    sense_lemma: str | None  # WordNet lemma (``_`` form) whose senses it takes
    own_senses: bool  # the sense lemma is the candidate itself, not its head noun
    bigram_zipf: float | None = None  # web-scale zipf of a two-word compound
    capitalised: bool = False
    words: int = 1  # tokens separated by spaces or hyphens

    def __post_init__(self) -> None:
        self.words = len(_SEPARATORS.split(self.text))


@dataclass
class LexiconOptions:
    """What goes into the candidate list."""

    bigrams: bool = True
    freedict: bool = True
    products: bool = True
    images: bool = True
    official: bool = True
    only: frozenset[str] | None = None  # keep only these candidates (tests, experiments)


# Curated lists: a compound only they name has no corpus count.
CURATED_LISTS = SOURCE_FREEDICT | SOURCE_PRODUCTS | SOURCE_IMAGES


def _is_name(word: str, table: SenseTable) -> bool:
    """WordNet knows ``word`` only as a proper name (an instance, a capitalised lemma)."""
    wn = table.wordnet
    if word in wn.adjectives or word in wn.verbs or word not in wn.senses:
        return False
    if table.class_senses(word) and not table.is_capitalised(word):
        return False
    # Acronyms (DVD, USB) are written all in capitals: not names.
    written = {w for s in wn.senses[word] for w in wn.synsets[s.offset].lemmas if w.lower() == word}
    return not any(w.isupper() for w in written)


def _is_modifier(word: str, table: SenseTable, strict: bool) -> bool:
    """Can ``word`` modify a head noun? ``strict`` (uncurated bigram lists): it must be a WordNet
    noun lemma or adjective; otherwise (dictionaries) any word that is not a name will do."""
    if word in STOP_MODIFIERS or len(word) < 2 or _is_name(word, table):
        return False
    if not strict:
        return True
    # A noun in its base form ("coffee", not "offers") or an adjective ("electric").
    return word in table.wordnet.adjectives or bool(table.class_senses(word))


def compound(
    words: Sequence[str], table: SenseTable, strict: bool = True
) -> tuple[str, str | None] | None:
    """(candidate text, head lemma) for a 2-3 word noun compound, or None when filtered out.
    ``strict``: the head must be a WordNet noun (else any word; its lemma is then None)."""
    if not 2 <= len(words) <= 3 or not all(_WORD.match(w) for w in words):
        return None
    head = words[-1]
    if len(head) < 3 or head in STOP_MODIFIERS or _is_name(head, table):
        return None
    lemma = table.head_lemma(head)
    if (lemma is None and strict) or not all(_is_modifier(w, table, strict) for w in words[:-1]):
        return None
    # A plural head is written singular (the judge accepts the s/es plural of a guess).
    last = head if lemma is None or head in table.wordnet.senses else lemma.replace("_", " ")
    return " ".join([*words[:-1], last]), lemma


def merge_key(text: str) -> str:
    """The key candidates merge on: the judge's normalisation, except that a "the" inside the
    text stays ("lathe" and "la" are one guess to the judge, but the alphabetical questions place
    them apart, so both candidates are kept)."""
    return judge_normalize(text.lower().replace("the", "\0")).replace("\0", "the")


def _merge(found: dict[str, Candidate], candidate: Candidate) -> None:
    key = merge_key(candidate.text)
    if not key:
        return
    existing = found.get(key)
    if existing is None:
        found[key] = candidate
        return
    existing.sources |= candidate.sources
    if candidate.bigram_zipf is not None:
        existing.bigram_zipf = max(existing.bigram_zipf or -99.0, candidate.bigram_zipf)
    # A WordNet lemma wins over a compound, and a solid word over a spaced or hyphenated one;
    # otherwise the first text seen stays.
    if candidate.own_senses and (not existing.own_senses or candidate.words < existing.words):
        existing.text = candidate.text
        existing.words = candidate.words
        existing.sense_lemma = candidate.sense_lemma
        existing.own_senses = True
        existing.capitalised = candidate.capitalised
    elif existing.sense_lemma is None and candidate.sense_lemma is not None:
        existing.sense_lemma = candidate.sense_lemma


def combine_bigrams(lists: Sequence[BigramList]) -> dict[tuple[str, str], float]:
    """Union of the bigram lists on the scale of the last list (the web corpus); other lists
    are shifted by the median difference over the bigrams they share with it."""
    if not lists:
        return {}
    reference = lists[-1].zipf
    combined: dict[tuple[str, str], float] = dict(reference)
    for other in lists[:-1]:
        shared = sorted(reference[k] - v for k, v in other.zipf.items() if k in reference)
        shift = shared[len(shared) // 2] if shared else 0.0
        for key, value in other.zipf.items():
            shifted = value + shift
            if shifted > combined.get(key, -99.0):
                combined[key] = shifted
    return combined


def _phrase_zipf(text: str, bigrams: dict[tuple[str, str], float]) -> float | None:
    """Bigram zipf of a two-token candidate, its s/es plurals added (None when not listed)."""
    tokens = _SEPARATORS.split(text)
    if len(tokens) != 2:
        return None
    first, second = tokens
    values = [bigrams.get((first, second + end)) for end in ("", "s", "es")]
    listed = [v for v in values if v is not None]
    if not listed:
        return None
    return math.log10(sum(10.0**v for v in listed))


def collect_candidates(
    table: SenseTable,
    options: LexiconOptions,
    bigram_lists: Sequence[BigramList] = (),
    dict_nouns: Iterable[DictNoun] = (),
    official: Sequence[str] = (),
    zipf: Callable[[str], float] | None = None,
    products: Iterable[str] = (),
    image_classes: Iterable[str] = (),
) -> list[Candidate]:
    """All candidates, merged on the judge's normalisation, sorted by text."""
    found: dict[str, Candidate] = {}
    wn = table.wordnet
    for name in sorted(wn.senses):
        text = name.replace("_", " ")
        if not _LEMMA.match(text) or not table.class_senses(name):
            continue
        capitalised = table.is_capitalised(name)
        _merge(found, Candidate(text, SOURCE_WORDNET, name, True, capitalised=capitalised))
    bigrams = combine_bigrams(bigram_lists)
    if options.bigrams:
        for (first, second), value in sorted(bigrams.items()):
            made = compound((first, second), table)
            if made is not None:
                _merge(found, Candidate(made[0], SOURCE_BIGRAM, made[1], False, value))
    if options.freedict:
        seen: set[str] = set()
        plural_only: list[str] = []
        for noun in dict_nouns:
            if noun.plural_only:
                plural_only.append(noun.headword.lower())
            else:
                _add_dict_noun(found, noun.headword.lower(), table, zipf, seen)
        for word in plural_only:  # kept only when no singular made it
            if not (judge_variants(word) & found.keys()):
                _add_dict_noun(found, word, table, zipf, seen)
    for wanted, phrases, source in (
        (options.products, products, SOURCE_PRODUCTS),
        (options.images, image_classes, SOURCE_IMAGES),
    ):
        if not wanted:
            continue
        seen = set()
        for phrase in phrases:
            _add_dict_noun(found, phrase, table, zipf, seen, source, min_zipf=0.0, mark_known=True)
    if options.official:
        for keyword in official:
            text = " ".join(keyword.lower().split())
            words = text.split()
            lemma: str | None = next(iter(wn.morphy("_".join(words))), None)
            own = lemma is not None and bool(table.class_senses(lemma))
            if not own and words:
                lemma = table.head_lemma(words[-1])
                if lemma is None and len(words) == 1:
                    lemma = table.solid_head(words[0])
            _merge(found, Candidate(text, SOURCE_OFFICIAL, lemma, own))
    candidates = list(found.values())
    if options.only is not None:
        keep_keys = {judge_normalize(w) for w in options.only}
        candidates = [c for c in candidates if judge_normalize(c.text) in keep_keys]
    for c in candidates:
        if c.words == 2:
            listed = _phrase_zipf(c.text, bigrams)
            if listed is not None and listed > (c.bigram_zipf or -99.0):
                c.bigram_zipf = listed
    candidates.sort(key=lambda c: c.text)
    return candidates


def _add_dict_noun(
    found: dict[str, Candidate],
    word: str,
    table: SenseTable,
    zipf: Callable[[str], float] | None,
    seen: set[str],
    source: int = SOURCE_FREEDICT,
    min_zipf: float = DICT_WORD_MIN_ZIPF,
    mark_known: bool = False,
) -> None:
    """Add a dictionary headword (or product name) as a candidate, under ``source``.
    ``mark_known``: a single word WordNet already has as a noun gets the source's flag."""
    if word in seen:
        return
    seen.add(word)
    words = word.split()
    if len(words) == 1:
        # New single words only: inflections of WordNet nouns ("atheromata") are skipped.
        if not _WORD.match(word) or len(word) < 3:
            return
        lemmas = table.wordnet.morphy(word)
        if lemmas:
            known = found.get(merge_key(lemmas[0].replace("_", " "))) if mark_known else None
            if known is not None:
                known.sources |= source
            return
        if _is_name(word, table) or zipf is None or zipf(word) < min_zipf:
            return
        _merge(found, Candidate(word, source, table.solid_head(word), False))
        return
    made = compound(words, table, strict=False)
    if made is not None:
        _merge(found, Candidate(made[0], source, made[1], False))


def candidate_zipf(c: Candidate, table: SenseTable, zipf: Callable[[str], float]) -> float:
    """The frequency term of the prior (see the module docstring)."""
    if c.words == 1:
        z = max(zipf(c.text), MIN_ZIPF)
        if c.text in FUNCTION_WORDS:
            z = min(z, FUNCTION_WORD_MAX_ZIPF)
        # wordfreq counts every part of speech: keep the noun share (SemCor tag counts).
        noun, other = table.wordnet.pos_tags.get(c.text, (0, 0))
        z += math.log10((noun + 1.0) / (noun + other + 1.0))
        if table.is_name_homograph(c.text):
            z -= NAME_HOMOGRAPH_PENALTY  # "china", "japan": the corpus counts the name
        return z
    if c.bigram_zipf is not None:
        return c.bigram_zipf
    if "-" in c.text and " " not in c.text:
        solid = zipf(c.text.replace("-", ""))
        if solid > 0:
            return solid
    # wordfreq's phrase value is about the rarest word's, not a phrase frequency: cap it below
    # the bigram lists' cut-off, lower for longer phrases.
    cap = BIGRAM_FLOOR_ZIPF - 0.5 * (c.words - 2)
    return max(min(zipf(c.text) - 1.5, cap), MIN_ZIPF)


def log_priors(
    candidates: Sequence[Candidate], table: SenseTable, zipf: Callable[[str], float]
) -> list[float]:
    """Unnormalised natural-log prior of every candidate (see the module docstring)."""
    priors: list[float] = []
    for c in candidates:
        value = FREQ_WEIGHT * candidate_zipf(c, table, zipf)
        value += math.log(table.concreteness(c.sense_lemma))
        value -= EXTRA_WORD_PENALTY * (c.words - 1)
        if c.capitalised:
            value -= CAPITALISED_PENALTY if c.words == 1 else CAPITALISED_PENALTY / 4
        if c.words > 1 and not c.sources & ~CURATED_LISTS and c.bigram_zipf is None:
            value -= DICT_ONLY_PENALTY
        if c.sources & SOURCE_OFFICIAL:
            value += OFFICIAL_BONUS
        priors.append(value)
    return priors


def covered(candidates: Iterable[str], keywords: Iterable[Sequence[str]]) -> list[bool]:
    """For each keyword (a keyword and its alternatives): would the judge accept a candidate?"""
    keys = {judge_normalize(c) for c in candidates}
    return [any(judge_variants(name) & keys for name in names) for names in keywords]


def coverage(candidates: Iterable[str], keywords: Iterable[Sequence[str]]) -> tuple[int, int]:
    """(found, total) of :func:`covered`."""
    flags = covered(candidates, keywords)
    return sum(flags), len(flags)
