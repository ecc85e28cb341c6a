"""Calibrating the LLM answerer's yes threshold on the team's labelled triples
(``llm20q eval-answerer --calibrate``).

The triples are split, seeded and kind by kind (each kind keeps its share), into a calibration
part (``fraction``) and a held-out part. Each triple is decided as the agent's rule-first
answerer does (:meth:`agent.policies.answerer.RuleFirstAnswerer.decide`: rules, then the knowledge
table, else the LLM), and the LLM answerer's P(yes) (:class:`agent.policies.llm.LlmAnswerer`, the
``answerer_prompt`` setting) is read for every triple the rules do not decide. The threshold is
the one that maximises the LLM's accuracy on those triples of the calibration part (the middle
of the best thresholds). Held-out accuracy is reported by kind at the configured threshold
(``yes_threshold``) and at the calibrated one, for the whole answerer and for the LLM alone,
with the held-out ROC AUC of P(yes) (how well it separates yes from no at any threshold).

The knowledge labeller's prompt (:func:`llm20q.kb.label.labeller.label_chat`: question first,
keyword last, keywords lowercased as lexicon candidates are) is calibrated the same way, one
branching call per question: its threshold is what ``kb merge --llm-threshold`` takes.

Shortcuts: one round per triple (no game history, category as labelled); the split is by
triple, so a keyword may appear on both sides (the questions differ).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

import numpy as np

from agent.game import Round, SeatState
from agent.model.files import resolve_model_path
from agent.model.llama_branching import LlamaBranchingBackend
from agent.model.protocol import BranchingBackend, ChatBackend
from agent.planner.knowledge import shared_knowledge
from agent.policies.answerer import RuleFirstAnswerer
from agent.policies.llm import LlmAnswerer
from agent.policies.prompts import load_prompts
from agent.settings import AgentSettings
from llm20q.eval.answerer import Triple, tally
from llm20q.kb.label.labeller import label_keywords
from llm20q.progress import progress_bar
from llm20q.stats import roc_auc

LABEL_LANES = 32


@dataclass
class Scored:
    """One triple: its side of the split, who decides it, and the LLM's P(yes) per prompt."""

    index: int
    held_out: bool
    source: str  # rules, table or llm
    fixed: bool | None  # the rules' or the table's answer
    p_answerer: float | None = None  # None when the rules decide
    p_label: float | None = None


Pick = Callable[[Scored], float | None]  # which prompt's P(yes) of a triple


def split_triples(triples: Sequence[Triple], fraction: float, seed: int) -> set[int]:
    """Indices of the held-out part: per kind, a seeded shuffle keeps ``1 - fraction``."""
    if not 0.0 < fraction < 1.0:
        raise ValueError("--split must be strictly between 0 and 1")
    rng = random.Random(seed)
    by_kind: dict[str, list[int]] = {}
    for i, triple in enumerate(triples):
        by_kind.setdefault(triple.kind, []).append(i)
    held: set[int] = set()
    for kind in sorted(by_kind):
        indices = by_kind[kind]
        rng.shuffle(indices)
        held.update(indices[round(len(indices) * fraction) :])
    return held


def best_threshold(probs: Sequence[float], truth: Sequence[bool]) -> float:
    """The threshold (answer yes when p >= t) of highest accuracy: the median of the best
    candidates (midpoints between consecutive distinct probabilities, and the two ends)."""
    if not probs:
        raise ValueError("no probabilities to calibrate on")
    p = np.asarray(probs, dtype=np.float64)
    yes = np.asarray(truth, dtype=bool)
    values = np.unique(p)
    candidates = np.concatenate(([0.0], (values[1:] + values[:-1]) / 2, [np.nextafter(1.0, 2)]))
    accuracy = np.array([np.mean((p >= t) == yes) for t in candidates])
    best = candidates[accuracy == accuracy.max()]
    return float(np.median(best))


