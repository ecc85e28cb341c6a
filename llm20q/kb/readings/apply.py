"""Table rows from the readings: every candidate's p(yes) and the source that decided it.

:func:`reread` replaces, in the rows :mod:`llm20q.kb.taxonomy` and :mod:`llm20q.kb.label` made,
every row whose question has a reading (:data:`READINGS`): a curated taxonomy row keeps WordNet's
answer as the last rule (source ``wordnet``), a property row gets the reading's default where no
rule speaks (source ``default``). With model labels (the row's own from ``kb build --label-with``,
then the exported file's, :class:`llm20q.kb.readings.llm.LlmLabels`), a property answer no rule
decided is the model's p(yes) where it labelled the candidate (source ``llm``); a property
question without a reading takes the labels alone. A row's ``labelled`` counts the candidates
the model labelled, whether or not a rule overrode the label.

Layout: a taxonomy row lists the candidates whose answer is not "no from WordNet" (its default,
0); a property row lists the candidates whose answer is not its default, and the candidates
WordNet does not know at 0.5 (``unlabelled``).

A word is read through the senses a person pictures (:func:`thing_senses`): its thing senses,
the food sense over the plant's.

Shortcut: a compound candidate is read through the senses of its head noun ("kitchen knife" is
read as "knife"), as the taxonomy rows are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from llm20q.kb.lexicon import Candidate
from llm20q.kb.output import TableRow, quantise
from llm20q.kb.questions import curated_questions
from llm20q.kb.readings.broad import BROAD
from llm20q.kb.readings.everyday import EVERYDAY
from llm20q.kb.readings.llm import LlmLabels
from llm20q.kb.readings.properties import PROPERTY
from llm20q.kb.readings.rules import (
    ANY_SENSE_WEIGHT,
    DEFAULT,
    LLM,
    MOD,
    UNLABELLED,
    WORDNET,
    CompiledReading,
    Reading,
)
from llm20q.kb.senses import SenseTable
from llm20q.kb.taxonomy import target_id

READINGS: dict[str, Reading] = {r.question: r for r in (*BROAD, *PROPERTY, *EVERYDAY)}
Labels = tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]  # candidate indices, p(yes)

# Lexicographer files of the game's "things"; other senses (a school as an institution, a
# microwave as a wave) are set aside when a thing sense carries at least THING_WEIGHT.
THING_FILES = frozenset(
    ("noun.artifact", "noun.food", "noun.animal", "noun.plant", "noun.object", "noun.substance",
     "noun.body")
)  # fmt: skip
THING_WEIGHT = 0.1


def thing_senses(
    senses: tuple[tuple[int, float], ...], table: SenseTable
) -> tuple[tuple[int, float], ...]:
    """The senses a person pictures for a word in 20 Questions: the thing senses when they
    carry at least :data:`THING_WEIGHT`, and a plant's weight moved onto the word's food sense
    (people mean the banana they eat, not the banana plant) when the food senses carry at least
    :data:`ANY_SENSE_WEIGHT`."""
    synsets = table.wordnet.synsets
    things = [(o, w) for o, w in senses if synsets[o].lexname in THING_FILES]
    if sum(w for _, w in things) < THING_WEIGHT:
        return senses
    food = [o for o, _ in things if synsets[o].lexname == "noun.food"]
    if sum(w for o, w in things if o in food) >= ANY_SENSE_WEIGHT:
        plant = sum(w for o, w in things if synsets[o].lexname == "noun.plant")
        things = [(o, w) for o, w in things if synsets[o].lexname != "noun.plant"]
        things = [(o, w + plant / len(food) if o in food else w) for o, w in things]
    total = sum(w for _, w in things)
    return tuple((o, w / total) for o, w in things)


@dataclass
class _Column:
    p: npt.NDArray[np.float64]
    source: npt.NDArray[np.uint8]


@dataclass
class _Words:
    """The candidates grouped by the WordNet lemma they are read through (read once per
    lemma, not per candidate)."""

    lemma_of: npt.NDArray[np.int64]  # per candidate: index into ``senses``, -1 for none
    senses: list[tuple[tuple[int, float], ...]]  # per lemma: the senses a person pictures
    first_word: npt.NDArray[np.str_]  # per candidate: its first word when it has several, or ""

    @classmethod
    def of(cls, candidates: Sequence[Candidate], table: SenseTable) -> _Words:
        index: dict[str, int] = {}
        senses: list[tuple[tuple[int, float], ...]] = []
        lemma_of = np.full(len(candidates), -1, dtype=np.int64)
        for i, c in enumerate(candidates):
            lemma = c.sense_lemma
            if lemma is None:
                continue
            k = index.get(lemma)
            if k is None:
                found = table.class_senses(lemma)
                if not found:
                    index[lemma] = k = -1
                else:
                    index[lemma] = k = len(senses)
                    senses.append(thing_senses(found, table))
            lemma_of[i] = k
        first = np.array([c.text.split(" ", 1)[0] if " " in c.text else "" for c in candidates])
        return cls(lemma_of, senses, first)


def _read_column(compiled: CompiledReading, words: _Words) -> _Column:
    n = len(words.senses)
    p_lemma = np.empty(n + 1)
    source_lemma = np.empty(n + 1, dtype=np.uint8)
    for k, senses in enumerate(words.senses):
        p_lemma[k], source_lemma[k] = compiled.candidate(senses)
    p_lemma[n], source_lemma[n] = 0.5, UNLABELLED  # index -1: no senses
    column = _Column(p_lemma[words.lemma_of], source_lemma[words.lemma_of])
    if compiled.reading.modifiers:
        named = np.isin(words.first_word, list(compiled.reading.modifiers))
        column.p[named], column.source[named] = 1.0, MOD
    return column


def _model_labels(row: TableRow, labels: LlmLabels | None) -> list[Labels]:
    """The model labels of a property row: its own (``kb build --label-with``), then the
    exported file's."""
    found: list[Labels] = []
    if row.labelled and row.source.startswith("llm"):
        found.append((row.indices.astype(np.int64), row.values.astype(np.float64) / 255.0))
    if labels is not None:
        column = labels.column(row.text)
        if column is not None:
            found.append(column)
    return found


