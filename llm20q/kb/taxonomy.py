"""Taxonomy rows of the answer table: p(yes) of every candidate for the curated questions and for
hypernym questions chosen automatically (build time only).

A candidate's p(yes) for a question is the weight of its senses (:class:`SenseTable`) whose
hypernym closure contains one of the question's targets. Every WordNet lemma's features (each
hypernym synset and lexicographer file it falls under, with that probability) are computed once
(:class:`SenseFeatures`). Automatic questions are hypernym synsets under ``physical_entity`` with
at least ``min_auto_support`` candidates at p >= 0.5 and at most ``max_auto_mass`` prior mass,
that are not a curated target nor the same split as their hypernym (a single-child chain); the
``max_auto_questions`` with the most even split (highest answer entropy under the prior) are kept.

Shortcut: a candidate without WordNet senses is marked unknown (0.5 at run time) for every
taxonomy question rather than guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from agent.planner.posterior import binary_entropy
from llm20q.kb.lexicon import Candidate
from llm20q.kb.options import BuildOptions
from llm20q.kb.output import TableRow, quantise
from llm20q.kb.questions import TaxonomyQuestion, curated_questions, phrase_synset
from llm20q.kb.senses import SenseTable
from llm20q.kb.wordnet import LEXNAMES

Features = tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], dict[int, float]]


def target_id(target: str) -> int:
    """A question target as a feature id: the synset offset, or ``-1 - lexname number``."""
    if target.startswith("lex:"):
        return -1 - LEXNAMES.index(target[4:])
    return int(target.removeprefix("offset:"))


@dataclass
class SenseFeatures:
    """Per WordNet lemma: p(yes) for every hypernym synset (offset >= 0) and lexicographer file
    (``-1 - lexname number``), and for every curated question (cached)."""

    table: SenseTable
    curated: Sequence[TaxonomyQuestion]
    _questions_of_target: dict[int, list[int]] = field(default_factory=dict)
    _cache: dict[str, Features] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for q, question in enumerate(self.curated):
            for target in question.targets:
                self._questions_of_target.setdefault(target_id(target), []).append(q)

    def of(self, lemma: str) -> Features:
        """(feature ids sorted, their p(yes), {curated question index: p(yes)})."""
        cached = self._cache.get(lemma)
        if cached is not None:
            return cached
        wn = self.table.wordnet
        synset_p: dict[int, float] = {}
        curated_p: dict[int, float] = {}
        for offset, weight in self.table.class_senses(lemma):
            lex = -1 - LEXNAMES.index(wn.synsets[offset].lexname)
            hit: set[int] = set()
            for feature in (*wn.ancestors[offset], lex):
                synset_p[feature] = synset_p.get(feature, 0.0) + weight
                hit.update(self._questions_of_target.get(feature, ()))
            for q in hit:
                curated_p[q] = curated_p.get(q, 0.0) + weight
        keys = sorted(synset_p)
        result = (
            np.array(keys, dtype=np.int64),
            np.minimum(np.array([synset_p[k] for k in keys], dtype=np.float64), 1.0),
            {q: min(p, 1.0) for q, p in curated_p.items()},
        )
        self._cache[lemma] = result
        return result


def _sparse_row(
    text: str, source: str, idx: npt.NDArray[np.int32], probs: npt.NDArray[np.float64]
) -> TableRow:
    values = quantise(probs)
    keep = values > 0  # zero is the default of a taxonomy row: not stored
    return TableRow(text, "taxonomy", source, idx[keep], values[keep], 0.0)


def taxonomy_rows(
    candidates: Sequence[Candidate],
    prior: npt.NDArray[np.float64],
    table: SenseTable,
    options: BuildOptions,
) -> tuple[list[TableRow], npt.NDArray[np.bool_]]:
    """The curated rows, then the automatic ones (sorted by synset offset), and the mask of
    candidates WordNet does not know."""
    wn = table.wordnet
    curated = curated_questions(wn)
    features = SenseFeatures(table, curated)
    unknown = np.zeros(len(candidates), dtype=bool)
    cand_parts: list[npt.NDArray[np.int64]] = []
    feat_parts: list[npt.NDArray[np.int64]] = []
    prob_parts: list[npt.NDArray[np.float64]] = []
    curated_cols: list[list[tuple[int, float]]] = [[] for _ in curated]
    for i, c in enumerate(candidates):
        if c.sense_lemma is None or not table.class_senses(c.sense_lemma):
            unknown[i] = True
            continue
        keys, probs, curated_p = features.of(c.sense_lemma)
        cand_parts.append(np.full(len(keys), i, dtype=np.int64))
        feat_parts.append(keys)
        prob_parts.append(probs)
        for q, p in curated_p.items():
            curated_cols[q].append((i, p))
    rows = [
        _sparse_row(
            question.text,
            question.source,
            np.array([i for i, _ in column], dtype=np.int32),
            np.array([p for _, p in column], dtype=np.float64),
        )
        for question, column in zip(curated, curated_cols, strict=True)
    ]
    if not cand_parts:
        return rows, unknown
    # One long (candidate, feature, p) list, synset features only, grouped by feature.
    cand = np.concatenate(cand_parts)
    feat = np.concatenate(feat_parts)
    prob = np.concatenate(prob_parts)
    synsets = feat >= 0
    cand, feat, prob = cand[synsets], feat[synsets], prob[synsets]
    uniq, inverse = np.unique(feat, return_inverse=True)
    support = np.bincount(inverse, weights=(prob >= 0.5).astype(np.float64), minlength=len(uniq))
    mass = np.bincount(inverse, weights=prior[cand] * prob, minlength=len(uniq))
    used = {target_id(t) for q in curated for t in q.targets}
    eligible = (support >= options.min_auto_support) & (mass <= options.max_auto_mass)
    # Only classes of physical things: the game's keywords are things.
    try:
        physical = wn.resolve("physical_entity.n.01")
        eligible &= np.array([physical in wn.ancestors[int(o)] for o in uniq], dtype=bool)
    except KeyError:
        pass
    support_of = {int(o): float(s) for o, s in zip(uniq[eligible], support[eligible], strict=True)}
    chosen: list[int] = []
    for offset in sorted(support_of):
        if offset in used:
            continue
        # Same split as a hypernym (a single-child chain): the hypernym's question suffices.
        if any(
            p in support_of and support_of[p] - support_of[offset] <= 0.05 * support_of[p]
            for p in wn.synsets[offset].hypernyms
        ):
            continue
        chosen.append(offset)
    entropy = dict(
        zip(uniq.tolist(), binary_entropy(mass.astype(np.float64)).tolist(), strict=True)
    )
    chosen.sort(key=lambda o: (-entropy[o], o))
    chosen = sorted(chosen[: options.max_auto_questions])
    order = np.argsort(feat, kind="stable")
    feat_sorted = feat[order]
    for offset in chosen:
        lo, hi = np.searchsorted(feat_sorted, [offset, offset + 1])
        sel = order[lo:hi]
        name = wn.synsets[offset].lemmas[0].lower()
        ambiguous = len(table.class_senses(name)) > 1
        rows.append(
            _sparse_row(
                phrase_synset(wn, offset, ambiguous),
                f"wordnet:offset:{offset:08d}",
                cand[sel].astype(np.int32),
                prob[sel],
            )
        )
    return rows, unknown
