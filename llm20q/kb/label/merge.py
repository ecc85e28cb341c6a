"""Merging LLM labels into a knowledge folder: a new folder the planner and the answerer read.

The merged folder has the base folder's lexicon (copied byte for byte) and its answer table with
every labelled (question, candidate) replaced by a weighted mean of the two sources (a linear
opinion pool: "answered like the table with probability w_table / (w_table + w_llm), else like
the LLM"):

    p = (w_table * p_table + w_llm * p_llm) / (w_table + w_llm)

where the table has an opinion: an entry its row lists, or, in a taxonomy row, any candidate
WordNet knows (absent = "not under this synset"). Where it has none (property rows it does not
list: their 0.5 default; taxonomy rows for candidates WordNet does not know) the LLM's label is
used alone. Questions the base table lacks become new property rows (default 0.5). Before
pooling, the LLM's p(yes) can be re-centred on its calibrated threshold ``t``
(``llm20q eval-answerer --calibrate`` reports it for the label prompt): logit(p) - logit(t), so
p = t becomes 0.5 and the table agrees with the thresholded answers.

Determinism: rows are written in the base order with sorted entries, through the builder's
writers (fixed zip timestamps, sorted JSON keys); ``manifest.json`` records both inputs' sha256
and the weights.

Shortcut: labelled candidates are matched to the lexicon by exact text; a label for a candidate
the base lexicon lacks is dropped (counted in the manifest).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from agent.planner.store import (
    ANSWERS_FILE,
    FORMAT_VERSION,
    LEXICON_FILE,
    MANIFEST_FILE,
    QUESTIONS_FILE,
    KnowledgeBase,
)
from llm20q.files import sha256_of
from llm20q.kb.label.plan import PLAN_FILE, LabelPlan, RunFolder
from llm20q.kb.output import quantise, write_json, write_npz

SOURCES = ("table", "llm")


@dataclass(frozen=True)
class MergeOptions:
    """Per-source weights and the LLM label's re-centring threshold."""

    table_weight: float = 1.0
    llm_weight: float = 1.0
    llm_threshold: float = 0.5

    def __post_init__(self) -> None:
        if min(self.table_weight, self.llm_weight) < 0 or self.table_weight + self.llm_weight <= 0:
            raise ValueError("weights must be >= 0 and not both 0")
        if not 0.0 < self.llm_threshold < 1.0:
            raise ValueError("the LLM threshold must be strictly between 0 and 1")


def parse_weights(items: list[str]) -> dict[str, float]:
    """``NAME=W`` items (NAME in :data:`SOURCES`) -> weights; both default to 1."""
    weights = dict.fromkeys(SOURCES, 1.0)
    for item in items:
        name, equals, value = item.partition("=")
        if not equals or name.strip() not in SOURCES:
            raise ValueError(f"--weight {item!r}: expected table=W or llm=W")
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            raise ValueError(f"--weight {item!r}: {value!r} is not a number") from None
    return weights


def recentre(p: npt.NDArray[np.float64], threshold: float) -> npt.NDArray[np.float64]:
    """p(yes) shifted in log-odds so that ``threshold`` maps to 0.5."""
    if threshold == 0.5:
        return p
    clipped = np.clip(p, 1e-6, 1 - 1e-6)
    logit = np.log(clipped / (1 - clipped)) - np.log(threshold / (1 - threshold))
    result: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-logit))
    return result


def pooled_row(
    kb: KnowledgeBase,
    question: int,
    columns: npt.NDArray[np.int64],
    llm: npt.NDArray[np.float64],
    options: MergeOptions,
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.uint8]]:
    """A base row with the labelled ``columns`` (LLM p(yes) ``llm``, NaN = unlabelled) pooled
    in: the merged row's explicit entries (sorted candidate indices, stored values)."""
    indices, values = kb.entries(question)
    stored = np.full(len(kb), -1, dtype=np.int16)
    stored[indices] = values
    keep = ~np.isnan(llm)
    cols, p_llm = columns[keep], recentre(llm[keep], options.llm_threshold)
    p_table = kb.answer_probs(question).astype(np.float64)[cols]
    opinion = stored[cols] >= 0
    if kb.questions[question].kind == "taxonomy":
        opinion |= ~kb.unknown[cols]
    w_table = options.table_weight * opinion
    weight = w_table + options.llm_weight  # 0 only with llm weight 0 where the table is silent
    pooled = np.where(
        weight > 0,
        (w_table * p_table + options.llm_weight * p_llm) / np.maximum(weight, 1e-12),
        p_table,
    )
    stored[cols] = quantise(pooled)
    merged = np.flatnonzero(stored >= 0).astype(np.int32)
    return merged, stored[merged].astype(np.uint8)


