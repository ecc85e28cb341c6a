"""LLM labels as one more source of the table: ``data/llm_labels.npz`` written from a
``kb label`` run (``llm20q kb export-labels``) and read by the builder where rules are silent.

The file holds ``questions`` and ``candidates`` (UTF-8, one a line, as uint8 blobs), ``p_yes``
(questions x candidates, float16, NaN = not labelled) and ``plan`` (the run's plan as JSON: model
id, prompt sha256, shard size) and ``command`` (how it was made). Only questions with at least
one label are kept.

A model's p(yes) leans to yes (issue 20: 289 of 298 mistakes of a 1.5B zero-shot partner were a
yes); the builder moves it by ``shift`` (logit units) before use, a weight fitted on the panel's
fold 0 (:mod:`llm20q.kb.readings.fit`).

Shortcut: the labels are for the run's candidates as written; a candidate the build lacks is
dropped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from llm20q.kb.output import write_npz

DEFAULT_LABELS = Path(__file__).resolve().parents[3] / "data" / "llm_labels.npz"


def _blob(texts: Sequence[str]) -> npt.NDArray[np.uint8]:
    return np.frombuffer("\n".join(texts).encode("utf-8"), dtype=np.uint8)


def _texts(blob: npt.NDArray[np.uint8]) -> list[str]:
    text = blob.tobytes().decode("utf-8")
    return text.split("\n") if text else []


def export_labels(run_dir: Path, out: Path, command: str) -> dict[str, Any]:
    """Write the finished shards of the ``kb label`` run in ``run_dir`` to ``out``; returns a
    summary (questions, candidates, labels)."""
    from llm20q.kb.label_plan import RunFolder

    run = RunFolder(run_dir)
    plan = run.load_plan()
    table = run.table(plan)
    keep = ~np.all(np.isnan(table), axis=1)
    questions = [q for q, k in zip(plan.questions, keep.tolist(), strict=True) if k]
    identity = plan.identity()
    write_npz(
        out,
        {
            "questions": _blob(questions),
            "candidates": _blob(plan.candidates),
            "p_yes": table[keep].astype(np.float16),
            "plan": _blob([json.dumps(identity, sort_keys=True)]),
            "command": _blob([command]),
        },
    )
    return {
        "questions": len(questions),
        "candidates": len(plan.candidates),
        "labels": int(np.count_nonzero(~np.isnan(table[keep]))),
        "model": plan.model,
        "prompt_sha256": plan.prompt_sha256,
    }


@dataclass
class LlmLabels:
    """Model labels mapped onto a build's candidates."""

    questions: dict[str, int]
    columns: npt.NDArray[np.int64]  # build candidate index of each labelled candidate
    p_yes: npt.NDArray[np.float32]  # (questions x labelled candidates), NaN = not labelled
    plan: dict[str, Any]
    shift: float = 0.0

    @classmethod
    def load(cls, path: Path, candidates: Sequence[str], shift: float = 0.0) -> LlmLabels:
        with np.load(path) as data:
            questions = _texts(data["questions"])
            names = _texts(data["candidates"])
            p_yes = np.asarray(data["p_yes"], dtype=np.float32)
            plan = json.loads(data["plan"].tobytes().decode("utf-8"))
        index = {text: i for i, text in enumerate(candidates)}
        found = [index.get(n) for n in names]
        known = np.array([i is not None for i in found], dtype=bool)
        columns = np.array([i for i in found if i is not None], dtype=np.int64)
        return cls({q: k for k, q in enumerate(questions)}, columns, p_yes[:, known], plan, shift)

    def column(self, question: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]] | None:
        """(build candidate indices, shifted p(yes)) of the labelled candidates of
        ``question``, or None when the model did not label it."""
        q = self.questions.get(question)
        if q is None:
            return None
        row = self.p_yes[q].astype(np.float64)
        keep = ~np.isnan(row)
        if not keep.any():
            return None
        p = np.clip(row[keep], 1e-4, 1 - 1e-4)
        logit = np.log(p / (1 - p)) + self.shift
        return self.columns[keep], 1.0 / (1.0 + np.exp(-logit))
