"""Writing the knowledge folder: ``lexicon.npz``, ``answers.npz``, ``questions.json`` and
``manifest.json`` (formats in :mod:`agent.planner.store`), byte-identical for identical inputs.

Determinism: the ``.npz`` files are zips written here with a fixed timestamp, fixed member order
and fixed compression level, JSON is written with sorted keys, and the manifest holds no time or
path of the build machine (only file names, sha256s, counts and options).

Shortcut: p(yes) is stored as uint8 (``round(p * 255)``), a resolution of 0.004, and a row keeps
only its nonzero entries (its ``default`` stands for every candidate it does not list).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
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
)
from llm20q.files import sha256_of
from llm20q.kb.lexicon import SOURCE_NAMES, Candidate, coverage

# Where a table answer comes from: the code stored per answer in ``answers.npz`` ("sources"; the
# rules that give these answers are in llm20q.kb.readings).
SOURCES: tuple[str, ...] = (
    "wordnet", "is", "gloss", "lex", "default", "llm", "unlabelled", "mod"
)  # fmt: skip
WORDNET, IS, GLOSS, LEX, DEFAULT, LLM, UNLABELLED, MOD = range(len(SOURCES))

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold: no build time leaks in


@dataclass
class TableRow:
    """One table question: its text and provenance, and p(yes) of the candidates it lists."""

    text: str
    kind: str
    source: str
    indices: npt.NDArray[np.int32]
    values: npt.NDArray[np.uint8]
    default: float
    labelled: int = 0
    sources: npt.NDArray[np.uint8] | None = None  # per listed entry (:data:`SOURCES`)
    default_source: int = 0  # the source of every candidate the row does not list


def quantise(p: npt.NDArray[np.float64]) -> npt.NDArray[np.uint8]:
    """Probabilities as the stored uint8 (0..255)."""
    return np.clip(np.rint(p * 255.0), 0, 255).astype(np.uint8)


def write_npz(path: Path, arrays: dict[str, npt.NDArray[Any]]) -> None:
    """An ``np.load``-able zip with fixed timestamps and member order (deterministic)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.save(member, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, member.getvalue(), compresslevel=6)
    path.write_bytes(buffer.getvalue())


def write_json(path: Path, data: Any) -> None:
    """Sorted keys, one-space indent, UTF-8 as is."""
    path.write_text(json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n", "utf-8")


def row_sources(row: TableRow) -> tuple[npt.NDArray[np.uint8], int]:
    """The source code of each listed entry and of the row's default: the row's own, else by
    kind (taxonomy rows are WordNet's, LLM-labelled property rows the model's)."""
    if row.sources is not None:
        return row.sources.astype(np.uint8), row.default_source
    code = WORDNET if row.kind == "taxonomy" else LLM if row.labelled else UNLABELLED
    return np.full(len(row.indices), code, dtype=np.uint8), UNLABELLED if code == LLM else code


def write_tables(
    out: Path,
    candidates: Sequence[Candidate],
    log_prior: npt.NDArray[np.float64],
    rows: Sequence[TableRow],
    unknown: npt.NDArray[np.bool_],
) -> None:
    """``lexicon.npz`` (candidates, prior, sources), ``answers.npz`` (the rows as CSR) and
    ``questions.json`` (the rows' texts, kinds and sources); each answer's source code is in
    ``answers.npz`` (``sources`` per entry, ``default_source`` per row, names in
    ``questions.json``'s ``answer_sources``)."""
    out.mkdir(parents=True, exist_ok=True)
    blob = "\n".join(c.text for c in candidates).encode("utf-8")
    write_npz(
        out / LEXICON_FILE,
        {
            "candidates": np.frombuffer(blob, dtype=np.uint8),
            "log_prior": log_prior.astype(np.float32),
            "sources": np.array([c.sources for c in candidates], dtype=np.uint8),
        },
    )
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r.indices) for r in rows])
    tags = [row_sources(r) for r in rows]
    write_npz(
        out / ANSWERS_FILE,
        {
            "indptr": indptr,
            "indices": np.concatenate([r.indices for r in rows]).astype(np.int32),
            "values": np.concatenate([r.values for r in rows]).astype(np.uint8),
            "default": np.array([r.default for r in rows], dtype=np.float32),
            "unknown": unknown.astype(np.uint8),
            "sources": np.concatenate([t[0] for t in tags]).astype(np.uint8),
            "default_source": np.array([t[1] for t in tags], dtype=np.uint8),
        },
    )
    write_json(
        out / QUESTIONS_FILE,
        {
            "format_version": FORMAT_VERSION,
            "answer_sources": list(SOURCES),
            "questions": [
                {"text": r.text, "kind": r.kind, "source": r.source, "labelled": r.labelled}
                for r in rows
            ],
        },
    )


def write_manifest(
    out: Path,
    inputs: dict[str, Any],
    options: dict[str, Any],
    candidates: Sequence[Candidate],
    rows: Sequence[TableRow],
    unknown: npt.NDArray[np.bool_],
    official_names: Sequence[tuple[str, ...]],
) -> dict[str, Any]:
    """Write ``manifest.json`` (inputs, options, counts, sha256 of the written files) into
    ``out`` after :func:`write_tables`; returns it."""
    by_source = {
        name: sum(1 for c in candidates if c.sources & bit) for bit, name in SOURCE_NAMES.items()
    }
    kinds: dict[str, int] = {}
    for r in rows:
        kinds[r.kind] = kinds.get(r.kind, 0) + 1
    counts: dict[str, Any] = {
        "candidates": len(candidates),
        "candidates_by_source": by_source,
        "multiword_candidates": sum(1 for c in candidates if c.words > 1),
        "candidates_unknown_to_wordnet": int(unknown.sum()),
        "questions_by_kind": kinds,
        "labelled_questions": sum(1 for r in rows if r.labelled),
        "table_entries": int(sum(len(r.indices) for r in rows)),
    }
    if official_names:
        texts = [c.text for c in candidates]
        found, total = coverage(texts, official_names)
        found_plain, _ = coverage(texts, [names[:1] for names in official_names])
        counts["official_coverage"] = round(found / total, 4)
        counts["official_coverage_without_alts"] = round(found_plain / total, 4)
    files = {
        name: {"sha256": sha256_of(out / name), "bytes": (out / name).stat().st_size}
        for name in (LEXICON_FILE, ANSWERS_FILE, QUESTIONS_FILE)
    }
    manifest = {
        "format_version": FORMAT_VERSION,
        "inputs": inputs,
        "options": options,
        "counts": counts,
        "files": files,
    }
    write_json(out / MANIFEST_FILE, manifest)
    return manifest
