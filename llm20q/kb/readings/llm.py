"""LLM labels as one more source of the table: ``data/llm_labels.npz`` written from a
``kb label`` run (``llm20q kb export-labels``) and read by the builder where rules are silent.

The file holds ``questions`` and ``candidates`` (UTF-8, one a line, as uint8 blobs), ``p_yes``
(questions x candidates, float16, NaN = not labelled), ``plan`` (the run's plan as JSON: model
id, prompt sha256, shard size), ``command`` (how it was made) and ``fit`` / ``fit_report``.
Only questions with at least one label are kept.

A model's p(yes) leans to yes (issue 20: 289 of 298 mistakes of a 1.5B zero-shot partner were a
yes), so it is not used as it comes: :func:`fit_calibration` fits ``logit p' = scale * logit p +
shift`` (logistic regression, Newton steps) on the panel pairs of fold 0
(:func:`llm20q.panel.fold`) that the model labelled and the rules leave open (the table of
``--kb`` answers them by its ``default`` or leaves them ``unlabelled``: the labels will only
answer those), and reports the same on fold 1 (held out); the builder uses p'. Where the rules'
default says no and is right for most things, the fit learns how strong a model yes must be to
overturn it.

Shortcut: the labels are for the run's candidates as written; a candidate the build lacks is
dropped. With fewer than :data:`MIN_FIT_PAIRS` labelled pairs on fold 0 the fit is the identity.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from llm20q.kb.agreement import default_margin, table_says
from llm20q.kb.output import write_npz
from llm20q.panel import Agreement, PanelPair, PeopleAnswer, fold

MIN_FIT_PAIRS = 20


def _logit(p: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    q = np.clip(p, 1e-4, 1 - 1e-4)
    out: npt.NDArray[np.float64] = np.log(q / (1 - q))
    return out


def _sigmoid(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-x))
    return out


def fit_calibration(
    p: npt.NDArray[np.float64], yes: npt.NDArray[np.bool_], ridge: float = 1e-2
) -> tuple[float, float]:
    """(scale, shift) of ``logit p' = scale * logit p + shift`` that maximise the likelihood
    of the people's answers ``yes`` (a little ridge keeps it finite on separable data)."""
    if len(p) < MIN_FIT_PAIRS:
        return 1.0, 0.0
    x = np.column_stack([_logit(p), np.ones(len(p))])
    y = yes.astype(np.float64)
    w = np.array([1.0, 0.0])
    for _ in range(50):
        q = _sigmoid(x @ w)
        grad = x.T @ (q - y) + ridge * w
        hess = (x * (q * (1 - q))[:, None]).T @ x + ridge * np.eye(2)
        step = np.linalg.solve(hess, grad)
        w = w - step
        if np.abs(step).max() < 1e-8:
            break
    return float(w[0]), float(w[1])


def calibrate(p: npt.NDArray[np.float64], scale: float, shift: float) -> npt.NDArray[np.float64]:
    """The calibrated p(yes)."""
    return _sigmoid(scale * _logit(p) + shift)


def _blob(texts: Sequence[str]) -> npt.NDArray[np.uint8]:
    return np.frombuffer("\n".join(texts).encode("utf-8"), dtype=np.uint8)


def _texts(blob: npt.NDArray[np.uint8]) -> list[str]:
    text = blob.tobytes().decode("utf-8")
    return text.split("\n") if text else []


