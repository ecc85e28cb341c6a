"""Answerer accuracy on labelled (keyword, question, expected yes|no) triples.

Each triple is put to a fresh seat from ``make_seat`` as round 1 of a game (so exactly the
answerer the agent plays with, rules included), and the answer is compared with the label:
overall, per labelled kind, and per kind of the rules' own ``classify``, each with its confusion
(yes->no, no->yes). All triples use one session name and are asked in keyword order, so the
backend's cached prefix is reused between them.

Shortcut: only round-1 questions (no earlier rounds in the prompt), category always as labelled
(default "things").
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.kinds import classify
from agent.runtime import LazyBackend, make_seat
from agent.settings import AgentSettings
from llm20q.progress import progress_bar
from llm20q.stats import latency_summary


@dataclass(frozen=True)
class Triple:
    keyword: str
    question: str
    expected: str
    kind: str
    category: str = "things"


def read_triples(path: Path) -> list[Triple]:
    """(keyword, question, expected yes|no, kind) per JSON line; errors name the line."""
    if not path.is_file():
        raise ValueError(f"questions file not found: {path}")
    triples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            expected = str(row["expected"]).strip().lower()
            if expected not in ("yes", "no"):
                raise ValueError(f"expected must be yes or no, not {row['expected']!r}")
            triples.append(
                Triple(
                    keyword=str(row["keyword"]),
                    question=str(row["question"]),
                    expected=expected,
                    kind=str(row.get("kind") or "unlabelled"),
                    category=str(row.get("category") or "things"),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: {error}") from error
    if not triples:
        raise ValueError(f"{path} holds no triples")
    return triples


def answer_observation(triple: Triple) -> dict[str, Any]:
    """The judge's observation for an answerer asked ``triple.question`` in round 1."""
    return {
        "role": "answerer",
        "turnType": "answer",
        "questions": [triple.question],
        "answers": [],
        "guesses": [],
        "keyword": triple.keyword,
        "category": triple.category,
        "step": 1,
    }


def tally(rows: Iterable[tuple[Triple, str]]) -> dict[str, Any]:
    """Count, correct, accuracy and confusion of (triple, answer given) pairs."""
    rows = list(rows)
    correct = sum(t.expected == got for t, got in rows)
    return {
        "n": len(rows),
        "correct": correct,
        "accuracy": round(correct / len(rows), 4) if rows else None,
        "yes_to_no": sum(t.expected == "yes" and got == "no" for t, got in rows),
        "no_to_yes": sum(t.expected == "no" and got == "yes" for t, got in rows),
    }


def evaluate_answerer(
    triples: Sequence[Triple],
    settings: AgentSettings,
    *,
    backend: LazyBackend | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Accuracy of ``make_seat``'s answerer on ``triples`` (see the module docstring), with the
    latency of each answer and the wrong answers."""
    backend = backend or LazyBackend(settings)
    backend()  # load the GGUF before the first answer is timed
    order = sorted(range(len(triples)), key=lambda i: triples[i].keyword.lower())
    answers: dict[int, str] = {}
    seconds: list[float] = []
    seat_errors = 0
    with progress_bar(len(triples), "answerer", "question", shown=progress) as bar:
        for i in order:
            seat = make_seat("eval-answerer", settings, backend)
            started = time.perf_counter()
            answers[i] = seat.act(answer_observation(triples[i]))
            seconds.append(time.perf_counter() - started)
            seat_errors += seat.errors
            bar.update(1)
    rows = [(t, answers[i]) for i, t in enumerate(triples)]
    by_kind: dict[str, list[tuple[Triple, str]]] = {}
    by_rule: dict[str, list[tuple[Triple, str]]] = {}
    for triple, got in rows:
        by_kind.setdefault(triple.kind, []).append((triple, got))
        by_rule.setdefault(classify(triple.question).name, []).append((triple, got))
    overall = tally(rows)
    return {
        "questions": len(rows),
        "correct": overall["correct"],
        "accuracy": overall["accuracy"],
        "yes_to_no": overall["yes_to_no"],
        "no_to_yes": overall["no_to_yes"],
        "by_kind": {kind: tally(group) for kind, group in sorted(by_kind.items())},
        "by_rule_kind": {kind: tally(group) for kind, group in sorted(by_rule.items())},
        "latency_ms": latency_summary(seconds),
        "seat_errors": seat_errors,
        "wrong": [
            {"keyword": t.keyword, "question": t.question, "expected": t.expected, "kind": t.kind}
            for t, got in rows
            if got != t.expected
        ],
    }
