"""A small reader for the noun part of the WordNet 3.0 database files (build time only).

Reads ``data.noun`` (synsets: lexicographer file, lemmas, hypernym pointers, gloss),
``index.noun`` (each lemma's senses in WordNet's sense order), ``index.sense`` (per-sense tag
counts, from Debian's ``wordnet-sense-index``; optional) and ``noun.exc`` (irregular plurals), as
Debian's ``wordnet-base`` installs them under ``/usr/share/wordnet``.

Shortcuts: synsets are keyed by the byte offset written at the start of each ``data.noun`` line
(we never seek), so a hand-made subset of the files (``tests/data/wordnet``) reads the same way;
pointers to synsets missing from a subset are dropped. Only hypernym (``@``) and instance
hypernym (``@i``) pointers are kept. :func:`WordNet.morphy` is WordNet's noun morphology (the
exception list, then the suffix rules), without the verb/adjective parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

DEFAULT_WORDNET_DIR = Path("/usr/share/wordnet")

# The 45 lexicographer files of WordNet 3.0, numbered as in the lexnames(5WN) man page (Debian does
# not ship the ``lexnames`` file itself). Only the noun rows (03-28) occur in data.noun.
LEXNAMES: tuple[str, ...] = (
    "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
    "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event",
    "noun.feeling", "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object",
    "noun.person", "noun.phenomenon", "noun.plant", "noun.possession", "noun.process",
    "noun.quantity", "noun.relation", "noun.shape", "noun.state", "noun.substance", "noun.time",
    "verb.body", "verb.change", "verb.cognition", "verb.communication", "verb.competition",
    "verb.consumption", "verb.contact", "verb.creation", "verb.emotion", "verb.motion",
    "verb.perception", "verb.possession", "verb.social", "verb.stative", "verb.weather",
    "adj.ppl",
)  # fmt: skip

# WordNet's noun detachment rules (morph.c): plural suffix -> singular suffix.
_NOUN_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
    ("men", "man"), ("ies", "y"),
)  # fmt: skip


@dataclass
class Synset:
    """One noun synset: its lexicographer file, lemmas (``_`` kept) and direct hypernyms."""

    offset: int
    lexname: str
    lemmas: tuple[str, ...]
    hypernyms: tuple[int, ...]
    instance_of: tuple[int, ...]
    gloss: str
    hyponym_count: int = 0  # direct hyponyms and instances: a rough salience signal

    @property
    def is_instance(self) -> bool:
        return bool(self.instance_of)


@dataclass(frozen=True)
class Sense:
    """One noun sense of a lemma: synset offset, 0-based sense rank and SemCor tag count."""

    offset: int
    rank: int
    tag_count: int


@dataclass
class WordNet:
    """The noun synsets and the lemma index of one WordNet database folder."""

    folder: Path
    synsets: dict[int, Synset]
    senses: dict[str, tuple[Sense, ...]]  # lowercase lemma with "_" -> senses in sense order
    exceptions: dict[str, tuple[str, ...]]  # irregular plural -> singular lemmas
    adjectives: frozenset[str] = field(default_factory=frozenset)
    verbs: frozenset[str] = field(default_factory=frozenset)
    # lowercase lemma -> SemCor tag counts (noun senses, senses of the other parts of speech)
    pos_tags: dict[str, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path = DEFAULT_WORDNET_DIR) -> WordNet:
        """Parse the noun files of ``folder`` (index.sense and the adj/verb indexes optional)."""
        folder = Path(folder)
        data = folder / "data.noun"
        if not data.is_file():
            raise FileNotFoundError(
                f"{data} not found: install WordNet 3.0 with "
                "`apt-get install --no-install-recommends wordnet-base wordnet-sense-index`"
            )
        synsets = _read_data_noun(data)
        tags, pos_tags = _read_tag_counts(folder / "index.sense")
        senses = _read_index_noun(folder / "index.noun", synsets, tags)
        exceptions = _read_exceptions(folder / "noun.exc")
        return cls(
            folder=folder,
            synsets=synsets,
            senses=senses,
            exceptions=exceptions,
            adjectives=_read_index_lemmas(folder / "index.adj"),
            verbs=_read_index_lemmas(folder / "index.verb"),
            pos_tags=pos_tags,
        )

    def input_files(self) -> list[Path]:
        """The files this reader used (for the build manifest)."""
        names = ("data.noun", "index.noun", "index.sense", "noun.exc", "index.adj", "index.verb")
        return [self.folder / n for n in names if (self.folder / n).is_file()]

    def resolve(self, name: str) -> int:
        """Offset of an nltk-style synset name ``lemma.n.NN`` (the lemma's NN-th noun sense)."""
        lemma, pos, number = name.rsplit(".", 2)
        if pos != "n":
            raise ValueError(f"{name}: only noun synsets are supported")
        senses = self.senses.get(lemma.lower())
        index = int(number) - 1
        if senses is None or not 0 <= index < len(senses):
            raise KeyError(f"{name}: no such noun sense in {self.folder}")
        return senses[index].offset

    def morphy(self, word: str) -> list[str]:
        """Noun base forms of ``word`` (lowercase, ``_`` for spaces) known to WordNet."""
        word = word.lower().replace(" ", "_")
        found: list[str] = []
        if word in self.senses:
            found.append(word)
        for base in self.exceptions.get(word, ()):
            if base in self.senses and base not in found:
                found.append(base)
        if word.endswith("ss"):
            return found
        for suffix, replacement in _NOUN_SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix):
                base = word[: len(word) - len(suffix)] + replacement
                if base in self.senses and base not in found:
                    found.append(base)
        return found

    @cached_property
    def ancestors(self) -> dict[int, frozenset[int]]:
        """Every synset's hypernym closure (class and instance hypernyms), itself included."""
        closure: dict[int, frozenset[int]] = {}
        for offset in self.synsets:
            _closure(offset, self.synsets, closure)
        return closure


