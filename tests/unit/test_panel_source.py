"""The panel's hand-written source, the CSV generated from it, and the shipped panel's shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from llm20q.keywords import read_keywords
from llm20q.panel import DEFAULT_PANEL, PanelError, PeopleAnswer, read_panel, things
from llm20q.panel_source import main, panel_csv, parse_source, read_source, review_lines

SOURCE = """\
# a comment
? device = Is it a device?
? food = Is it food?   # trailing comment
? container = Is it a container?
toaster | appliance | device ~container
carrot | vegetable | food
"""

HELDOUT = Path(__file__).resolve().parents[2] / "data" / "heldout_things.txt"
# The broad questions issue 20 says must mean what people mean.
BROAD = (
    "Is it a device?",
    "Is it a machine?",
    "Is it a tool?",
    "Is it a container?",
    "Is it food?",
    "Is it a living thing?",
    "Is it man-made?",
    "Is it a vehicle?",
    "Is it furniture?",
)
# The things the issue checked the table on; toaster and carrot are also held-out game keywords.
NAMED = ("toaster", "umbrella", "bicycle", "carrot", "guitar", "pillow")


def test_unnamed_questions_are_no_and_tilde_marks_differs() -> None:
    source = parse_source(SOURCE)
    assert list(source.questions) == ["device", "food", "container"]
    toaster, carrot = source.things
    assert toaster.answers == {
        "device": PeopleAnswer.YES,
        "food": PeopleAnswer.NO,
        "container": PeopleAnswer.DIFFERS,
    }
    assert carrot.group == "vegetable" and carrot.answers["food"] is PeopleAnswer.YES


def test_csv_has_every_thing_on_every_question(tmp_path: Path) -> None:
    path = tmp_path / "panel.csv"
    path.write_text(panel_csv(parse_source(SOURCE)), encoding="utf-8")
    pairs = read_panel(path)
    assert len(pairs) == 6
    assert [(p.thing, p.question, p.answer.value) for p in pairs[:3]] == [
        ("toaster", "Is it a device?", "yes"),
        ("toaster", "Is it food?", "no"),
        ("toaster", "Is it a container?", "differs"),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("kettle | appliance | devise", "unknown question key 'devise'"),
        ("kettle | appliance | device ~device", "named twice"),
        ("kettle | appliance", "expected 'thing | group"),
        ("? device = Is it a tool?", "given twice"),
        ("? tool", "expected '\\? key = question text'"),
        ("carrot | food | food", "'carrot' is given twice"),
    ],
)
def test_source_errors_name_the_line(line: str, message: str) -> None:
    with pytest.raises(PanelError, match=message) as caught:
        parse_source(SOURCE + line + "\n", "panel.txt")
    assert "panel.txt:7" in str(caught.value)


def test_check_fails_when_the_csv_is_stale(tmp_path: Path) -> None:
    source, csv_path = tmp_path / "source.txt", tmp_path / "panel.csv"
    source.write_text(SOURCE, encoding="utf-8")
    assert main([str(source), str(csv_path), "--check"]) == 1
    assert main([str(source), str(csv_path)]) == 0
    assert main([str(source), str(csv_path), "--check"]) == 0
    source.write_text(SOURCE.replace("| food\n", "| ~food\n"), encoding="utf-8")
    assert main([str(source), str(csv_path), "--check"]) == 1


def test_shipped_panel_is_generated_from_its_source() -> None:
    assert DEFAULT_PANEL.read_text(encoding="utf-8") == panel_csv(read_source())


def test_shipped_panel_covers_what_issue_20_asks() -> None:
    pairs = read_panel()
    names = things(pairs)
    questions = {p.question for p in pairs}
    assert len(names) >= 120 and len(questions) >= 40
    assert len(pairs) == len(names) * len(questions)
    assert set(BROAD) <= questions
    assert set(NAMED) <= set(names)
    heldout = {k.keyword.lower() for k in read_keywords(HELDOUT)}
    assert {n.lower() for n in names} & heldout == {"toaster", "carrot"}
    differs = sum(p.answer is PeopleAnswer.DIFFERS for p in pairs)
    assert differs < 0.05 * len(pairs)  # "differs" only where people really split


def test_review_lists_one_question_across_every_thing() -> None:

    assert review_lines(parse_source(SOURCE), ["container"]) == [
        "container: Is it a container? (yes 0, differs 1)",
        "  yes: ",
        "  differs: toaster",
    ]
    with pytest.raises(PanelError, match="unknown question key"):
        review_lines(parse_source(SOURCE), ["nope"])
