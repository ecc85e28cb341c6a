"""The noise a plain LLM partner adds on top of people's, per question, for the planner's
``question_noise.json`` (``python -m llm20q.eval.question_noise --partner FILE ...``).

Input: the JSON of ``llm20q kb agreement --partner llm:GGUF:STYLE --json FILE`` (every pair's
``people`` and ``partner`` answer). Per question and partner, :func:`partner_counts` counts the
partner's yes where people say no (out of the people-no pairs) and its no where people say yes
(out of the people-yes pairs); "differs" pairs are left out. :func:`smoothed_rates` turns them
into a = P(partner yes | people no) and b = P(partner no | people yes), each smoothed toward the
partner's own flat rate over every question with ``pseudo`` pseudo-pairs (a question seen on 40
things has ~3 people-yes pairs: its b alone would be noise); :func:`mean_rates` averages
partners (the two prompt styles) question by question.

:func:`compose` puts them on top of the people-vs-table counts the planner reads (``table``:
[people yes against the table's no, table-no pairs, people no against its yes, table-yes pairs]):
with p0 = P(people yes | table no) and p1 = P(people no | table yes),

    P(partner yes | table no) = p0 (1 - b) + (1 - p0) a
    P(partner no | table yes) = p1 (1 - a) + (1 - p1) b

written back as counts over the same pairs (so the planner's smoothing and its reading of the
file are unchanged).

Shortcuts: the partner's errors are taken as independent of where people and the table disagree
(given what people answer); a question the partner runs did not ask keeps the people's counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

DEFAULT_PSEUDO = 10.0  # pseudo-pairs of the partner's flat rate in each question's rates


def partner_counts(answers: Iterable[Mapping[str, Any]]) -> dict[str, list[int]]:
    """Per question: [partner yes where people say no, people-no pairs, partner no where people
    say yes, people-yes pairs] from ``kb agreement --partner``'s ``answers`` rows."""
    counts: dict[str, list[int]] = {}
    for row in answers:
        people, said = row["people"], row["partner"]
        if people not in ("yes", "no"):
            continue
        entry = counts.setdefault(row["question"], [0, 0, 0, 0])
        side = 0 if people == "no" else 2
        entry[side] += int(said != people)
        entry[side + 1] += 1
    return dict(sorted(counts.items()))


def flat_rates(counts: Mapping[str, Sequence[float]]) -> tuple[float, float]:
    """The partner's false-yes and false-no rates over every question pooled."""
    totals = [sum(entry[i] for entry in counts.values()) for i in range(4)]
    return (
        totals[0] / totals[1] if totals[1] else 0.0,
        totals[2] / totals[3] if totals[3] else 0.0,
    )


def smoothed_rates(
    counts: Mapping[str, Sequence[float]], pseudo: float = DEFAULT_PSEUDO
) -> dict[str, tuple[float, float]]:
    """Per question (a, b): false-yes and false-no rates, each with ``pseudo`` pairs of the
    partner's flat rate (:func:`flat_rates`) added."""
    flat_yes, flat_no = flat_rates(counts)
    return {
        q: (
            (e[0] + pseudo * flat_yes) / (e[1] + pseudo),
            (e[2] + pseudo * flat_no) / (e[3] + pseudo),
        )
        for q, e in counts.items()
        if e[1] + pseudo > 0 and e[3] + pseudo > 0
    }


def mean_rates(
    partners: Sequence[Mapping[str, tuple[float, float]]],
) -> dict[str, tuple[float, float]]:
    """Question by question, the mean (a, b) over the partners that asked it."""
    out: dict[str, tuple[float, float]] = {}
    for q in sorted({q for rates in partners for q in rates}):
        seen = [rates[q] for rates in partners if q in rates]
        out[q] = (sum(a for a, _ in seen) / len(seen), sum(b for _, b in seen) / len(seen))
    return out


def compose(
    table: Mapping[str, Sequence[float]], rates: Mapping[str, tuple[float, float]]
) -> dict[str, list[float]]:
    """People-vs-table counts turned into partner-vs-table counts over the same pairs (see the
    module docstring); questions without partner rates are copied."""
    out: dict[str, list[float]] = {}
    for q, (yes_vs_no, table_no, no_vs_yes, table_yes) in table.items():
        if q not in rates:
            out[q] = [float(yes_vs_no), float(table_no), float(no_vs_yes), float(table_yes)]
            continue
        a, b = rates[q]
        p0 = yes_vs_no / table_no if table_no else 0.0
        p1 = no_vs_yes / table_yes if table_yes else 0.0
        false_yes = p0 * (1.0 - b) + (1.0 - p0) * a
        false_no = p1 * (1.0 - a) + (1.0 - p1) * b
        out[q] = [
            round(table_no * false_yes, 3),
            float(table_no),
            round(table_yes * false_no, 3),
            float(table_yes),
        ]
    return out
