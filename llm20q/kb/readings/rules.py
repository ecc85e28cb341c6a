"""The rule types a question's reading is written in, and how one WordNet sense is read.

A :class:`Reading` is an ordered list of rules for one table question; the first rule that
speaks about a sense decides its answer (yes or no) and names the source that decided:

- :class:`Is`: the sense's hypernym closure contains one of the named synsets ("an appliance
  is a device", "a vehicle is no container");
- :class:`Gloss`: the sense's gloss (its definition, examples left out) or its own lemma names
  contain one of the words ("a kitchen appliance (usually electric) for toasting bread" says
  kitchen and electric), optionally only for senses under some synsets;
- :class:`Lex`: the sense's lexicographer file (``noun.food``, ``noun.animal``);
- a reading's ``modifiers``: a compound candidate whose first word is one of them ("wooden
  spoon" is made of wood, "kitchen scale" is found in a kitchen), before its head's senses.

When no rule speaks, a taxonomy question falls back on WordNet's own answer (its targets, as
:mod:`llm20q.kb.taxonomy` reads them) and a property question on the reading's ``default``.

A candidate's p(yes) is the sense-weighted mean of its senses' answers
(:class:`llm20q.kb.senses.SenseTable`); a reading marked ``any_sense`` answers yes when any
sense of at least :data:`ANY_SENSE_WEIGHT` says yes (people hear "carrot" as the vegetable, not
the plant WordNet weighs more). The source of a candidate's answer is the one that decided its
heaviest sense.

Shortcut: rules are hand-written from ordinary usage and WordNet's tree, not learnt; a rule names
synsets by their nltk-style names and a name WordNet lacks is skipped (listed by
:func:`unresolved`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from llm20q.kb.output import DEFAULT as DEFAULT
from llm20q.kb.output import GLOSS as GLOSS
from llm20q.kb.output import IS as IS
from llm20q.kb.output import LEX as LEX
from llm20q.kb.output import LLM as LLM
from llm20q.kb.output import MOD as MOD
from llm20q.kb.output import SOURCES as SOURCES
from llm20q.kb.output import UNLABELLED as UNLABELLED
from llm20q.kb.output import WORDNET as WORDNET
from llm20q.kb.wordnet import WordNet

ANY_SENSE_WEIGHT = 0.025  # a sense lighter than this does not make an any-sense reading yes

_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Is:
    """Yes or no when the sense falls under one of ``synsets`` (nltk-style names)."""

    synsets: tuple[str, ...]
    answer: bool


@dataclass(frozen=True)
class Gloss:
    """Yes or no when the gloss or lemma names hold one of ``words``; only under ``within``
    synsets when given."""

    words: tuple[str, ...]
    answer: bool
    within: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lex:
    """Yes or no when the sense's lexicographer file is one of ``files``."""

    files: tuple[str, ...]
    answer: bool


Rule = Is | Gloss | Lex


@dataclass(frozen=True)
class Reading:
    """How people read one table question, as rules over WordNet senses."""

    question: str
    rules: tuple[Rule, ...]
    default: bool = False  # property questions: the answer when no rule speaks
    any_sense: bool = False
    # Yes for a compound whose first word is one of these ("wooden spoon", "electric kettle",
    # "garden hose"), whatever its head noun's senses say (source ``mod``).
    modifiers: tuple[str, ...] = ()


def gloss_words(wordnet: WordNet, offset: int) -> frozenset[str]:
    """The words of a synset's definition (examples in quotes left out) and of its lemmas."""
    synset = wordnet.synsets[offset]
    text = synset.gloss.split('"')[0].lower()
    words = set(_WORD.findall(text))
    for lemma in synset.lemmas:
        words.update(_WORD.findall(lemma.lower()))
    return frozenset(words)


def _resolve(wordnet: WordNet, names: tuple[str, ...]) -> frozenset[int]:
    found: set[int] = set()
    for name in names:
        try:
            found.add(wordnet.resolve(name))
        except KeyError:
            continue
    return frozenset(found)


def unresolved(wordnet: WordNet, readings: tuple[Reading, ...]) -> list[str]:
    """Synset names the readings use that ``wordnet`` does not know (a review aid)."""
    names = {
        n
        for r in readings
        for rule in r.rules
        for n in (rule.synsets if isinstance(rule, Is) else getattr(rule, "within", ()))
    }
    missing = []
    for name in sorted(names):
        try:
            wordnet.resolve(name)
        except KeyError:
            missing.append(name)
    return missing


@dataclass
class CompiledReading:
    """A reading with its synset names resolved, answering one sense at a time (cached)."""

    reading: Reading
    wordnet: WordNet
    fallback: frozenset[int] | None = None  # WordNet targets (offsets) of a taxonomy question
    fallback_lex: frozenset[str] = frozenset()
    glosses: dict[int, frozenset[str]] = field(default_factory=dict)  # shared between readings
    _cache: dict[int, tuple[bool, int]] = field(default_factory=dict)

    @cached_property
    def _rules(self) -> list[tuple[Rule, frozenset[int]]]:
        out: list[tuple[Rule, frozenset[int]]] = []
        for rule in self.reading.rules:
            if isinstance(rule, Is):
                out.append((rule, _resolve(self.wordnet, rule.synsets)))
            elif isinstance(rule, Gloss):
                out.append((rule, _resolve(self.wordnet, rule.within)))
            else:
                out.append((rule, frozenset()))
        return out

    def _gloss(self, offset: int) -> frozenset[str]:
        words = self.glosses.get(offset)
        if words is None:
            words = self.glosses[offset] = gloss_words(self.wordnet, offset)
        return words

    def sense(self, offset: int) -> tuple[bool, int]:
        """(answer, source code) for one synset."""
        cached = self._cache.get(offset)
        if cached is not None:
            return cached
        wn = self.wordnet
        ancestors = wn.ancestors[offset]
        result: tuple[bool, int] | None = None
        for rule, synsets in self._rules:
            if isinstance(rule, Is):
                if not synsets.isdisjoint(ancestors):
                    result = (rule.answer, IS)
            elif isinstance(rule, Gloss):
                if (not rule.within or not synsets.isdisjoint(ancestors)) and not self._gloss(
                    offset
                ).isdisjoint(rule.words):
                    result = (rule.answer, GLOSS)
            elif wn.synsets[offset].lexname in rule.files:
                result = (rule.answer, LEX)
            if result is not None:
                break
        if result is None:
            if self.fallback is not None:
                hit = not self.fallback.isdisjoint(ancestors) or (
                    wn.synsets[offset].lexname in self.fallback_lex
                )
                result = (hit, WORDNET)
            else:
                result = (self.reading.default, DEFAULT)
        self._cache[offset] = result
        return result

    def candidate(self, senses: tuple[tuple[int, float], ...]) -> tuple[float, int]:
        """(p(yes), source code) of a word with these (offset, weight) senses."""
        p = 0.0
        best_weight, best_source = -1.0, DEFAULT
        for offset, weight in senses:
            answer, source = self.sense(offset)
            if self.reading.any_sense and answer and weight >= ANY_SENSE_WEIGHT:
                return 1.0, source
            p += weight * answer
            if weight > best_weight:
                best_weight, best_source = weight, source
        return min(p, 1.0), best_source
