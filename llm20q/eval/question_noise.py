"""``python -m llm20q.eval.question_noise``: how much people differ on each broad question, from
the people's panel, written where the planner reads it (``agent/planner/question_noise.json``).

For every question of the panel (``data/people_panel.csv``: thing, group, question, answer with
answer yes / no / differs) the share of its things marked "differs" and, for a knowledge folder
(``--kb``), how often the panel contradicts the table's confident answers (p >= 0.75 or <= 0.25;
"differs" counts half), each way: ``table`` maps a question to [yes against the table's no,
the table's no pairs, no against its yes, its yes pairs], keyed by the table's ``answers.npz``
sha256 (the planner uses those counts only with that very table). The planner's false-yes and
false-no rates of a question are those rates smoothed toward its flat table noise plus half the
share people differ on (:class:`agent.planner.belief.Belief`): where people differ, a partner
goes either way; where the table reads a question unlike people do, a truthful partner
contradicts it.

Shortcut: only the people's side; the real model's per-question disagreements are not stored in
the repository yet (its bias is learned during the game instead: ``planner_yes_bias_grid``).
Rerun after ``make kb`` (a new table has a new sha256, and its counts are ignored until then).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
from collections import Counter
from pathlib import Path

from agent.planner.index import QUESTION_NOISE_FILE, answers_sha256
from agent.planner.store import KnowledgeBase
from agent.settings import PROJECT_DIR

PANEL = PROJECT_DIR / "data" / "people_panel.csv"


def differs_rates(panel: Path) -> dict[str, float]:
    """Per question of ``panel``: the share of its things people differ on (3 decimals)."""
    total: Counter[str] = Counter()
    differs: Counter[str] = Counter()
    with panel.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            question, answer = row["question"].strip(), row["answer"].strip().lower()
            if answer not in ("yes", "no", "differs"):
                raise ValueError(f"{panel}: {question!r}: answer {answer!r} is not yes/no/differs")
            total[question] += 1
            differs[question] += answer == "differs"
    return {q: round(differs[q] / total[q], 3) for q in sorted(total)}


def read_panel(panel: Path) -> list[tuple[str, str, str]]:
    """(thing, question, answer) rows of ``panel``."""
    with panel.open(encoding="utf-8", newline="") as handle:
        return [
            (row["thing"].strip(), row["question"].strip(), row["answer"].strip().lower())
            for row in csv.DictReader(handle)
        ]


def table_contradictions(panel: Path, kb: KnowledgeBase) -> dict[str, list[float]]:
    """Per panel question the table asks: [panel yes where the table says no, table-no pairs,
    panel no where the table says yes, table-yes pairs] over the table's confident answers
    (p <= 0.25 or >= 0.75; "differs" counts half)."""
    counts: dict[str, list[float]] = {}
    for thing, question, answer in read_panel(panel):
        row, candidate = kb.question_ids.get(question), kb.index_of(thing.lower())
        if row is None or candidate is None:
            continue
        p = float(kb.answer_probs(row)[candidate])
        if 0.25 < p < 0.75:
            continue
        entry = counts.setdefault(question, [0.0, 0.0, 0.0, 0.0])
        side = 2 if p >= 0.75 else 0
        against = "no" if side else "yes"
        entry[side] += 0.5 if answer == "differs" else float(answer == against)
        entry[side + 1] += 1.0
    return dict(sorted(counts.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m llm20q.eval.question_noise")
    parser.add_argument("--panel", type=Path, default=PANEL)
    parser.add_argument("--kb", type=Path, help="knowledge folder: also its contradictions")
    parser.add_argument("--out", type=Path, default=QUESTION_NOISE_FILE)
    args = parser.parse_args(argv)
    rates = differs_rates(args.panel)
    digest = hashlib.sha256(args.panel.read_bytes()).hexdigest()
    record: dict[str, object] = {
        "command": "python -m llm20q.eval.question_noise"
        + (f" --kb {args.kb.name}" if args.kb else ""),
        "panel": args.panel.name,
        "panel_sha256": digest,
        "differs": rates,
    }
    if args.kb:
        kb = KnowledgeBase.load(args.kb)
        record["answers_sha256"] = answers_sha256(kb)
        record["table"] = table_contradictions(args.panel, kb)
    args.out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    mean = sum(rates.values()) / len(rates)
    print(f"{len(rates)} questions, mean differs {mean:.3f} -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