def panel_fit(
    questions: Sequence[str],
    candidates: Sequence[str],
    p_yes: npt.NDArray[np.float32],
    match: Callable[[str], str | None],
    pairs: Sequence[PanelPair],
) -> dict[str, Any]:
    """The calibration fitted on fold 0 of the panel ``pairs`` the labels cover (things matched
    to a candidate text by ``match``; pass only the pairs the labels will answer, those where
    the rules are silent), with the agreement of the raw and calibrated labels on both folds at
    the answerer's margin, and of answering no to all (the readings' default)."""
    q_of = {q: i for i, q in enumerate(questions)}
    c_of = {c: i for i, c in enumerate(candidates)}
    rows: list[tuple[int, float, bool]] = []
    for pair in pairs:
        if pair.answer is PeopleAnswer.DIFFERS or pair.question not in q_of:
            continue
        text = match(pair.thing)
        column = c_of.get(text) if text is not None else None
        if column is None:
            continue
        value = float(p_yes[q_of[pair.question], column])
        if not np.isnan(value):
            rows.append((fold(pair.thing), value, pair.answer is PeopleAnswer.YES))
    folds = np.array([r[0] for r in rows], dtype=np.int64)
    p = np.array([r[1] for r in rows], dtype=np.float64)
    yes = np.array([r[2] for r in rows], dtype=bool)
    scale, shift = fit_calibration(p[folds == 0], yes[folds == 0])
    report: dict[str, Any] = {
        "scale": round(scale, 4),
        "shift": round(shift, 4),
        "pairs": {"fold0": int(np.sum(folds == 0)), "fold1": int(np.sum(folds == 1))},
    }
    margin = default_margin()
    for k in (0, 1):
        sel = folds == k
        runs = (
            ("raw", p[sel]),
            ("calibrated", calibrate(p[sel], scale, shift)),
            ("always_no", np.zeros(int(sel.sum()))),  # the readings' default, for comparison
        )
        for name, probs in runs:
            tally = Agreement()
            for q, y in zip(probs.tolist(), yes[sel].tolist(), strict=True):
                tally = tally.add(PeopleAnswer.YES if y else PeopleAnswer.NO, table_says(q, margin))
            report[f"fold{k}_{name}"] = tally.as_dict()
    return report


def export_labels(
    run_dir: Path,
    out: Path,
    command: str,
    match: Callable[[str], str | None],
    pairs: Sequence[PanelPair],
) -> dict[str, Any]:
    """Write the finished shards of the ``kb label`` run in ``run_dir`` to ``out`` with the
    calibration fitted on the panel (:func:`panel_fit`); returns a summary."""
    from llm20q.kb.label.plan import RunFolder

    run = RunFolder(run_dir)
    plan = run.load_plan()
    table = run.table(plan)
    keep = ~np.all(np.isnan(table), axis=1)
    questions = [q for q, k in zip(plan.questions, keep.tolist(), strict=True) if k]
    identity = plan.identity()
    fit = panel_fit(questions, plan.candidates, table[keep], match, pairs)
    write_npz(
        out,
        {
            "questions": _blob(questions),
            "candidates": _blob(plan.candidates),
            "p_yes": table[keep].astype(np.float16),
            "plan": _blob([json.dumps(identity, sort_keys=True)]),
            "command": _blob([command]),
            "fit": np.array([fit["scale"], fit["shift"]], dtype=np.float64),
            "fit_report": _blob([json.dumps(fit, sort_keys=True)]),
        },
    )
    return {
        "questions": len(questions),
        "candidates": len(plan.candidates),
        "labels": int(np.count_nonzero(~np.isnan(table[keep]))),
        "model": plan.model,
        "prompt_sha256": plan.prompt_sha256,
        "fit": fit,
    }


@dataclass
class LlmLabels:
    """Model labels mapped onto a build's candidates."""

    questions: dict[str, int]
    columns: npt.NDArray[np.int64]  # build candidate index of each labelled candidate
    p_yes: npt.NDArray[np.float32]  # (questions x labelled candidates), NaN = not labelled
    plan: dict[str, Any]
    scale: float = 1.0
    shift: float = 0.0

    @classmethod
    def load(cls, path: Path, candidates: Sequence[str]) -> LlmLabels:
        """The labels of ``path`` for the build's ``candidates``, with the file's calibration."""
        with np.load(path) as data:
            questions = _texts(data["questions"])
            names = _texts(data["candidates"])
            p_yes = np.asarray(data["p_yes"], dtype=np.float32)
            plan = json.loads(data["plan"].tobytes().decode("utf-8"))
            scale, shift = (float(v) for v in data["fit"])
        index = {text: i for i, text in enumerate(candidates)}
        found = [index.get(n) for n in names]
        known = np.array([i is not None for i in found], dtype=bool)
        columns = np.array([i for i in found if i is not None], dtype=np.int64)
        return cls(
            {q: k for k, q in enumerate(questions)}, columns, p_yes[:, known], plan, scale, shift
        )

    def column(self, question: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]] | None:
        """(build candidate indices, calibrated p(yes)) of the labelled candidates of
        ``question``, or None when the model did not label it."""
        q = self.questions.get(question)
        if q is None:
            return None
        row = self.p_yes[q].astype(np.float64)
        keep = ~np.isnan(row)
        if not keep.any():
            return None
        return self.columns[keep], calibrate(row[keep], self.scale, self.shift)
