"""``python -m llm20q.eval.question_noise``: how much people differ on each broad question, from the
people's panel, written where the planner reads it (``agent/planner/question_noise.json``).

For every question of the panel (``data/people_panel.csv``: thing, group, question, answer with
answer yes / no / differs) the share of its things marked "differs" and, for a knowledge folder
(``--kb``), how often the panel contradicts the table's confident answers (outside the answerer's
trust margin, as ``kb agreement`` reads them; "differs" counts half), each way: ``table`` maps a
question to [yes against the table's no, the table's no pairs, no against its yes, its yes pairs],
keyed by the table's ``answers.npz`` sha256 (the planner uses those counts only with that very
table). The planner's false-yes and false-no rates of a question are those rates smoothed toward its
flat table noise plus half the share people differ on (:class:`agent.planner.belief.Belief`): where
people differ, a partner goes either way; where the table reads a question unlike people do, a
truthful partner contradicts it.

Shortcut: only the people's side; the real model's per-question disagreements are not stored in the
repository yet (its bias is learned during the game instead: ``planner_yes_bias_grid``). Rerun after
``make kb`` (a new table has a new sha256, and its counts are ignored until then).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path

from agent.planner.index import QUESTION_NOISE_FILE, answers_sha256
from agent.planner.store import KnowledgeBase
from llm20q.kb.agreement import default_margin, table_says
from llm20q.panel import DEFAULT_PANEL, PanelPair, PeopleAnswer, read_panel


def differs_rates(pairs: list[PanelPair]) -> dict[str, float]:
    """Per question of the panel: the share of its things people differ on (3 decimals)."""
    total: Counter[str] = Counter()
    differs: Counter[str] = Counter()
    for pair in pairs:
        total[pair.question] += 1
        differs[pair.question] += pair.answer is PeopleAnswer.DIFFERS
    return {q: round(differs[q] / total[q], 3) for q in sorted(total)}


def table_contradictions(pairs: list[PanelPair], kb: KnowledgeBase) -> dict[str, list[float]]:
    """Per panel question the table asks: [panel yes where the table says no, table-no pairs,
    panel no where the table says yes, table-yes pairs] over the table's confident answers
    (:func:`llm20q.kb.agreement.table_says` at the answerer's margin; "differs" counts half)."""
    counts: dict[str, list[float]] = {}
    margin = default_margin()
    for pair in pairs:
        row, candidate = kb.question_ids.get(pair.question), kb.index_of(pair.thing.lower())
        if row is None or candidate is None:
            continue
        says = table_says(float(kb.answer_probs(row)[candidate]), margin)
        if says is None:
            continue
        entry = counts.setdefault(pair.question, [0.0, 0.0, 0.0, 0.0])
        side = 2 if says else 0
        against = PeopleAnswer.NO if says else PeopleAnswer.YES
        entry[side] += 0.5 if pair.answer is PeopleAnswer.DIFFERS else float(pair.answer is against)
        entry[side + 1] += 1.0
    return dict(sorted(counts.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m llm20q.eval.question_noise")
    parser.add_argument("--panel", type=Path, default=DEFAULT_PANEL)
    parser.add_argument("--kb", type=Path, help="knowledge folder: also its contradictions")
    parser.add_argument("--out", type=Path, default=QUESTION_NOISE_FILE)
    args = parser.parse_args(argv)
    pairs = read_panel(args.panel)
    rates = differs_rates(pairs)
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
        record["table"] = table_contradictions(pairs, kb)
    args.out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    mean = sum(rates.values()) / len(rates)
    print(f"{len(rates)} questions, mean differs {mean:.3f} -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
