"""The noise a plain LLM partner adds on top of people's (``llm20q.eval.partner_noise``) and how
``python -m llm20q.eval.question_noise --partner`` writes it where the planner reads it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llm20q.eval.partner_noise import (
    compose,
    flat_rates,
    mean_rates,
    partner_counts,
    smoothed_rates,
)
from llm20q.eval.question_noise import main

BOX = "Is it a container?"
ANIMAL = "Is it an animal?"


def rows(question: str, people: str, partner: str, n: int) -> list[dict[str, str]]:
    return [{"question": question, "people": people, "partner": partner}] * n


# The zero-shot-like partner: yes to "container" for 6 of 8 things people say no to, and for the
# 2 people say yes to; "animal" right on all 10 but one people-yes thing it denies; a differs pair.
ANSWERS = [
    *rows(BOX, "no", "yes", 6), *rows(BOX, "no", "no", 2), *rows(BOX, "yes", "yes", 2),
    *rows(ANIMAL, "no", "no", 6), *rows(ANIMAL, "yes", "yes", 3), *rows(ANIMAL, "yes", "no", 1),
    *rows(BOX, "differs", "yes", 1),
]  # fmt: skip


def test_counts_rates_and_their_smoothing() -> None:
    counts = partner_counts(ANSWERS)
    assert counts == {ANIMAL: [0, 6, 1, 4], BOX: [6, 8, 0, 2]}  # differs left out
    assert flat_rates(counts) == (6 / 14, 1 / 6)
    raw = smoothed_rates(counts, pseudo=0.0)
    assert raw[BOX] == (0.75, 0.0) and raw[ANIMAL] == (0.0, 0.25)
    smooth = smoothed_rates(counts, pseudo=2.0)
    assert smooth[BOX][0] == pytest.approx((6 + 2 * 6 / 14) / 10)
    assert smooth[BOX][1] == pytest.approx((0 + 2 / 6) / 4)  # 2 yes pairs: pulled to the flat
    assert smooth[ANIMAL][0] < smooth[BOX][0]
    assert mean_rates([{BOX: (0.6, 0.2)}, {BOX: (0.2, 0.0), ANIMAL: (0.1, 0.1)}]) == {
        ANIMAL: (0.1, 0.1), BOX: pytest.approx((0.4, 0.1))
    }  # fmt: skip


def test_the_partner_noise_is_composed_on_the_people_vs_table_counts() -> None:
    table = {BOX: [1.0, 10.0, 2.0, 4.0], "Is it a tool?": [0.5, 5.0, 0.0, 0.0]}
    out = compose(table, {BOX: (0.5, 0.25)})
    # P(yes | table no) = 0.1 * 0.75 + 0.9 * 0.5; P(no | table yes) = 0.5 * 0.5 + 0.5 * 0.25
    assert out[BOX] == [pytest.approx(10 * 0.525), 10.0, pytest.approx(4 * 0.375), 4.0]
    assert out["Is it a tool?"] == [0.5, 5.0, 0.0, 0.0]  # no partner rates: people's counts
    assert compose(table, {BOX: (0.0, 0.0)})[BOX] == [1.0, 10.0, 2.0, 4.0]  # a perfect partner


def test_question_noise_writes_the_partner_rates_and_keeps_the_people_counts(
    tmp_path: Path, kb_dir: Path
) -> None:
    panel = tmp_path / "panel.csv"
    panel.write_text(
        "thing,group,question,answer\ndog,animal,Is it an animal?,yes\n"
        "car,vehicle,Is it an animal?,no\ncar,vehicle,Is it a container?,no\n",
        encoding="utf-8",
    )
    partner = tmp_path / "partner.json"
    answers = [*rows(BOX, "no", "yes", 1), *rows(ANIMAL, "no", "yes", 1),
               *rows(ANIMAL, "yes", "yes", 1)]  # fmt: skip
    data = {"partner": {"spec": "llm:models/q.gguf:zero-shot"}, "things": ["car", "dog"],
            "answers": answers}  # fmt: skip
    partner.write_text(json.dumps(data), encoding="utf-8")
    plain, mixed = tmp_path / "plain.json", tmp_path / "mixed.json"
    argv = ["--panel", str(panel), "--kb", str(kb_dir)]
    assert main([*argv, "--out", str(plain)]) == 0
    assert main([*argv, "--out", str(mixed), "--partner", str(partner)]) == 0
    before, after = (json.loads(p.read_text("utf-8")) for p in (plain, mixed))
    assert "partner" not in before and "table_people" not in before
    assert after["table_people"] == before["table"]
    assert after["command"].endswith(f"--partner {partner}")
    files = after["partner"]["files"]
    assert files[0]["spec"] == "q.gguf:zero-shot" and files[0]["flat"] == [1.0, 0.0]
    assert after["partner"]["rates"][BOX] == [1.0, 0.0]  # yes to every people-no pair
    for q, (yes_vs_no, no_pairs, no_vs_yes, yes_pairs) in after["table"].items():
        people = before["table"][q]
        assert (no_pairs, yes_pairs) == (people[1], people[3])  # the same pairs, other counts
        assert yes_vs_no >= people[0] and no_vs_yes <= people[2] + 1e-9
    assert after["table"][ANIMAL][0] == after["table"][ANIMAL][1]  # says yes to every no