def _answers(
    scored: Sequence[Scored], pick: Pick, threshold: float, *, llm_only: bool
) -> list[tuple[int, str]]:
    """(triple index, answer): the rules' or table's answer where they decide (unless
    ``llm_only``, which keeps only triples with a P(yes)), else P(yes) >= ``threshold``."""
    rows = []
    for s in scored:
        p = pick(s)
        if s.fixed is not None and not llm_only:
            decided = s.fixed
        elif p is not None:
            decided = p >= threshold
        else:
            continue
        rows.append((s.index, "yes" if decided else "no"))
    return rows


def _by_kind(triples: Sequence[Triple], rows: Sequence[tuple[int, str]]) -> dict[str, Any]:
    groups: dict[str, list[tuple[Triple, str]]] = {}
    for index, answer in rows:
        groups.setdefault(triples[index].kind, []).append((triples[index], answer))
    every = [(triples[i], answer) for i, answer in rows]
    return {"all": tally(every), **{k: tally(groups[k]) for k in sorted(groups)}}


class CalibrationBackend(ChatBackend, BranchingBackend, Protocol):
    """Both calls: the answerer's ``yes_probability`` and the labeller's ``yes_probabilities``."""


def score_triples(
    triples: Sequence[Triple],
    settings: AgentSettings,
    held: set[int],
    backend: CalibrationBackend,
    *,
    progress: bool = False,
) -> list[Scored]:
    """Who decides each triple, and both prompts' P(yes) where the rules do not."""
    rules_first = RuleFirstAnswerer(shared_knowledge(settings), _no_llm)
    llm = LlmAnswerer(backend, load_prompts(), settings, "calibrate/answerer")
    scored = []
    with progress_bar(len(triples), "calibrate", "triple", shown=progress) as bar:
        for i, t in enumerate(triples):
            source, fixed = rules_first.decide(t.question, t.keyword)
            s = Scored(i, i in held, source, fixed)
            if source != "rules":
                rounds = (Round(t.question),)
                state = SeatState(keyword=t.keyword, category=t.category, rounds=rounds)
                s.p_answerer = llm.yes_probability(state)
            scored.append(s)
            bar.update(1)
    by_question: dict[str, list[Scored]] = {}
    for s in scored:
        if s.source != "rules":
            by_question.setdefault(triples[s.index].question, []).append(s)
    for question, group in by_question.items():
        keywords = [triples[s.index].keyword.lower() for s in group]
        for s, p in zip(group, label_keywords(backend, question, keywords), strict=True):
            s.p_label = float(p)
    return scored


def model_backend(settings: AgentSettings) -> LlamaBranchingBackend:
    """The settings' GGUF with room for the label prompt's branches."""
    update = {"n_seq_max": LABEL_LANES + 2}
    return LlamaBranchingBackend(resolve_model_path(settings), settings.model_copy(update=update))


def _no_llm() -> LlmAnswerer:
    raise RuntimeError("calibration reads P(yes) itself")


