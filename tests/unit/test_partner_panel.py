"""``kb agreement --partner``: a plain LLM partner scored against the panel, with the strict fake
backend standing in for the model, and its answers cached per model and style."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.model.protocol import GenerateOptions
from agent.settings import AgentSettings
from llm20q.baseline import ANSWER_TOKENS, AnswerStyle, BaselineAnswerer, load_baseline_prompts
from llm20q.cli import main
from llm20q.eval.partner_panel import (
    AnswerCache,
    ReplyRecorder,
    ask_partner,
    partner_dict,
    partner_report,
    sample_pairs,
    summary_lines,
)
from llm20q.kb.cli import main as kb_main
from llm20q.kb.label.labeller import model_id
from llm20q.panel import PanelPair, PeopleAnswer, read_panel
from tests.fakes import Generate, ScriptedBackend

ANSWER = GenerateOptions(ANSWER_TOKENS, seed=AgentSettings().seed, stop=("\n",))
PANEL = """\
thing,group,question,answer
dog,animal,Is it an animal?,yes
dog,animal,Is it a container?,no
bicycle,vehicle,Is it a container?,no
bicycle,vehicle,Is it a vehicle?,yes
bicycle,vehicle,Is it man-made?,yes
mug,kitchenware,Is it a container?,yes
mug,kitchenware,Is it made of glass?,differs
"""


@pytest.fixture
def pairs(tmp_path: Path) -> list[PanelPair]:
    path = tmp_path / "panel.csv"
    path.write_text(PANEL, encoding="utf-8")
    return read_panel(path)


def test_a_sample_is_whole_things_and_grows_by_its_start(pairs: list[PanelPair]) -> None:
    one, two = sample_pairs(pairs, 1, seed=5), sample_pairs(pairs, 2, seed=5)
    assert len({p.thing for p in one}) == 1 and len({p.thing for p in two}) == 2
    assert two[: len(one)] == one  # the same seed: the smaller sample starts the larger
    for sample in (one, two):
        for thing in {p.thing for p in sample}:  # every question of each thing drawn
            assert [p for p in sample if p.thing == thing] == [p for p in pairs if p.thing == thing]
    assert sorted(sample_pairs(pairs, None, 0), key=pairs.index) == pairs
    assert sample_pairs(pairs, 9, 0) == sample_pairs(pairs, None, 0)
    firsts = {sample_pairs(pairs, 1, seed)[0].thing for seed in range(20)}
    assert len(firsts) > 1  # the seed chooses


def _answerer(backend: ScriptedBackend) -> tuple[BaselineAnswerer, ReplyRecorder]:
    recorder = ReplyRecorder(backend)
    prompts = load_baseline_prompts()
    style = AnswerStyle.FEW_SHOT
    return BaselineAnswerer(recorder, prompts, AgentSettings(), "p", style), recorder  # type: ignore[arg-type]


def test_the_partner_answers_every_pair_once_and_reruns_read_the_cache(
    fake_backend: ScriptedBackend, pairs: list[PanelPair], tmp_path: Path
) -> None:
    bicycle = [p for p in pairs if p.thing == "bicycle"]
    fake_backend.expect(
        Generate("p", "Thing: bicycle\nQuestion: Is it a container?", "**Yes**, it holds", ANSWER),
        Generate("p", "Thing: bicycle\nQuestion: Is it a vehicle?", "No.", ANSWER),
        Generate("p", "Thing: bicycle\nQuestion: Is it man-made?", "Yes.", ANSWER),
    )
    answerer, recorder = _answerer(fake_backend)
    cache = AnswerCache(tmp_path / "cache" / "m.few-shot.jsonl")
    run = ask_partner(bicycle, answerer, recorder, cache)
    assert (run.asked, run.cached) == (3, 0)
    assert run.answers["bicycle", "Is it a container?"]["reply"] == "**Yes**, it holds"
    assert [run.answers["bicycle", p.question]["answer"] for p in bicycle] == ["yes", "no", "yes"]

    again = ask_partner(bicycle, None, None, AnswerCache(cache.path))  # no model: all cached
    assert (again.asked, again.cached) == (0, 3) and again.answers == run.answers
    with pytest.raises(ValueError, match="no cached answer"):
        ask_partner(pairs[:1], None, None, AnswerCache(cache.path))


def test_a_cache_line_cut_short_is_skipped_and_the_first_answer_wins(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    cache = AnswerCache(path)
    cache.put("dog", "Is it an animal?", "yes", "Yes.")
    cache.put("dog", "Is it an animal?", "no", "No.")
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"thing": "dog", "quest')
    reread = AnswerCache(path)
    assert reread.get("dog", "Is it an animal?") == {
        "thing": "dog", "question": "Is it an animal?", "answer": "yes", "reply": "Yes."
    }  # fmt: skip
    assert reread.get("cat", "Is it an animal?") is None
    name = AnswerCache.for_partner(tmp_path, "qwen.gguf:123:ab/cd", "few-shot").path.name
    assert name == "qwen.gguf_123_ab_cd.few-shot.jsonl"


def _all_answers(
    pairs: list[PanelPair], yes: set[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, str]]:
    return {
        (p.thing, p.question): {"answer": "yes" if (p.thing, p.question) in yes else "no"}
        for p in pairs
    }


def test_the_report_splits_yes_for_no_from_no_for_yes(pairs: list[PanelPair]) -> None:
    yes = {("dog", "Is it an animal?"), ("dog", "Is it a container?"),
           ("bicycle", "Is it a container?"), ("mug", "Is it made of glass?")}  # fmt: skip
    answers = _all_answers(pairs, yes)
    report = partner_report(pairs, answers, "m:few-shot")
    # people: yes dog-animal, bicycle-vehicle, bicycle-made, mug-container; differs mug-glass
    assert (report.overall.agree, report.overall.disagree, report.overall.silent) == (1, 5, 0)
    assert report.overall.yes_for_no == 2 and report.overall.differs == 1
    assert report.by_question["Is it a container?"].yes_for_no == 2
    assert report.by_people["people say yes"].disagree == 3  # no for yes: vehicle, made, mug
    lines = summary_lines(report, "m:few-shot")
    assert "yes for no 2, no for yes 3" in lines[1]
    assert "partner 57.1%" in lines[2] and "people 66.7%" in lines[2]  # 4 of 7; 4 of 6
    out = partner_dict(report, {"style": "few-shot"}, answers)
    assert len(out["answers"]) == len(pairs) and out["partner"] == {"style": "few-shot"}
    assert "disagreements" not in out  # every pair's answer is in "answers"
    assert out["answers"][0] == {
        "thing": "dog", "group": "animal", "question": "Is it an animal?", "people": "yes",
        "partner": "yes", "reply": "",
    }  # fmt: skip
    assert out["yes_share"] == {"partner": 0.5714, "people": 0.6667}


def test_the_cli_scores_a_partner_from_its_cache_without_loading_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    panel = tmp_path / "panel.csv"
    panel.write_text(PANEL, encoding="utf-8")
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF" + bytes(100))
    cache = AnswerCache.for_partner(tmp_path / "cache", model_id(model), "few-shot")
    for pair in read_panel(panel):
        said = "yes" if pair.answer is PeopleAnswer.YES or pair.thing == "dog" else "no"
        cache.put(pair.thing, pair.question, said, said.title() + ".")
    out = tmp_path / "out.json"
    argv = ["kb", "agreement", "--partner", f"llm:{model}:few-shot", "--panel", str(panel),
            "--cache", str(tmp_path / "cache"), "--things", "3", "--plain",
            "--json", str(out)]  # fmt: skip
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "disagreements 1: yes for no 1, no for yes 0" in printed
    text = out.read_text("utf-8")
    data = json.loads(text)
    assert text.count("\n") < 400 and '\n  {"thing": "dog", "group": "animal"' in text
    assert data["partner"]["style"] == "few-shot" and data["partner"]["asked"] == 0
    assert data["overall"]["agree"] == 5 and len(data["answers"]) == 7
    assert data["by_question"]["Is it a container?"]["yes_for_no"] == 1
    bad = ["kb", "agreement", "--partner", f"llm:{tmp_path}/absent.gguf", "--panel", str(panel)]
    assert main(bad) == 2
    assert kb_main(argv[1:]) == 2  # kb's own entry point sends partners to `llm20q kb`


def test_make_partners_prints_each_llm_rows_agreement_with_people(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from llm20q.eval import partner_panel
    from llm20q.eval.suite_report import people_agreement_lines
    from llm20q.kb.label.labeller import model_id

    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF" + bytes(64))
    record = {
        "overall": {"agree": 85, "disagree": 15, "yes_for_no": 14, "agreement": 0.85},
        "yes_share": {"partner": 0.26, "people": 0.11},
        "partner": {"model": model_id(model)},
    }
    few = tmp_path / "few.json"
    few.write_text(json.dumps(record), encoding="utf-8")
    other = tmp_path / "other.json"  # measured on another model: left out
    other.write_text(json.dumps({**record, "partner": {"model": "x"}}), encoding="utf-8")
    files = {"llm-answerer:few-shot": few, "llm-answerer:zero-shot": other}
    monkeypatch.setattr(partner_panel, "PARTNER_PANEL_FILES", files)
    found = partner_panel.people_agreement(model)
    assert list(found) == ["llm-answerer:few-shot"]
    (line,) = people_agreement_lines(found)
    assert line.startswith("llm-answerer:few-shot: agrees with people on 85.0% of 100 panel pairs")
    assert "14 yes for no" in line and "26%" in line
