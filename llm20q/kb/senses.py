"""Sense distributions of WordNet noun lemmas: which classes of things a word can mean, weighted.

A lemma's distribution covers its senses that are classes of things (instances, i.e. proper
names of people and places, and taxonomic groups such as genus or family are dropped). Weights
grow with the SemCor tag count, fall with the sense rank, grow with the number of hyponyms (a
salience signal: the hand-tool "hammer" has many, the gunlock part none) and are multiplied by
how thing-like the sense's lexicographer file is (:data:`CONCRETENESS`), since the game's
keywords are things. The candidates (:mod:`llm20q.kb.lexicon`) and the taxonomy answers
(:mod:`llm20q.kb.taxonomy`) are both built on it.

Shortcut: the weights and :data:`CONCRETENESS` are hand-set, not fitted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from llm20q.kb.wordnet import WordNet

# How thing-like each noun lexicographer file is (1 = the game's "things"). Hand-set.
CONCRETENESS: dict[str, float] = {
    "noun.artifact": 1.0, "noun.food": 1.0, "noun.animal": 0.8, "noun.plant": 0.7,
    "noun.object": 0.7, "noun.substance": 0.6, "noun.body": 0.5, "noun.communication": 0.25,
    "noun.location": 0.25, "noun.possession": 0.2, "noun.phenomenon": 0.2, "noun.Tops": 0.2,
    "noun.shape": 0.15, "noun.group": 0.12, "noun.person": 0.12, "noun.act": 0.12,
    "noun.cognition": 0.1, "noun.event": 0.1, "noun.state": 0.1, "noun.process": 0.1,
    "noun.attribute": 0.06, "noun.quantity": 0.06, "noun.time": 0.06, "noun.feeling": 0.05,
    "noun.relation": 0.04, "noun.motive": 0.03,
}  # fmt: skip


@dataclass
class SenseTable:
    """Sense distributions (synset offset, weight summing to 1) of WordNet lemmas, cached."""

    wordnet: WordNet
    excluded_roots: frozenset[int] = field(default_factory=frozenset)
    _cache: dict[str, tuple[tuple[int, float], ...]] = field(default_factory=dict)

    @classmethod
    def create(cls, wordnet: WordNet) -> SenseTable:
        roots: set[int] = set()
        for name in ("taxonomic_group.n.01",):
            try:
                roots.add(wordnet.resolve(name))
            except KeyError:
                continue
        return cls(wordnet, frozenset(roots))

    def class_senses(self, lemma: str) -> tuple[tuple[int, float], ...]:
        """Normalised weights of ``lemma``'s senses that are classes of things (cached)."""
        cached = self._cache.get(lemma)
        if cached is not None:
            return cached
        wn = self.wordnet
        weighted: list[tuple[int, float]] = []
        for sense in wn.senses.get(lemma, ()):
            synset = wn.synsets[sense.offset]
            if synset.is_instance or wn.ancestors[sense.offset] & self.excluded_roots:
                continue
            weight = (
                (sense.tag_count + 1.0)
                / math.sqrt(sense.rank + 1.0)
                * (1.0 + math.log1p(synset.hyponym_count))
                * CONCRETENESS.get(synset.lexname, 0.1)
            )
            weighted.append((sense.offset, weight))
        total = sum(w for _, w in weighted)
        result = tuple((o, w / total) for o, w in weighted) if total > 0 else ()
        self._cache[lemma] = result
        return result

    def is_capitalised(self, lemma: str) -> bool:
        """True when every class sense writes the lemma with a capital letter."""
        forms = []
        for offset, _ in self.class_senses(lemma):
            for written in self.wordnet.synsets[offset].lemmas:
                if written.lower() == lemma:
                    forms.append(written)
        return bool(forms) and all(f != f.lower() for f in forms)

    def is_name_homograph(self, word: str) -> bool:
        """True when some sense of ``word`` (instances included) is written capitalised."""
        for sense in self.wordnet.senses.get(word, ()):
            for written in self.wordnet.synsets[sense.offset].lemmas:
                if written.lower() == word and written != word and not written.isupper():
                    return True
        return False

    def head_lemma(self, word: str) -> str | None:
        """The WordNet lemma a (possibly plural) lowercase head noun takes its senses from."""
        for base in self.wordnet.morphy(word):
            if self.class_senses(base) and not self.is_capitalised(base):
                return base
        return None

    def solid_head(self, word: str) -> str | None:
        """For a solid compound WordNet lacks ("smartwatch"): the longest WordNet noun ending it
        after a prefix of at least three letters ("watch")."""
        for start in range(3, len(word) - 3):
            lemma = self.head_lemma(word[start:])
            if lemma is not None:
                return lemma
        return None

    def concreteness(self, lemma: str | None) -> float:
        """Expected :data:`CONCRETENESS` of a lemma under its (unweighted-by-lexname) senses."""
        if lemma is None:
            return 0.3
        senses = self.class_senses(lemma)
        if not senses:
            return 0.3
        # Undo the lexname factor inside the weights before averaging it.
        raw = [(o, w / CONCRETENESS.get(self.wordnet.synsets[o].lexname, 0.1)) for o, w in senses]
        total = sum(w for _, w in raw)
        return sum(w * CONCRETENESS.get(self.wordnet.synsets[o].lexname, 0.1) for o, w in raw) / (
            total
        )
