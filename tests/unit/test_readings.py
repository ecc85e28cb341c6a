"""Readings (issue 20 items 2-4): rules over WordNet senses that answer as people do, the source
of every answer, and exported LLM labels pooled in where the rules are silent; on the small
real-format knowledge source (tests/data/kb: a WordNet 3.0 subset)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from agent.planner.store import KnowledgeBase
from llm20q.kb.agreement import SourceTags
from llm20q.kb.build import build
from llm20q.kb.cli import main
from llm20q.kb.label.plan import LabelPlan, RunFolder
from llm20q.kb.readings.apply import READINGS, thing_senses
from llm20q.kb.readings.llm import LlmLabels, calibrate, fit_calibration
from llm20q.kb.readings.rules import (
    DEFAULT,
    GLOSS,
    IS,
    WORDNET,
    CompiledReading,
    Gloss,
    Is,
    Reading,
    unresolved,
)
from llm20q.kb.senses import SenseTable
from llm20q.kb.wordnet import WordNet
from tests.knowledge_fixture import DATA, kb_options


@pytest.fixture(scope="module")
def wordnet() -> WordNet:
    return WordNet.load(DATA / "wordnet")


def _first(wn: WordNet, name: str) -> int:
    return wn.resolve(name)


def test_the_first_rule_that_speaks_decides(wordnet: WordNet) -> None:
    reading = Reading(
        "Is it a device?",
        (Is(("musical_instrument.n.01",), False), Is(("device.n.01",), True)),
    )
    compiled = CompiledReading(reading, wordnet)
    assert compiled.sense(_first(wordnet, "guitar.n.01")) == (False, IS)  # an instrument
    assert compiled.sense(_first(wordnet, "hammer.n.02")) == (False, DEFAULT)  # no rule
    with_targets = CompiledReading(
        reading, wordnet, fallback=frozenset({_first(wordnet, "tool.n.01")})
    )
    assert with_targets.sense(_first(wordnet, "hammer.n.02")) == (True, WORDNET)


def test_gloss_rules_read_the_definition_within_their_synsets(wordnet: WordNet) -> None:
    screwdriver = _first(wordnet, "screwdriver.n.01")  # "a hand tool for driving screws..."
    inside = Reading("Q", (Gloss(("screws",), True, ("artifact.n.01",)),))
    outside = Reading("Q", (Gloss(("screws",), True, ("animal.n.01",)),))
    assert CompiledReading(inside, wordnet).sense(screwdriver) == (True, GLOSS)
    assert CompiledReading(outside, wordnet).sense(screwdriver) == (False, DEFAULT)


def test_people_picture_the_fruit_not_the_plant(wordnet: WordNet) -> None:
    table = SenseTable.create(wordnet)
    senses = table.class_senses("banana")
    lexnames = {wordnet.synsets[o].lexname for o, _ in senses}
    assert {"noun.plant", "noun.food"} <= lexnames
    picked = thing_senses(senses, table)
    assert {wordnet.synsets[o].lexname for o, _ in picked} == {"noun.food"}
    assert sum(w for _, w in picked) == pytest.approx(1.0)


def test_every_synset_the_readings_name_is_in_wordnet() -> None:
    full = WordNet.load()
    assert unresolved(full, tuple(READINGS.values())) == []


def _p(kb: KnowledgeBase, word: str, question: str) -> float:
    index = kb.index_of(word)
    assert index is not None
    return float(kb.answer_probs(kb.question_ids[question])[index])


def test_the_table_answers_broad_questions_as_people_do(kb: KnowledgeBase, tmp_path: Path) -> None:
    wordnet_only = KnowledgeBase.load(build(kb_options(tmp_path / "w", readings=False)).out)
    # WordNet: a guitar is a device (musical_instrument < device); people: it is an instrument.
    assert _p(wordnet_only, "guitar", "Is it a device?") > 0.9
    assert _p(kb, "guitar", "Is it a device?") < 0.1
    assert _p(kb, "car", "Is it a container?") < 0.1  # a vehicle is no container
    assert _p(kb, "apple", "Can you eat it?") > 0.9  # property rows answered
    assert _p(kb, "dog", "Can you eat it?") < 0.1
    assert _p(kb, "banana", "Is it a fruit?") > 0.9
    assert _p(wordnet_only, "apple", "Can you eat it?") == 0.5
    tags = SourceTags.load(kb)
    assert tags is not None and SourceTags.load(wordnet_only) is not None
    car, container = kb.index_of("car"), kb.question_ids["Is it a container?"]
    assert car is not None and tags.of(kb, container, car) == "is"
    # A compound's first word answers for it: a coffee grinder is found in a kitchen.
    grinder, kitchen = kb.index_of("coffee grinder"), kb.question_ids["Is it found in a kitchen?"]
    assert grinder is not None and _p(kb, "coffee grinder", "Is it found in a kitchen?") == 1.0
    assert tags.of(kb, kitchen, grinder) == "mod"
    assert _p(wordnet_only, "coffee grinder", "Is it found in a kitchen?") == 0.5


def test_everyday_readings_answer_food_use_and_wearing(kb: KnowledgeBase) -> None:
    # Food: a banana is a sweet fruit eaten raw; cheese is dairy; milk is drunk.
    assert _p(kb, "banana", "Is it sweet?") > 0.9
    assert _p(kb, "banana", "Is it a fruit or a vegetable?") > 0.9
    assert _p(kb, "banana", "Is it cooked before it is eaten?") < 0.1
    assert _p(kb, "cheese", "Is it a dairy product?") > 0.9
    assert _p(kb, "milk", "Can you drink it?") > 0.9
    assert _p(kb, "cheese", "Does it contain meat?") < 0.1
    # Use: a car carries people and has an engine, a bicycle carries people without one.
    assert _p(kb, "car", "Is it used for transportation?") > 0.9
    assert _p(kb, "car", "Does it have a motor or an engine?") > 0.9
    assert _p(kb, "bicycle", "Is it used for transportation?") > 0.9
    assert _p(kb, "bicycle", "Does it have a motor or an engine?") < 0.1
    assert _p(kb, "guitar", "Is it used for music?") > 0.9
    assert _p(kb, "hammer", "Is it used for music?") < 0.1
    # Living: a dog is alive, an apple (the fruit people picture) is not.
    assert _p(kb, "dog", "Is it alive?") > 0.9
    assert _p(kb, "apple", "Is it alive?") < 0.1


def test_the_calibration_pulls_a_yes_leaning_model_back() -> None:
    rng = np.random.default_rng(0)
    yes = rng.random(400) < 0.2  # people: mostly no
    # A model that says yes too often: 0.8 for every yes, 0.7 for half the noes.
    p = np.where(yes, 0.8, np.where(rng.random(400) < 0.5, 0.7, 0.2))
    scale, shift = fit_calibration(p, yes)
    assert shift < 0 < scale
    assert float(calibrate(np.array([0.7]), scale, shift)[0]) < 0.5  # its 0.7 means "no" mostly
    assert fit_calibration(p[:5], yes[:5]) == (1.0, 0.0)  # too few pairs: as it comes


def test_exported_labels_fill_what_the_rules_leave_open(
    kb: KnowledgeBase, kb_dir: Path, tmp_path: Path
) -> None:
    screen, shape, eat = "Does it have a screen?", "Is it round?", "Can you eat it?"
    assert screen in READINGS and shape not in READINGS and eat in READINGS
    words = ("apple", "dog", "guitar")
    plan = LabelPlan("model.gguf:1:abc", "f" * 64, (screen, shape, eat, "Is it blue?"), words, 2)
    run = RunFolder(tmp_path / "run")
    run.start(plan)
    for shard in plan.shards():
        if plan.questions[shard.question] == "Is it blue?":
            continue  # not labelled yet: left out of the file
        run.write(shard, np.full(shard.size, 0.9, dtype=np.float32))
    out = tmp_path / "llm_labels.npz"
    argv = ["export-labels", "--labels", str(tmp_path / "run"), "--out", str(out)]
    assert main([*argv, "--kb", str(kb_dir)]) == 0
    labels = LlmLabels.load(out, list(words))
    assert set(labels.questions) == {screen, shape, eat} and labels.plan["model"] == plan.model
    assert (labels.scale, labels.shift) == (1.0, 0.0)  # the panel's things are not labelled here
    pooled = KnowledgeBase.load(build(kb_options(tmp_path / "kb", llm_labels=out)).out)
    tags = SourceTags.load(pooled)
    assert tags is not None
    apple = pooled.index_of("apple")
    assert apple is not None
    assert _p(pooled, "apple", screen) == pytest.approx(0.9, abs=0.01)  # the rules said no
    assert tags.of(pooled, pooled.question_ids[screen], apple) == "llm"
    assert _p(pooled, "dog", shape) == pytest.approx(0.9, abs=0.01)  # no reading: labels alone
    assert _p(pooled, "apple", eat) > 0.9  # a rule decided: the labels do not override it
    assert _p(pooled, "dog", eat) == pytest.approx(0.9, abs=0.01)  # only the default said no
    assert _p(pooled, "banana", shape) == 0.5  # not labelled
