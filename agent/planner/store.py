"""The knowledge base as the agent loads it at run time: numpy and json only.

A knowledge folder (written by ``llm20q kb build``) holds:

* ``lexicon.npz``: ``candidates`` (a newline-joined UTF-8 blob as uint8, candidates lowercase and
  sorted by code point, i.e. in the order of Python's ``<`` on the lowercase strings, which is the
  order the alphabetical questions ask about), ``log_prior`` (float32, natural log, normalised
  to sum to one over the lexicon) and ``sources`` (uint8 bit flags: 1 WordNet, 2 bigram lists,
  4 dictionaries, 8 official list, 16 product taxonomy, 32 image datasets).
* ``answers.npz``: one sparse row of p(yes) per table question, CSR style: ``indptr`` (int64),
  ``indices`` (int32 candidate indices), ``values`` (uint8, p = value / 255), ``default`` (float32
  per question, the value of absent entries), plus ``unknown`` (uint8 0/1 per candidate:
  candidates that WordNet does not know, for which taxonomy answers are 0.5).
* ``questions.json``: the table questions (text, kind, source, labelled count);
  ``manifest.json``: sources, counts, sha256 of every file.

Shortcuts: the candidate blob is decoded and split once at load time (tens of milliseconds for
100k+ words); the lookup tables (text, judge key, question text -> index) are built on first use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from agent.game import judge_normalize, judge_variants

FORMAT_VERSION = 1
LEXICON_FILE = "lexicon.npz"
ANSWERS_FILE = "answers.npz"
QUESTIONS_FILE = "questions.json"
MANIFEST_FILE = "manifest.json"


@dataclass(frozen=True)
class Question:
    """One question with a row in the answer table."""

    index: int
    text: str
    kind: str  # "taxonomy" or "property"
    source: str  # e.g. "wordnet:tool.n.01" or "llm"
    labelled: int = 0  # number of candidates with an explicit answer


@dataclass
class KnowledgeBase:
    """Candidates, their prior and the p(yes | candidate, question) table."""

    folder: Path
    candidates: list[str]
    log_prior: npt.NDArray[np.float32]
    sources: npt.NDArray[np.uint8]
    questions: list[Question]
    manifest: dict[str, Any]
    _indptr: npt.NDArray[np.int64]
    _indices: npt.NDArray[np.int32]
    _values: npt.NDArray[np.uint8]
    _default: npt.NDArray[np.float32]
    _unknown: npt.NDArray[np.bool_]

    @classmethod
    def load(cls, folder: Path | str) -> KnowledgeBase:
        """Read a knowledge folder written by the builder."""
        folder = Path(folder)
        with np.load(folder / LEXICON_FILE) as lexicon:
            blob = lexicon["candidates"].tobytes().decode("utf-8")
            log_prior = np.asarray(lexicon["log_prior"], dtype=np.float32)
            sources = np.asarray(lexicon["sources"], dtype=np.uint8)
        candidates = blob.split("\n") if blob else []
        if len(candidates) != len(log_prior):
            raise ValueError(f"{folder}: {len(candidates)} candidates, {len(log_prior)} priors")
        with np.load(folder / ANSWERS_FILE) as answers:
            indptr = np.asarray(answers["indptr"], dtype=np.int64)
            indices = np.asarray(answers["indices"], dtype=np.int32)
            values = np.asarray(answers["values"], dtype=np.uint8)
            default = np.asarray(answers["default"], dtype=np.float32)
            unknown = np.asarray(answers["unknown"], dtype=np.uint8).astype(bool)
        bank = json.loads((folder / QUESTIONS_FILE).read_text(encoding="utf-8"))
        questions = [
            Question(
                index=i,
                text=q["text"],
                kind=q["kind"],
                source=q.get("source", ""),
                labelled=int(q.get("labelled", 0)),
            )
            for i, q in enumerate(bank["questions"])
        ]
        if len(questions) != len(default) or len(indptr) != len(questions) + 1:
            raise ValueError(f"{folder}: questions.json and answers.npz disagree")
        manifest_path = folder / MANIFEST_FILE
        manifest = (
            json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
        )
        return cls(
            folder=folder,
            candidates=candidates,
            log_prior=log_prior,
            sources=sources,
            questions=questions,
            manifest=manifest,
            _indptr=indptr,
            _indices=indices,
            _values=values,
            _default=default,
            _unknown=unknown,
        )

    def __len__(self) -> int:
        return len(self.candidates)

    def answer_probs(self, question_index: int) -> npt.NDArray[np.float32]:
        """p(yes) of every candidate for table question ``question_index`` (0.5 = unknown)."""
        question = self.questions[question_index]
        out = np.full(len(self.candidates), self._default[question_index], dtype=np.float32)
        if question.kind == "taxonomy":
            out[self._unknown] = 0.5
        start, end = self._indptr[question_index], self._indptr[question_index + 1]
        out[self._indices[start:end]] = self._values[start:end].astype(np.float32) / 255.0
        return out

    def entries(self, question_index: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.uint8]]:
        """The candidates a question's row lists explicitly, and their stored values (p * 255);
        every other candidate has the row's default (0.5 for unknown ones in taxonomy rows)."""
        start, end = self._indptr[question_index], self._indptr[question_index + 1]
        return self._indices[start:end], self._values[start:end]

    def default(self, question_index: int) -> float:
        """The value of candidates a question's row does not list."""
        return float(self._default[question_index])

    @property
    def unknown(self) -> npt.NDArray[np.bool_]:
        """Candidates WordNet does not know (taxonomy rows give them 0.5 unless listed)."""
        return self._unknown

    @cached_property
    def question_ids(self) -> dict[str, int]:
        """Table question text -> its index."""
        return {q.text: q.index for q in self.questions}

    @cached_property
    def _by_text(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.candidates)}

    @cached_property
    def _by_judge_key(self) -> dict[str, list[int]]:
        table: dict[str, list[int]] = {}
        for i, text in enumerate(self.candidates):
            table.setdefault(judge_normalize(text), []).append(i)
        return table

    def index_of(self, word: str) -> int | None:
        """Index of ``word`` in the candidates (case-insensitive, surrounding spaces ignored)."""
        return self._by_text.get(" ".join(word.lower().split()))

    def judge_matches(self, word: str) -> list[int]:
        """Every candidate the judge would accept ``word`` for (its s/es plurals included)."""
        return [i for key in judge_variants(word) for i in self._by_judge_key.get(key, ())]

    def match(self, word: str) -> int | None:
        """Index of a candidate the judge would accept for ``word`` (exact entry first, then the
        judge's normalisation, then its s/es plurals; the most probable candidate wins ties)."""
        exact = self.index_of(word)
        if exact is not None:
            return exact
        same = self._by_judge_key.get(judge_normalize(word))
        found = same or self.judge_matches(word)
        return max(found, key=lambda i: self.log_prior[i]) if found else None
