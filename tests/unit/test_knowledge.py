"""The knowledge builder and store, on a small real-format WordNet subset (tests/data/kb/).

The fixture files are copied verbatim from WordNet 3.0 and shaped like the real bigram list and
dictd dictionaries (``tests/data/make_knowledge_fixtures.py`` regenerates them), so these tests
run the real parsers, the real candidate filters, the real prior (real wordfreq) and the real
writer and loader. The labelling test uses the real tiny GGUF through the real backend.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from agent.game import judge_normalize
from agent.planner.store import KnowledgeBase
from llm20q.kb.build import build
from llm20q.kb.cli import add_arguments, run
from llm20q.kb.label import labeller as labelling
from llm20q.kb.lexicon import (
    SOURCE_IMAGES,
    SOURCE_PRODUCTS,
    SOURCE_WORDNET,
    coverage,
    merge_key,
)
from llm20q.kb.sources import product_phrases, read_class_names, read_dict_nouns
from llm20q.kb.wordnet import WordNet
from tests.fakes import ScriptedBackend, YesNoMany
from tests.knowledge_fixture import DATA, kb_options


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _p(kb: KnowledgeBase, word: str, question: str) -> float:
    index = kb.index_of(word)
    assert index is not None, word
    rows = [q.index for q in kb.questions if q.text == question and q.kind == "taxonomy"]
    assert len(rows) == 1, question
    return float(kb.answer_probs(rows[0])[index])


def test_wordnet_reader_parses_real_lines() -> None:
    wn = WordNet.load(DATA / "wordnet")
    dog = wn.synsets[wn.resolve("dog.n.01")]
    assert dog.lexname == "noun.animal"
    assert "Canis_familiaris" in dog.lemmas
    assert wn.resolve("animal.n.01") in wn.ancestors[dog.offset]
    assert wn.morphy("beans") == ["bean"]
    assert wn.senses["hammer"][0].tag_count >= 1


def test_build_is_deterministic(kb_dir: Path, tmp_path: Path) -> None:
    build(kb_options(tmp_path))
    names = ["lexicon.npz", "answers.npz", "questions.json", "manifest.json"]
    assert [_sha(kb_dir / n) for n in names] == [_sha(tmp_path / n) for n in names]
    manifest = json.loads((kb_dir / "manifest.json").read_text())
    for name, entry in manifest["files"].items():
        assert entry["sha256"] == _sha(kb_dir / name)
    assert manifest["inputs"]["wordnet"]["files"]["data.noun"] == _sha(
        DATA / "wordnet" / "data.noun"
    )


def test_taxonomy_answers_for_known_words(kb: KnowledgeBase) -> None:
    assert _p(kb, "dog", "Is it an animal?") > 0.9
    assert _p(kb, "dog", "Is it a tool?") < 0.05
    assert _p(kb, "hammer", "Is it a tool?") > 0.5
    assert _p(kb, "hammer", "Is it man-made?") > 0.9
    assert _p(kb, "apple", "Is it food?") > 0.8
    assert _p(kb, "apple", "Is it an animal?") < 0.05
    assert _p(kb, "car", "Is it a vehicle?") > 0.9
    assert _p(kb, "chair", "Is it furniture?") > 0.9
    # Compounds take their head's answers (bigram list, Ding and Wiktionary dictionaries).
    assert _p(kb, "bread knife", "Is it man-made?") > 0.9
    assert _p(kb, "coffee grinder", "Is it a device?") > 0.5
    assert _p(kb, "smartwatch", "Is it man-made?") > 0.5  # solid compound: head "watch"


def test_candidate_filters(kb: KnowledgeBase) -> None:
    assert kb.index_of("coffee bean") is not None  # plural head singularised, merged
    assert kb.index_of("coffee beans") is None
    assert kb.index_of("yoga mat") is not None
    assert kb.index_of("air vent") is not None
    for junk in ("new car", "the dog", "paris hilton", "offers low", "quickly", "run"):
        assert kb.index_of(junk) is None, junk
    assert kb.index_of("paris") is None  # only proper-name senses
    assert kb.index_of("glass bottle") is not None


def test_ding_release_nouns_are_read_past_a_qualifier_line(kb: KnowledgeBase) -> None:
    # Ding's own files tag genders "{m}"/"{f}"/"{n}", and a qualifier line ("[Am.]") may come
    # before the translation; an entry of "{pl}" nouns only is a plural-only noun; a verb is not.
    nouns = {n.headword: n.plural_only for n in read_dict_nouns(DATA / "english-german")}
    assert nouns == {"cookie sheet": False, "egg slicer": False, "jumper cables": True}
    assert kb.index_of("cookie sheet") is not None
    assert kb.index_of("egg slicer") is not None
    assert kb.index_of("jumper cables") is not None  # kept plural: no singular listed


def test_merge_key_keeps_a_the_inside_a_word() -> None:
    # The judge reads "lathe" as "la"; the alphabetical questions place them apart.
    assert judge_normalize("Lathe") == judge_normalize("la")
    assert merge_key("Lathe") == "lathe" and merge_key("la") == "la"
    assert merge_key("Bird-Cage") == merge_key("bird cage") == merge_key("birdcage")
    assert merge_key("Bathtub") == judge_normalize("bath tub")


def test_image_dataset_classes_become_candidates(kb: KnowledgeBase) -> None:
    assert list(read_class_names((DATA / "image_classes.yaml").read_bytes())) == [
        "aerosol can", "spray can", "alarm clock", "apple", "beanbag", "bottle", "bread-bin",
        "breadbox", "chair", "dog",
    ]  # fmt: skip
    for name in ("alarm clock", "beanbag", "dog", "chair"):
        found = kb.match(name)
        assert found is not None, name
        assert kb.sources[found] & SOURCE_IMAGES, name
    dog = kb.index_of("dog")
    assert dog is not None and kb.sources[dog] & SOURCE_WORDNET  # a WordNet noun, flagged
    hammer = kb.index_of("hammer")
    assert hammer is not None and not kb.sources[hammer] & SOURCE_IMAGES


def test_product_taxonomy_names_become_candidates(kb: KnowledgeBase) -> None:
    assert list(product_phrases(DATA / "products.txt")) == [
        "baby bottles", "cat litter boxes", "examination chairs", "tables", "smoke",
        "smoke detectors", "carbon monoxide detectors", "boomboxes", "coffee",
    ]  # fmt: skip
    for name in ("baby bottle", "cat litter box", "examination chair", "carbon monoxide detector"):
        found = kb.match(name)
        assert found is not None, name
        assert kb.sources[found] & SOURCE_PRODUCTS, name
    coffee = kb.index_of("coffee")  # a WordNet noun the taxonomy also names
    assert coffee is not None and kb.sources[coffee] & SOURCE_PRODUCTS
    assert kb.sources[coffee] & SOURCE_WORDNET
    assert kb.index_of("tables") is None  # an inflection of a WordNet noun


def test_store_round_trip(kb: KnowledgeBase, kb_dir: Path) -> None:
    assert kb.candidates == sorted(kb.candidates)
    assert len(kb.log_prior) == len(kb) and kb.log_prior.dtype == np.float32
    total = float(np.logaddexp.reduce(kb.log_prior.astype(np.float64)))
    assert math.isclose(total, 0.0, abs_tol=1e-4)
    assert kb.index_of("  DOG ") == kb.index_of("dog")
    assert kb.match("Dogs") == kb.index_of("dog")
    assert kb.match("Coffee-Beans") == kb.index_of("coffee bean")
    assert kb.index_of("no such thing") is None
    # A common thing outranks a rare one.
    dog, vent = kb.index_of("dog"), kb.index_of("air vent")
    assert dog is not None and vent is not None and kb.log_prior[dog] > kb.log_prior[vent]
    kinds = {q.kind for q in kb.questions}
    assert kinds == {"taxonomy", "property"}
    for q in kb.questions:
        probs = kb.answer_probs(q.index)
        assert probs.dtype == np.float32 and probs.shape == (len(kb),)
        assert float(probs.min()) >= 0.0 and float(probs.max()) <= 1.0
        if q.kind == "property":  # no LLM labels: only the questions with a reading answer
            assert q.labelled == 0
            assert np.all(probs == 0.5) == (q.source != "readings")
    unknown = kb.index_of("edamame")
    assert unknown is None or _p(kb, "edamame", "Is it an animal?") == 0.5
    raw = json.loads((kb_dir / "questions.json").read_text())
    assert len(raw["questions"]) == len(kb.questions)


def test_coverage_counts_judge_variants() -> None:
    lexicon = ["apron", "coffee maker", "birdcage", "air-vent", "box", "ox"]
    keywords: list[Sequence[str]] = [
        ("Aprons",),  # s plural
        ("Coffee Makers",),  # plural of a compound, case
        ("Bird cage",),  # space vs solid
        ("Air vent",),  # hyphen vs space
        ("Boxes",),  # es plural
        ("Oxes",),  # too short for plural matching: the judge refuses it
        ("Soda", "Soft drink", "Apron"),  # an alternative counts
        ("Yoga mat",),
    ]
    assert coverage(lexicon, keywords) == (6, 8)
    assert judge_normalize("The Bird-Cage") == "birdcage"


def test_cli_coverage_and_build(
    kb_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser(prog="kb")
    add_arguments(parser)
    words = tmp_path / "words.txt"
    words.write_text("# things\nDogs\nHammer\nYoga Mats\nUnobtainium\nsoda|apple\n")
    assert run(parser.parse_args(["coverage", "--kb", str(kb_dir), "--keywords", str(words),
                                  "--missing"])) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "4/5 = 80.0% covered" in out and "missing: Unobtainium" in out
    args = parser.parse_args(["build", "--out", str(tmp_path / "kb"), "--exclude-official"])
    assert args.exclude_official and args.label_with is None


def label_calls(keywords: Sequence[str], chunk: int) -> list[YesNoMany]:
    """The labeller's calls for ``keywords``, ``chunk`` at a time, answered with
    p(yes) = len(keyword) / 100."""
    return [
        YesNoMany(labelling.SESSION, "Question: Is it round?\nKeyword: ", tuple(part),
                  tuple(len(k) / 100.0 for k in part))
        for part in (keywords[i : i + chunk] for i in range(0, len(keywords), chunk))
    ]  # fmt: skip


def test_labelling_is_resumable_and_shares_the_prefix(tmp_path: Path) -> None:
    keywords = [f"thing{i}" for i in range(10)]
    dying = ScriptedBackend().expect(*label_calls(keywords[:3], 3))  # the 2nd call kills the run
    with pytest.raises(AssertionError, match="unexpected call"):
        labelling.label_question(dying, "Is it round?", keywords, tmp_path, "m", batch_size=3)
    backend = ScriptedBackend().expect(*label_calls(keywords[3:], 3))  # batch 1 was checkpointed
    probs = labelling.label_question(backend, "Is it round?", keywords, tmp_path, "m", 3)
    assert not backend.script
    assert np.allclose(probs, [len(k) / 100.0 for k in keywords])
    chats = {tuple(c.messages) for c in backend.calls}
    assert len(chats) == 1  # one prompt, the keyword in its slot
    again = ScriptedBackend()  # nothing scripted: any call fails
    labelling.label_question(again, "Is it round?", keywords, tmp_path, "m", 3)
    other = ScriptedBackend().expect(*label_calls(keywords, 3))
    labelling.label_question(other, "Is it round?", keywords, tmp_path, "other-model", 3)
    assert not other.script  # another model's checkpoint is not reused
