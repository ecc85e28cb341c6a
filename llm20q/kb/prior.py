"""A prior that knows what "things" keywords look like: the lexicon's prior tilted towards the
shape of a keyword list (build time only; ``llm20q kb fit-prior``).

The tilted prior is ``log p'(c) = log p(c) + w . f(c) - log Z``: an exponential-family (maximum
entropy) tilt of the knowledge folder's prior by features of each candidate that describe its
*shape*, never its words:

- how it is written: word count, hyphen, length, which sources list it (WordNet, bigram lists,
  dictionaries, product taxonomy, image datasets: never the official-list flag), unknown to WordNet;
- how common it and its head word are (wordfreq zipf, in bins) and where its prior already is
  (prior quantile thresholds);
- what it is: its p(yes) for every curated taxonomy question of the table (food, tool,
  container, furniture, person, abstract idea...) and how deep it sits in the taxonomy (the log
  of its summed p over the automatic hypernym questions).

``w`` maximises the log-likelihood of a keyword list's candidates (each keyword's weight shared
by the candidates the judge would accept for it) under ``p'``, with an L2 penalty, by damped
Newton steps (the features' covariance under ``p'`` is the Hessian). Keywords the lexicon lacks
are left out.

Honesty: the keyword list is used only through these ~120 weights. A lexicon that includes the
official list (the folder ``make setup`` ships) is fit as if it did not: candidates only the
official list names, and the official bonus of the others, would let the tilt learn the list's
words (no other source = a keyword; the bonus shows in the prior features). So the weights are
fit on the other candidates with the bonus taken off (features included), then applied to every
candidate; the bonus stays in the written prior. What that is worth, measured: README.md,
"Shape prior".

To evaluate on the list the prior was fit on, ``folds`` writes K more folders, each fit without
one K-th of the list, and a ``folds.json`` that names, for every keyword of the list, the folder
whose prior never saw it (:func:`llm20q.eval.suite.knowledge_for` plays each keyword with its own
fold).

Shortcuts: features are hand-chosen and linear in the log; the penalty is fixed
(``DEFAULT_PENALTY``, chosen by 2-fold cross-fitting on the official list); the written folder
copies the answer table and questions unchanged and rewrites only ``lexicon.npz``.
"""

from __future__ import annotations

import itertools
import json
import random
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from agent.game import judge_normalize
from agent.planner.store import (
    ANSWERS_FILE,
    LEXICON_FILE,
    MANIFEST_FILE,
    QUESTIONS_FILE,
    KnowledgeBase,
)
from llm20q.files import sha256_of
from llm20q.kb.lexicon import OFFICIAL_BONUS, SOURCE_NAMES, SOURCE_OFFICIAL
from llm20q.kb.output import write_json, write_npz

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

DEFAULT_PENALTY = 1.0
ZIPF_EDGES = (1.0, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0)
PRIOR_QUANTILES = (10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98, 99.5)
FOLDS_FILE = "folds.json"


@dataclass
class Features:
    """One row of shape features per candidate (dense) and their names."""

    matrix: F64
    names: list[str]


def _bins(values: F64, prefix: str) -> list[tuple[str, F64]]:
    edges = (-np.inf, *ZIPF_EDGES, np.inf)
    return [
        (f"{prefix} zipf [{lo}, {hi})", ((values >= lo) & (values < hi)).astype(np.float64))
        for lo, hi in itertools.pairwise(edges)
    ]


def shape_features(kb: KnowledgeBase, zipf: Callable[[str], float]) -> Features:
    """The features of every candidate of ``kb`` (see the module docstring)."""
    texts = kb.candidates
    words = np.array([len(t.replace("-", " ").split()) for t in texts])
    log_prior = unbiased_log_prior(kb)
    whole = np.array([zipf(t) for t in texts], dtype=np.float64)
    heads = np.array([zipf(t.replace("-", " ").split()[-1]) if t.strip() else 0.0 for t in texts])
    columns: list[tuple[str, F64]] = [
        ("log prior", log_prior),
        ("two words", (words == 2).astype(np.float64)),
        ("three words", (words == 3).astype(np.float64)),
        ("four or more words", (words >= 4).astype(np.float64)),
        ("hyphen", np.array(["-" in t for t in texts], dtype=np.float64)),
        ("length / 10", np.minimum([len(t) for t in texts], 20).astype(np.float64) / 10.0),
        ("unknown to WordNet", kb._unknown.astype(np.float64)),
    ]
    for bit, name in SOURCE_NAMES.items():
        if bit == SOURCE_OFFICIAL:
            continue  # never the official-list flag
        columns.append((f"source {name}", ((kb.sources & bit) > 0).astype(np.float64)))
    columns += _bins(whole, "whole")
    columns += _bins(heads, "head")
    for q in PRIOR_QUANTILES:
        threshold = float(np.percentile(log_prior, q))
        columns.append(
            (f"prior above {q}th percentile", (log_prior >= threshold).astype(np.float64))
        )
    depth = np.zeros(len(texts))
    for question in kb.questions:
        if question.kind != "taxonomy":
            continue
        if "offset:" in question.source:
            start, end = kb._indptr[question.index], kb._indptr[question.index + 1]
            np.add.at(depth, kb._indices[start:end], kb._values[start:end] / 255.0)
        else:
            columns.append((question.text, kb.answer_probs(question.index).astype(np.float64)))
    columns.append(("log taxonomy depth", np.log1p(depth)))
    return Features(np.stack([c for _, c in columns], axis=1), [n for n, _ in columns])


