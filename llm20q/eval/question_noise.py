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

With ``--partner FILE`` (repeatable: ``llm20q kb agreement --partner llm:GGUF:STYLE --json
FILE``, e.g. ``data/partner_panel_qwen1.5b_fewshot.json`` and ``_zeroshot.json``) a plain LLM
partner's own per-question disagreements with people are added on top
(:mod:`llm20q.eval.partner_noise`): the file keeps the people-only counts as ``table_people``,
writes the partner's smoothed rates (averaged over the files) as ``partner``, and ``table``, the
counts the planner reads, becomes the partner's against the table (same format, same pairs).
Without ``--partner`` the file is as before.

Shortcut: the partner side is one model's (the files given), and the planner applies it to every
partner that is not an Alpha one (people included). Rerun after ``make kb`` (a new table has a new
sha256, and its counts are ignored until then).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path

from agent.planner.index import QUESTION_NOISE_FILE, answers_sha256
from agent.planner.store import KnowledgeBase
from llm20q.eval.partner_noise import (
    DEFAULT_PSEUDO,
    compose,
    flat_rates,
    mean_rates,
    partner_counts,
    smoothed_rates,
)
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


def partner_record(
    files: list[Path], pseudo: float
) -> tuple[dict[str, object], dict[str, tuple[float, float]]]:
    """The ``partner`` entry of the file (each file's identity and flat rates, the mean rates
    per question) and those rates, from ``kb agreement --partner`` JSON files."""
    each, sources = [], []
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        counts = partner_counts(data["answers"])
        each.append(smoothed_rates(counts, pseudo))
        flat_yes, flat_no = flat_rates(counts)
        sources.append(
            {
                "file": path.name,
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                "spec": Path(str(data["partner"].get("spec", ""))).name,
                "things": len(data.get("things", [])),
                "flat": [round(flat_yes, 4), round(flat_no, 4)],
            }
        )
    rates = mean_rates(each)
    entry: dict[str, object] = {
        "about": "per question [P(partner yes | people no), P(partner no | people yes)], "
        "smoothed toward each partner's flat rate, averaged over the files",
        "pseudo": pseudo,
        "files": sources,
        "rates": {q: [round(a, 4), round(b, 4)] for q, (a, b) in rates.items()},
    }
    return entry, rates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m llm20q.eval.question_noise")
    parser.add_argument("--panel", type=Path, default=DEFAULT_PANEL)
    parser.add_argument("--kb", type=Path, help="knowledge folder: also its contradictions")
    parser.add_argument("--out", type=Path, default=QUESTION_NOISE_FILE)
    parser.add_argument(
        "--partner",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a plain LLM partner's panel answers (kb agreement --partner ... --json FILE); "
        "repeatable: their per-question rates are averaged",
    )
    parser.add_argument(
        "--partner-pseudo",
        type=float,
        default=DEFAULT_PSEUDO,
        help="pseudo-pairs of a partner's flat rate in each question's (default %(default)s)",
    )
    args = parser.parse_args(argv)
    pairs = read_panel(args.panel)
    differs = differs_rates(pairs)
    digest = hashlib.sha256(args.panel.read_bytes()).hexdigest()
    record: dict[str, object] = {
        "command": "python -m llm20q.eval.question_noise"
        + (f" --kb {args.kb.name}" if args.kb else "")
        + "".join(f" --partner {path}" for path in args.partner),
        "panel": args.panel.name,
        "panel_sha256": digest,
        "differs": differs,
    }
    rates: dict[str, tuple[float, float]] | None = None
    if args.partner:
        record["partner"], rates = partner_record(args.partner, args.partner_pseudo)
    if args.kb:
        kb = KnowledgeBase.load(args.kb)
        record["answers_sha256"] = answers_sha256(kb)
        people = table_contradictions(pairs, kb)
        if rates is None:
            record["table"] = people
        else:
            record["table_people"] = people
            record["table"] = compose(people, rates)
    args.out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    mean = sum(differs.values()) / len(differs)
    print(f"{len(differs)} questions, mean differs {mean:.3f} -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