def calibrate(
    triples: Sequence[Triple],
    settings: AgentSettings,
    *,
    fraction: float = 0.5,
    seed: int = 0,
    progress: bool = True,
    backend: CalibrationBackend | None = None,
) -> dict[str, Any]:
    """The calibration report (see the module docstring), JSON-ready; ``backend`` defaults to
    the settings' model."""
    held = split_triples(triples, fraction, seed)
    if backend is None:
        loaded = model_backend(settings)
        try:
            scored = score_triples(triples, settings, held, loaded, progress=progress)
        finally:
            loaded.close()
    else:
        scored = score_triples(triples, settings, held, backend, progress=progress)
    calibration = [s for s in scored if not s.held_out]
    held_out = [s for s in scored if s.held_out]
    report: dict[str, Any] = {
        "split": {
            "fraction": fraction,
            "seed": seed,
            "calibration": len(calibration),
            "held_out": len(held_out),
        },
        "answerer_prompt": settings.answerer_prompt.value,
        "decided_by": {k: sum(s.source == k for s in scored) for k in ("rules", "table", "llm")},
    }
    prompts: tuple[tuple[Pick, str, float], ...] = (
        (lambda s: s.p_answerer, "answerer", settings.yes_threshold),
        (lambda s: s.p_label, "label_prompt", 0.5),
    )
    for attr, name, configured in prompts:
        semantic = [s for s in calibration if attr(s) is not None]
        truth = [triples[s.index].expected == "yes" for s in semantic]
        threshold = best_threshold([p for s in semantic if (p := attr(s)) is not None], truth)
        held_scored = [(p, triples[s.index].expected == "yes")
                       for s in held_out if (p := attr(s)) is not None]  # fmt: skip
        auc = roc_auc([p for p, _ in held_scored], [yes for _, yes in held_scored])
        entry: dict[str, Any] = {
            "held_out_auc": round(auc, 3) if auc is not None else None,
            "threshold_configured": configured,
            "threshold_calibrated": round(threshold, 4),
            "calibration_llm_only": {
                "configured": tally_rows(
                    triples, _answers(semantic, attr, configured, llm_only=True)
                ),
                "calibrated": tally_rows(
                    triples, _answers(semantic, attr, threshold, llm_only=True)
                ),
            },
            "held_out_llm_only": {
                "configured": _by_kind(
                    triples, _answers(held_out, attr, configured, llm_only=True)
                ),
                "calibrated": _by_kind(triples, _answers(held_out, attr, threshold, llm_only=True)),
            },
        }
        if name == "answerer":
            entry["held_out"] = {
                "configured": _by_kind(
                    triples, _answers(held_out, attr, configured, llm_only=False)
                ),
                "calibrated": _by_kind(
                    triples, _answers(held_out, attr, threshold, llm_only=False)
                ),
            }
        report[name] = entry
    report["rows"] = [
        {
            **asdict(s),
            "keyword": triples[s.index].keyword,
            "question": triples[s.index].question,
            "kind": triples[s.index].kind,
            "expected": triples[s.index].expected,
        }
        for s in scored
    ]
    return report


def tally_rows(triples: Sequence[Triple], rows: Sequence[tuple[int, str]]) -> dict[str, Any]:
    return tally((triples[i], answer) for i, answer in rows)


def calibration_table(report: dict[str, Any]) -> str:
    """Markdown: held-out accuracy by kind, before and after calibration."""
    answerer, label = report["answerer"], report["label_prompt"]
    before, after = answerer["held_out"]["configured"], answerer["held_out"]["calibrated"]
    llm_before = answerer["held_out_llm_only"]["configured"]
    llm_after = answerer["held_out_llm_only"]["calibrated"]
    label_after = label["held_out_llm_only"]["calibrated"]
    t0, t1 = answerer["threshold_configured"], answerer["threshold_calibrated"]
    lines = [
        f"held out: {report['split']['held_out']} triples; answerer prompt "
        f"'{report['answerer_prompt']}', threshold {t0} -> {t1}, AUC {answerer['held_out_auc']}; "
        f"label prompt threshold {label['threshold_calibrated']}, AUC {label['held_out_auc']}",
        f"| kind | n | answerer @{t0} | answerer @{t1} | LLM alone @{t0} | LLM alone @{t1} "
        f"| label prompt @{label['threshold_calibrated']} |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]

    def cell(table: dict[str, Any], kind: str) -> str:
        entry = table.get(kind)
        return f"{entry['accuracy']:.1%} ({entry['n']})" if entry and entry["n"] else "-"

    for kind in [k for k in before if k != "all"] + ["all"]:
        lines.append(
            f"| {kind} | {before[kind]['n']} | {cell(before, kind)} | {cell(after, kind)} | "
            f"{cell(llm_before, kind)} | {cell(llm_after, kind)} | {cell(label_after, kind)} |"
        )
    return "\n".join(lines)