def unbiased_log_prior(kb: KnowledgeBase) -> F64:
    """The folder's log prior without the official list's bonus (natural log, unnormalised)."""
    base = kb.log_prior.astype(np.float64)
    result: F64 = np.where((kb.sources & SOURCE_OFFICIAL) > 0, base - OFFICIAL_BONUS, base)
    return result


def keyword_targets(kb: KnowledgeBase, keywords: Sequence[Sequence[str]]) -> list[list[int]]:
    """For each keyword (its names: keyword and alternatives), the candidates the judge would
    accept for it (empty when the lexicon lacks it)."""
    return [sorted({i for name in names for i in kb.judge_matches(name)}) for names in keywords]


def fit_tilt(
    features: F64,
    base: F64,
    targets: Sequence[Sequence[int]],
    penalty: float = DEFAULT_PENALTY,
    iterations: int = 40,
) -> F64:
    """Weights ``w`` maximising the mean log p'(c) over each keyword's candidates, summed over
    the keywords, minus penalty / 2 |w|^2, where p' = softmax(base + features @ w). The objective
    is concave: Newton steps, halved until the objective rises."""
    hit = [t for t in targets if t]
    if not hit:
        raise ValueError("no keyword of the list is in the lexicon: nothing to fit")
    rows = np.array([i for t in hit for i in t], dtype=np.int64)
    share = np.array([1.0 / len(t) for t in hit for _ in t])
    observed = (features[rows] * share[:, None]).sum(axis=0)
    count = float(len(hit))
    eye = np.eye(features.shape[1])

    def objective(w: F64) -> float:
        score = base + features @ w
        top = float(score.max())
        log_z = top + float(np.log(np.exp(score - top).sum()))
        return float(observed @ w - count * log_z - 0.5 * penalty * (w @ w))

    weights = np.zeros(features.shape[1])
    current = objective(weights)
    for _ in range(iterations):
        score = base + features @ weights
        q = np.exp(score - score.max())
        q /= q.sum()
        mean = q @ features
        gradient = observed - count * mean - penalty * weights
        centred = features - mean
        hessian = count * (centred * q[:, None]).T @ centred + penalty * eye
        step = np.linalg.solve(hessian, gradient)
        scale = 1.0
        while scale > 1e-4:
            trial = weights + scale * step
            value = objective(trial)
            if value >= current:
                break
            scale /= 2.0
        else:
            break
        weights, previous, current = trial, current, value
        if current - previous < 1e-9 * max(1.0, abs(current)):
            break
    return weights


@dataclass
class FitView:
    """The candidates the tilt is fit on (all but those only the official list names) and their
    base prior without the official bonus."""

    rows: I64  # candidate indices seen by the fit
    base: F64  # their base log prior, official bonus taken off

    @classmethod
    def of(cls, kb: KnowledgeBase) -> FitView:
        elsewhere = (kb.sources & ~np.uint8(SOURCE_OFFICIAL)) > 0
        rows = np.flatnonzero(elsewhere).astype(np.int64)
        return cls(rows, unbiased_log_prior(kb)[rows])

    def fit(self, features: F64, targets: Sequence[Sequence[int]], penalty: float) -> F64:
        """:func:`fit_tilt` over the view (targets only the official list names are dropped)."""
        position = np.full(int(self.rows.max()) + 1 if len(self.rows) else 0, -1, dtype=np.int64)
        position[self.rows] = np.arange(len(self.rows))
        seen = [
            [int(position[i]) for i in t if i < len(position) and position[i] >= 0] for t in targets
        ]
        return fit_tilt(features[self.rows], self.base, seen, penalty)


def tilted_log_prior(base: F64, features: F64, weights: F64) -> F64:
    """The normalised natural-log prior after the tilt."""
    score = base + features @ weights
    top = float(score.max())
    result: F64 = score - (top + float(np.log(np.exp(score - top).sum())))
    return result


def mean_bits(log_prior: F64, targets: Sequence[Sequence[int]]) -> float | None:
    """Mean -log2 prior mass of the keywords the lexicon has (a lower bound on Agent Alpha
    questions; the planner's uniform mix is not included)."""
    values = [_bits(log_prior, t) for t in targets if t]
    return round(float(np.mean(values)), 3) if values else None


def _bits(log_prior: F64, candidates: Sequence[int]) -> float:
    """-log2 of the prior mass of ``candidates``."""
    values = log_prior[list(candidates)]
    top = float(values.max())
    return -(top + float(np.log(np.exp(values - top).sum()))) / float(np.log(2.0))


