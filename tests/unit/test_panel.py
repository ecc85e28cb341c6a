"""The people's panel: reading a panel file and scoring an answerer against it."""

from __future__ import annotations

from pathlib import Path

import pytest

from llm20q.panel import (
    PanelError,
    PanelPair,
    PeopleAnswer,
    fold,
    read_panel,
    score,
    score_by,
)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "panel.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_read_panel_reads_every_pair(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "thing,group,question,answer\n"
        "toaster,appliance,Is it a device?,yes\n"
        "toaster,appliance,Is it a container?,no\n"
        "tomato,food,Is it a vegetable?,differs\n",
    )
    pairs = read_panel(path)
    assert [(p.thing, p.answer) for p in pairs] == [
        ("toaster", PeopleAnswer.YES),
        ("toaster", PeopleAnswer.NO),
        ("tomato", PeopleAnswer.DIFFERS),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("thing,question,answer\ntoaster,Is it a device?,yes\n", "header"),
        ("thing,group,question,answer\ntoaster,appliance,Is it a device?,maybe\n", ":2: answer"),
        (
            "thing,group,question,answer\n"
            "Toaster,a,Is it a device?,yes\ntoaster,a,Is it a device?,no\n",
            "labelled twice",
        ),
        ("thing,group,question,answer\n", "no labelled pairs"),
    ],
)
def test_read_panel_names_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(PanelError, match=message):
        read_panel(_write(tmp_path, text))


def test_score_counts_agreement_silence_and_yes_bias() -> None:
    pairs = [
        PanelPair("toaster", "appliance", "Is it a device?", PeopleAnswer.YES),
        PanelPair("bicycle", "vehicle", "Is it a container?", PeopleAnswer.NO),
        PanelPair("carrot", "food", "Is it food?", PeopleAnswer.YES),
        PanelPair("tomato", "food", "Is it a vegetable?", PeopleAnswer.DIFFERS),
    ]
    said = {"toaster": True, "bicycle": True, "carrot": None, "tomato": False}
    tally = score(pairs, lambda p: said[p.thing])
    assert (tally.agree, tally.disagree, tally.silent, tally.differs) == (1, 1, 1, 1)
    assert tally.yes_for_no == 1
    assert tally.informed_agreement == 0.5
    assert tally.no_information == pytest.approx(1 / 3)
    by_group = score_by(pairs, lambda p: said[p.thing], key=lambda p: p.group)
    assert by_group["appliance"].agree == 1 and by_group["vehicle"].disagree == 1


def test_fold_splits_things_stably_in_two() -> None:
    names = [f"thing {i}" for i in range(200)]
    halves = [fold(n) for n in names]
    assert set(halves) == {0, 1}
    assert 60 < sum(halves) < 140
    assert fold("Toaster") == fold("toaster")
