"""``kb agreement``: the knowledge table scored against a people's panel, on the small real-format
knowledge folder (tests/data/kb) and a fixture panel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.planner.store import KnowledgeBase
from agent.settings import AgentSettings
from llm20q.kb.agreement import (
    NO_CANDIDATE,
    NO_QUESTION,
    UNLABELLED,
    agreement_report,
    answer_source,
    default_margin,
    question_source,
    table_says,
)
from llm20q.kb.build import build
from llm20q.kb.cli import main
from llm20q.panel import read_panel
from tests.knowledge_fixture import kb_options

# What the fixture folder built from WordNet's tree alone (``readings=False``) says (p(yes)): dog
# animal 0.99, car container 1.0, bicycle vehicle 1.0, chair furniture 0.99, hammer tool 0.61;
# every property row 0.5; no "toaster" candidate. With readings (the default build) a car is no
# container and an apple can be eaten.
PANEL = """\
thing,group,question,answer
dog,animal,Is it an animal?,yes
Dogs,animal,Is it a tool?,no
car,vehicle,Is it a container?,no
car,vehicle,Is it man-made?,differs
bicycle,vehicle,Is it a vehicle?,yes
chair,furniture,Is it furniture?,yes
hammer,tool,Is it a tool?,yes
apple,food,Can you eat it?,yes
toaster,appliance,Is it a device?,yes
dog,animal,Is it a kind of nonsense?,no
"""


@pytest.fixture
def panel(tmp_path: Path) -> Path:
    path = tmp_path / "panel.csv"
    path.write_text(PANEL, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def wordnet_kb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture folder built from WordNet's tree alone, as before readings."""
    out = tmp_path_factory.mktemp("kb-wordnet")
    build(kb_options(out, readings=False))
    return out


@pytest.fixture(scope="module")
def wordnet_kb(wordnet_kb_dir: Path) -> KnowledgeBase:
    return KnowledgeBase.load(wordnet_kb_dir)


def test_the_table_answers_only_outside_the_margin() -> None:
    assert table_says(0.99, 0.25) is True
    assert table_says(0.0, 0.25) is False
    assert table_says(0.61, 0.25) is None
    assert table_says(0.75, 0.25) is True  # the answerer's own rule: |p - 0.5| >= margin
    assert table_says(0.61, 0.1) is True


def test_default_margin_is_the_answerers(monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_margin() == AgentSettings().table_answer_margin
    monkeypatch.setenv("LLM20Q_TABLE_ANSWER_MARGIN", "0.4")
    assert default_margin() == 0.4


def test_report_counts_agreement_silence_and_what_is_missing(
    wordnet_kb: KnowledgeBase, panel: Path
) -> None:
    report = agreement_report(wordnet_kb, read_panel(panel), margin=0.25)
    overall = report.overall
    assert (overall.agree, overall.disagree, overall.silent, overall.differs) == (4, 1, 4, 1)
    people = {k: (t.agree, t.disagree, t.silent) for k, t in report.by_people.items()}
    assert people == {"people say yes": (3, 0, 3), "people say no": (1, 1, 1)}
    assert overall.yes_for_no == 1  # the bicycle-is-a-container kind of answer: car
    assert report.missing_things == ["toaster"]
    assert report.missing_questions == ["Is it a kind of nonsense?"]
    sources = {name: (t.agree, t.disagree, t.silent) for name, t in report.by_source.items()}
    assert sources == {
        "wordnet": (4, 1, 1),
        UNLABELLED: (0, 0, 1),
        NO_CANDIDATE: (0, 0, 1),
        NO_QUESTION: (0, 0, 1),
    }
    assert report.by_group["vehicle"].disagree == 1 and report.by_group["tool"].silent == 1
    assert report.worst_questions()[0][0] == "Is it a container?"
    (wrong,) = report.disagreements()
    assert (wrong.pair.thing, wrong.said) == ("car", True)
    assert wrong.p_yes == pytest.approx(1.0, abs=0.01)


def test_readings_answer_as_people_do_and_tag_their_source(kb: KnowledgeBase, panel: Path) -> None:
    report = agreement_report(kb, read_panel(panel), margin=0.25)
    by_pair = {(r.pair.thing, r.pair.question): r for r in report.results}
    container = by_pair["car", "Is it a container?"]
    assert (container.said, container.source) == (False, "is")  # a vehicle is no container
    eat = by_pair["apple", "Can you eat it?"]
    assert (eat.said, eat.source) == (True, "is")  # a property row answered by a reading
    assert by_pair["dog", "Is it an animal?"].source == "wordnet"  # no rule: WordNet's answer
    overall = report.overall
    assert (overall.agree, overall.disagree, overall.silent) == (6, 0, 3)


def test_a_smaller_margin_lets_the_table_speak(wordnet_kb: KnowledgeBase, panel: Path) -> None:
    report = agreement_report(wordnet_kb, read_panel(panel), margin=0.1)
    assert report.by_question["Is it a tool?"].agree == 2  # hammer 0.61 now answers yes


def test_answer_source_reads_the_question_and_the_row(wordnet_kb: KnowledgeBase) -> None:
    kb = wordnet_kb
    dog = kb.match("dog")
    animal = kb.question_ids["Is it an animal?"]
    eat = kb.question_ids["Can you eat it?"]
    assert answer_source(kb, animal, dog) == "wordnet"
    assert answer_source(kb, eat, dog) == UNLABELLED
    assert answer_source(kb, None, dog) == NO_QUESTION
    assert answer_source(kb, animal, None) == NO_CANDIDATE
    assert question_source("wordnet:tool.n.01+lex:noun.food") == "wordnet"
    assert question_source("wordnet:tool.n.01+llm") == "wordnet+llm"
    assert question_source("llm") == "llm"


def test_command_prints_and_writes_json(
    wordnet_kb_dir: Path, panel: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.json"
    argv = ["agreement", "--kb", str(wordnet_kb_dir), "--panel", str(panel), "--plain"]
    assert main([*argv, "--json", str(out), "--disagreements"]) == 0
    text = capsys.readouterr().out
    assert f"|p(yes) - 0.5| >= {AgentSettings().table_answer_margin:g}" in text
    assert "all pairs\t4\t1\t4\t1\t1\t80.0%\t44.4%\t11.1%\t44.4%" in text
    assert "1 things not in the lexicon (silent on every question): toaster" in text
    assert "car\tIs it a container?\tno\t1.00\twordnet" in text
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["overall"]["informed_agreement"] == 0.8
    assert report["overall"]["no_information"] == 0.4444  # 4 silent of 9 scored
    assert report["disagreements"][0]["thing"] == "car"
    assert main([*argv[:-1], "--margin", "0.1"]) == 0  # the rich tables
    assert "by question (most disagreements first)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--margin", "0.7"], "--margin 0.7: must be between 0 and 0.5"),
        (["--panel", "no/such.csv"], "no such panel file"),
    ],
)
def test_command_explains_bad_input(
    kb_dir: Path, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["agreement", "--kb", str(kb_dir), *extra]) == 2
    assert message in capsys.readouterr().err


def test_command_rejects_a_folder_that_is_no_knowledge_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["agreement", "--kb", str(tmp_path)]) == 2
    assert "not a knowledge folder" in capsys.readouterr().err