def write_prior_folder(kb: KnowledgeBase, out: Path, log_prior: F64, prior: dict[str, Any]) -> None:
    """A copy of ``kb``'s folder with ``log_prior`` in ``lexicon.npz`` and ``prior`` in the
    manifest."""
    out.mkdir(parents=True, exist_ok=True)
    for name in (ANSWERS_FILE, QUESTIONS_FILE):
        if (kb.folder / name).resolve() != (out / name).resolve():
            shutil.copyfile(kb.folder / name, out / name)
    blob = "\n".join(kb.candidates).encode("utf-8")
    write_npz(
        out / LEXICON_FILE,
        {
            "candidates": np.frombuffer(blob, dtype=np.uint8),
            "log_prior": log_prior.astype(np.float32),
            "sources": kb.sources,
        },
    )
    manifest = dict(kb.manifest)
    manifest["files"] = {
        name: {"sha256": sha256_of(out / name), "bytes": (out / name).stat().st_size}
        for name in (LEXICON_FILE, ANSWERS_FILE, QUESTIONS_FILE)
    }
    manifest["prior"] = prior
    write_json(out / MANIFEST_FILE, manifest)


@dataclass
class FitResult:
    """What ``kb fit-prior`` wrote and measured."""

    out: Path
    summary: dict[str, Any]


def fit_prior_folder(
    kb: KnowledgeBase,
    out: Path,
    keywords: Sequence[Sequence[str]],
    source: str,
    zipf: Callable[[str], float],
    *,
    folds: int = 0,
    penalty: float = DEFAULT_PENALTY,
    seed: int = 0,
    report: Sequence[tuple[str, Sequence[Sequence[str]]]] = (),
) -> FitResult:
    """Fit the tilt on ``keywords`` and write the folder ``out`` (and ``folds`` fold folders with
    ``folds.json``); ``report`` lists other keyword lists to measure mean bits on."""
    if kb.manifest.get("prior"):
        raise ValueError(f"{kb.folder} already has a fitted prior: fit on the folder it came from")
    features = shape_features(kb, zipf)
    base = kb.log_prior.astype(np.float64)
    targets = keyword_targets(kb, keywords)
    view = FitView.of(kb)
    weights = view.fit(features.matrix, targets, penalty)
    log_prior = tilted_log_prior(base, features.matrix, weights)
    summary: dict[str, Any] = {
        "fit_on": source,
        "keywords": len(keywords),
        "in_lexicon": sum(bool(t) for t in targets),
        "penalty": penalty,
        "mean_bits_before": {source: mean_bits(base, targets)},
        "mean_bits_after": {source + " (in sample)": mean_bits(log_prior, targets)},
    }
    for name, names in report:
        other = keyword_targets(kb, names)
        summary["mean_bits_before"][name] = mean_bits(base, other)
        summary["mean_bits_after"][name] = mean_bits(log_prior, other)
    order = np.argsort(-np.abs(weights))
    summary["largest_weights"] = {
        features.names[i]: round(float(weights[i]), 3) for i in order[:12]
    }
    if folds > 1:
        summary["mean_bits_after"][source + f" ({folds}-fold, out of sample)"] = _write_folds(
            kb, out, keywords, targets, features.matrix, view, folds, penalty, seed, source
        )
    write_prior_folder(
        kb,
        out,
        log_prior,
        {**summary, "features": features.names, "weights": [round(float(w), 6) for w in weights]},
    )
    return FitResult(out, summary)


def _write_folds(
    kb: KnowledgeBase,
    out: Path,
    keywords: Sequence[Sequence[str]],
    targets: Sequence[Sequence[int]],
    features: F64,
    view: FitView,
    folds: int,
    penalty: float,
    seed: int,
    source: str,
) -> float | None:
    """Fold folders ``out/fold-k`` (fit without fold k) and ``folds.json``; the out-of-sample
    mean bits over the whole list."""
    order = list(range(len(keywords)))
    random.Random(seed).shuffle(order)
    fold_of = {k: i % folds for i, k in enumerate(order)}
    names = [f"fold-{k}" for k in range(folds)]
    log_priors: list[F64] = []
    for k in range(folds):
        train = [t for i, t in enumerate(targets) if fold_of[i] != k]
        weights = view.fit(features, train, penalty)
        log_prior = tilted_log_prior(kb.log_prior.astype(np.float64), features, weights)
        fold_targets = [t for i, t in enumerate(targets) if fold_of[i] == k]
        log_priors.append(log_prior)
        write_prior_folder(
            kb,
            out / names[k],
            log_prior,
            {"fit_on": f"{source} without fold {k} of {folds}", "held_out": len(fold_targets)},
        )
    bits = [_bits(log_priors[fold_of[i]], t) for i, t in enumerate(targets) if t]
    keyed = {
        judge_normalize(name): fold_of[i] for i, names in enumerate(keywords) for name in names
    }
    (out / FOLDS_FILE).write_text(
        json.dumps({"folders": names, "keywords": keyed}, sort_keys=True, indent=1) + "\n",
        encoding="utf-8",
    )
    return round(float(np.mean(bits)), 3) if bits else None