def merge_labels(base: Path, labels: Path, out: Path, options: MergeOptions) -> dict[str, Any]:
    """Write the merged folder ``out`` from the knowledge folder ``base`` and the labelling run
    ``labels``; returns its manifest."""
    kb = KnowledgeBase.load(base)
    run = RunFolder(labels)
    plan: LabelPlan = run.load_plan()
    table = run.table(plan).astype(np.float64)
    found = [kb.index_of(c) for c in plan.candidates]
    known = np.array([i is not None for i in found], dtype=bool)
    columns = np.array([i for i in found if i is not None], dtype=np.int64)
    table = table[:, known]
    by_text = {text: q for q, text in enumerate(plan.questions)}
    rows: list[tuple[dict[str, Any], npt.NDArray[np.int32], npt.NDArray[np.uint8], float]] = []
    merged_rows = 0
    for question in kb.questions:
        indices, values = kb.entries(question.index)
        record = {
            "text": question.text,
            "kind": question.kind,
            "source": question.source,
            "labelled": question.labelled,
        }
        q = by_text.pop(question.text, None)
        if q is not None and not np.all(np.isnan(table[q])):
            indices, values = pooled_row(kb, question.index, columns, table[q], options)
            labelled = int(np.count_nonzero(~np.isnan(table[q])))
            source = question.source
            record["source"] = source if source.endswith("llm") else f"{source}+llm".lstrip("+")
            record["labelled"] = question.labelled + labelled
            merged_rows += 1
        rows.append((record, indices, values, kb.default(question.index)))
    new_rows = 0
    for text, q in by_text.items():  # questions the base table lacks, in the plan's order
        keep = ~np.isnan(table[q])
        if not keep.any():
            continue
        p = recentre(table[q][keep], options.llm_threshold)
        order = np.argsort(columns[keep], kind="stable")
        record = {"text": text, "kind": "property", "source": "llm", "labelled": int(keep.sum())}
        rows.append((record, columns[keep][order].astype(np.int32), quantise(p[order]), 0.5))
        new_rows += 1
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(base) / LEXICON_FILE, out / LEXICON_FILE)
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r[1]) for r in rows])
    write_npz(
        out / ANSWERS_FILE,
        {
            "indptr": indptr,
            "indices": np.concatenate([r[1] for r in rows]).astype(np.int32),
            "values": np.concatenate([r[2] for r in rows]).astype(np.uint8),
            "default": np.array([r[3] for r in rows], dtype=np.float32),
            "unknown": kb.unknown.astype(np.uint8),
        },
    )
    write_json(
        out / QUESTIONS_FILE,
        {"format_version": FORMAT_VERSION, "questions": [r[0] for r in rows]},
    )
    counts = dict(kb.manifest.get("counts", {}))
    kinds: dict[str, int] = {}
    for record, *_ in rows:
        kind = str(record["kind"])
        kinds[kind] = kinds.get(kind, 0) + 1
    labelled = int(np.count_nonzero(~np.isnan(table)))
    counts.update(
        questions_by_kind=kinds,
        table_entries=int(indptr[-1]),
        llm_labels=int(labelled),
        llm_labels_dropped=int(np.count_nonzero(~known)) * len(plan.questions),
        merged_questions=merged_rows,
        new_questions=new_rows,
        labelled_questions=sum(1 for r in rows if r[0]["labelled"]),
    )
    manifest = {
        "format_version": FORMAT_VERSION,
        "inputs": {
            "base": {
                name: sha256_of(Path(base) / name)
                for name in (LEXICON_FILE, ANSWERS_FILE, QUESTIONS_FILE)
            },
            "labels": {
                "plan_sha256": sha256_of(labels / PLAN_FILE),
                "model": plan.model,
                "prompt_sha256": plan.prompt_sha256,
            },
        },
        "options": {
            "merge": {
                "table_weight": options.table_weight,
                "llm_weight": options.llm_weight,
                "llm_threshold": options.llm_threshold,
            },
            "base": kb.manifest.get("options", {}),
        },
        "counts": counts,
        "files": {
            name: {"sha256": sha256_of(out / name), "bytes": (out / name).stat().st_size}
            for name in (LEXICON_FILE, ANSWERS_FILE, QUESTIONS_FILE)
        },
    }
    write_json(out / MANIFEST_FILE, manifest)
    return manifest