def _pool_llm(column: _Column, found: list[Labels]) -> int:
    """Model labels where no rule decided (default or unlabelled), in place; returns how many
    candidates the model labelled."""
    labelled = np.zeros(len(column.p), dtype=bool)
    for idx, p in found:
        silent = (column.source[idx] == DEFAULT) | (column.source[idx] == UNLABELLED)
        silent |= column.source[idx] == LLM
        column.p[idx[silent]] = p[silent]
        column.source[idx[silent]] = LLM
        labelled[idx] = True
    return int(labelled.sum())


def _row(
    text: str, kind: str, source: str, column: _Column, default: float, labelled: int = 0
) -> TableRow:
    values = quantise(column.p)
    default_value = int(quantise(np.array([default]))[0])
    default_source = WORDNET if kind == "taxonomy" else DEFAULT
    if kind == "taxonomy":
        listed = (values != default_value) | (
            (column.source != default_source) & (column.source != UNLABELLED)
        )
    else:
        listed = (values != default_value) | (column.source != default_source)
    idx = np.flatnonzero(listed).astype(np.int32)
    return TableRow(text, kind, source, idx, values[idx], default, labelled,
                    column.source[idx].astype(np.uint8), default_source)  # fmt: skip


def reread(
    rows: list[TableRow],
    candidates: Sequence[Candidate],
    table: SenseTable,
    labels: LlmLabels | None = None,
) -> list[TableRow]:
    """``rows`` with every question that has a reading (or LLM labels) answered anew."""
    wn = table.wordnet
    targets = {q.text: q.targets for q in curated_questions(wn)}
    glosses: dict[int, frozenset[str]] = {}
    words = _Words.of(candidates, table)
    out: list[TableRow] = []
    for row in rows:
        reading = READINGS.get(row.text)
        if row.kind == "taxonomy" and row.source.startswith("wordnet:") and reading is not None:
            ids = [target_id(t) for t in targets[row.text]]
            compiled = CompiledReading(
                reading,
                wn,
                fallback=frozenset(i for i in ids if i >= 0),
                fallback_lex=frozenset(
                    t.removeprefix("lex:") for t in targets[row.text] if t.startswith("lex:")
                ),
                glosses=glosses,
            )
            column = _read_column(compiled, words)
            out.append(_row(row.text, "taxonomy", row.source + "+readings", column, 0.0))
        elif row.kind == "property" and (reading is not None or _model_labels(row, labels)):
            if reading is not None:
                compiled = CompiledReading(reading, wn, glosses=glosses)
                column = _read_column(compiled, words)
                default, source = float(reading.default), "readings"
            else:
                column = _Column(
                    np.full(len(candidates), 0.5),
                    np.full(len(candidates), UNLABELLED, dtype=np.uint8),
                )
                default, source = 0.5, ""
            labelled = _pool_llm(column, _model_labels(row, labels))
            if np.any(column.source == LLM):
                source = f"{source}+llm" if source else "llm"
            if not source:
                out.append(row)
                continue
            if reading is None:
                column.source[column.source == UNLABELLED] = DEFAULT  # the row's 0.5
            out.append(_row(row.text, "property", source, column, default, labelled))
        else:
            out.append(row)
    return out