def _closure(start: int, synsets: dict[int, Synset], memo: dict[int, frozenset[int]]) -> None:
    """Fill ``memo`` for ``start`` and its ancestors without recursion (deep chains exist)."""
    stack = [start]
    while stack:
        offset = stack[-1]
        if offset in memo:
            stack.pop()
            continue
        synset = synsets[offset]
        parents = [p for p in (*synset.hypernyms, *synset.instance_of) if p in synsets]
        missing = [p for p in parents if p not in memo]
        if missing:
            stack.extend(missing)
            continue
        stack.pop()
        result = {offset}
        for parent in parents:
            result |= memo[parent]
        memo[offset] = frozenset(result)


def _read_data_noun(path: Path) -> dict[int, Synset]:
    synsets: dict[int, Synset] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("  "):  # licence header
                continue
            body, _, gloss = line.partition(" | ")
            fields = body.split()
            offset = int(fields[0])
            lexname = LEXNAMES[int(fields[1])]
            word_count = int(fields[3], 16)
            lemmas = tuple(fields[4 + 2 * i] for i in range(word_count))
            position = 4 + 2 * word_count
            pointer_count = int(fields[position])
            hypernyms: list[int] = []
            instance_of: list[int] = []
            hyponyms = 0
            for i in range(pointer_count):
                symbol, target = fields[position + 1 + 4 * i], fields[position + 2 + 4 * i]
                if symbol == "@":
                    hypernyms.append(int(target))
                elif symbol == "@i":
                    instance_of.append(int(target))
                elif symbol in ("~", "~i"):
                    hyponyms += 1
            synsets[offset] = Synset(
                offset,
                lexname,
                lemmas,
                tuple(hypernyms),
                tuple(instance_of),
                gloss.strip(),
                hyponyms,
            )
    return synsets


def _read_tag_counts(
    path: Path,
) -> tuple[dict[tuple[str, int], int], dict[str, tuple[int, int]]]:
    """(lowercase lemma, synset offset) -> tag count of noun senses (``%1:`` sense keys), and
    lemma -> (noun tag count, tag count of its verb, adjective and adverb senses)."""
    counts: dict[tuple[str, int], int] = {}
    totals: dict[str, list[int]] = {}
    if not path.is_file():
        return counts, {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            key, offset, _number, tag_count = line.split()
            lemma, _, rest = key.partition("%")
            entry = totals.setdefault(lemma, [0, 0])
            if rest.startswith("1:"):
                counts[(lemma, int(offset))] = int(tag_count)
                entry[0] += int(tag_count)
            else:
                entry[1] += int(tag_count)
    return counts, {k: (v[0], v[1]) for k, v in totals.items()}


def _read_index_noun(
    path: Path, synsets: dict[int, Synset], tags: dict[tuple[str, int], int]
) -> dict[str, tuple[Sense, ...]]:
    senses: dict[str, tuple[Sense, ...]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("  "):
                continue
            fields = line.split()
            lemma = fields[0]
            synset_count = int(fields[2])
            offsets = [int(x) for x in fields[len(fields) - synset_count :]]
            entries = tuple(
                Sense(offset, rank, tags.get((lemma, offset), 0))
                for rank, offset in enumerate(offsets)
                if offset in synsets
            )
            if entries:
                senses[lemma] = entries
    return senses


def _read_exceptions(path: Path) -> dict[str, tuple[str, ...]]:
    exceptions: dict[str, tuple[str, ...]] = {}
    if not path.is_file():
        return exceptions
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.split()
            if len(fields) >= 2:
                exceptions[fields[0]] = tuple(fields[1:])
    return exceptions


def _read_index_lemmas(path: Path) -> frozenset[str]:
    if not path.is_file():
        return frozenset()
    with path.open(encoding="utf-8") as handle:
        return frozenset(line.split(" ", 1)[0] for line in handle if not line.startswith("  "))
