"""LLM labelling without a model: the label prompt, plans and shard folders, merging, packing
branches, and the answerer's threshold calibration (pure parts)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from agent.model.llama_backend import BackendError
from agent.model.llama_branching import pack_branches
from agent.model.protocol import SLOT
from agent.planner.index import PlannerIndex
from agent.planner.store import KnowledgeBase
from agent.policies.prompts import load_prompts
from agent.policies.subject import noun_phrase
from agent.settings import AgentSettings
from llm20q.eval.answerer import Triple
from llm20q.eval.calibrate import best_threshold, calibrate, calibration_table, split_triples
from llm20q.kb.label import labeller as labelling
from llm20q.kb.label.merge import MergeOptions, merge_labels, parse_weights, recentre
from llm20q.kb.label.plan import (
    LabelPlan,
    PlanMismatch,
    RunFolder,
    Shard,
    plan_candidates,
    plan_questions,
)
from llm20q.stats import roc_auc
from tests.fakes import ScriptedBackend, YesNo, YesNoMany


def _plan(questions: tuple[str, ...], candidates: tuple[str, ...], size: int = 2) -> LabelPlan:
    return LabelPlan("model.gguf:1:ab", "prompt", questions, candidates, size)


# ------------------------------------------------------------------------------ the prompt
def test_label_prompt_puts_the_keyword_last() -> None:
    chat = labelling.label_chat("Is it round?")
    assert chat[-1].content == f"Question: Is it round?\nKeyword: {SLOT}"
    assert sum(m.content.count(SLOT) for m in chat) == 1
    prompts = load_prompts()
    assert chat[0].content == prompts.answerer_direct_system.substitute()
    assert chat[1].content == "Question: Is it a fruit?\nKeyword: banana"
    assert chat[2].content == "yes"
    assert labelling.prompt_digest() == labelling.prompt_digest(prompts)


def test_label_keywords_asks_in_chunks(fake_backend: ScriptedBackend) -> None:
    words = ["apple", "dog", "car", "sofa", "cup"]
    fake_backend.expect(
        YesNoMany(labelling.SESSION, "Keyword: ", ("apple", "dog"), (0.9, 0.1)),
        YesNoMany(labelling.SESSION, "Keyword: ", ("car", "sofa"), (0.2, 0.3)),
        YesNoMany(labelling.SESSION, "Keyword: ", ("cup",), (0.8,)),
    )
    probs = labelling.label_keywords(fake_backend, "Is it round?", words, chunk=2)
    assert probs.dtype == np.float32
    assert np.allclose(probs, [0.9, 0.1, 0.2, 0.3, 0.8])


# ---------------------------------------------------------------------- plans and shards
def test_plan_shards_cover_every_label_once() -> None:
    plan = _plan(("q1", "q2"), ("a", "b", "c", "d", "e"), size=2)
    shards = plan.shards()
    assert [(s.question, s.start, s.stop) for s in shards] == [
        (0, 0, 2),
        (0, 2, 4),
        (0, 4, 5),
        (1, 0, 2),
        (1, 2, 4),
        (1, 4, 5),
    ]
    assert sum(s.size for s in shards) == plan.labels == 10
    assert len({s.name for s in shards}) == len(shards)


def test_run_folder_resumes_only_its_own_plan(tmp_path: Path) -> None:
    plan = _plan(("q1", "q2"), ("a", "b", "c"))
    run = RunFolder(tmp_path / "run")
    run.start(plan)
    assert run.todo(plan) == plan.shards()
    run.write(Shard(0, 0, 2), np.array([0.25, 0.75], dtype=np.float32))
    run.write(Shard(1, 2, 3), np.array([0.5], dtype=np.float32))
    with pytest.raises(ValueError, match="labels for"):
        run.write(Shard(1, 0, 2), np.zeros(3, dtype=np.float32))
    assert [s.name for s in run.todo(plan)] == ["q00000-c00000002.npy", "q00001-c00000000.npy"]
    assert not list((tmp_path / "run" / "shards").glob(".*"))  # no temporary files left
    again = RunFolder(tmp_path / "run")
    again.start(plan)  # the same plan: resumes
    assert again.load_plan() == plan
    table = again.table(plan)
    assert np.allclose(table[0, :2], [0.25, 0.75]) and np.isnan(table[0, 2])
    assert np.isnan(table[1, :2]).all() and table[1, 2] == 0.5
    for changed in (
        _plan(("q1", "q2"), ("a", "b", "x")),
        LabelPlan("other.gguf:1:cd", "prompt", ("q1", "q2"), ("a", "b", "c"), 2),
        _plan(("q1",), ("a", "b", "c")),
    ):
        with pytest.raises(PlanMismatch, match="another plan"):
            RunFolder(tmp_path / "run").start(changed)
    with pytest.raises(ValueError, match="not a labelling run"):
        RunFolder(tmp_path / "nothing").load_plan()


def test_plan_questions_and_candidates(kb: KnowledgeBase, tmp_path: Path) -> None:
    properties = plan_questions(kb, "property")
    assert properties and all(q in kb.question_ids for q in properties)
    assert plan_questions(kb, "all", 3) == tuple(q.text for q in kb.questions[:3])
    listed = tmp_path / "questions.txt"
    listed.write_text("Is it round?  # new\nIs it an animal?\nIs it round?\n", encoding="utf-8")
    assert plan_questions(kb, str(listed)) == ("Is it round?", "Is it an animal?")
    with pytest.raises(ValueError, match="nor a file"):
        plan_questions(kb, "nonsense")
    top, missing = plan_candidates(kb, 5)
    assert len(top) == 5 and list(top) == sorted(top) and not missing
    best = {kb.candidates[i] for i in np.argsort(-kb.log_prior, kind="stable")[:5].tolist()}
    assert set(top) == best
    keywords = tmp_path / "keywords.txt"
    keywords.write_text("Dogs\nhammer\nUnobtainium\n", encoding="utf-8")
    chosen, missing = plan_candidates(kb, 5, str(keywords))
    assert chosen == ("dog", "hammer") and missing == ["Unobtainium"]


# -------------------------------------------------------------------------------- merging
def test_weights_and_recentring() -> None:
    assert parse_weights([]) == {"table": 1.0, "llm": 1.0}
    assert parse_weights(["llm=3", "table=0.5"]) == {"table": 0.5, "llm": 3.0}
    for bad in (["wordnet=1"], ["llm"], ["llm=x"]):
        with pytest.raises(ValueError, match="--weight"):
            parse_weights(bad)
    with pytest.raises(ValueError, match="weights"):
        MergeOptions(0.0, 0.0)
    p = np.array([0.1, 0.2, 0.6])
    assert np.allclose(recentre(p, 0.2), [0.3077, 0.5, 0.8571], atol=1e-4)
    assert recentre(p, 0.5) is p


def _labelled_run(kb: KnowledgeBase, folder: Path) -> tuple[LabelPlan, list[str]]:
    """Labels for two table questions (one taxonomy, one property) and one new question, for
    dog, hammer and an unknown-to-WordNet candidate when there is one."""
    taxonomy = next(q.text for q in kb.questions if q.text == "Is it an animal?")
    prop = next(q.text for q in kb.questions if q.kind == "property" and q.source == "llm")
    unknown = [kb.candidates[i] for i in np.flatnonzero(kb.unknown)[:1].tolist()]
    candidates = tuple(sorted(["dog", "hammer", *unknown, "not in the lexicon"]))
    plan = _plan((taxonomy, prop, "Is it shiny and purple?"), candidates, size=len(candidates))
    run = RunFolder(folder)
    run.start(plan)
    for shard in plan.shards():
        values = {"dog": 0.2, "hammer": 0.6, "not in the lexicon": 0.9}
        probs = [values.get(c, 0.7) for c in candidates]
        run.write(shard, np.array(probs, dtype=np.float32))
    return plan, unknown


def test_merge_pools_where_the_table_has_an_opinion(kb: KnowledgeBase, tmp_path: Path) -> None:
    plan, unknown = _labelled_run(kb, tmp_path / "run")
    manifest = merge_labels(kb.folder, tmp_path / "run", tmp_path / "merged", MergeOptions(1, 3))
    merged = KnowledgeBase.load(tmp_path / "merged")
    assert merged.candidates == kb.candidates
    assert (tmp_path / "merged" / "lexicon.npz").read_bytes() == (
        kb.folder / "lexicon.npz"
    ).read_bytes()
    dog, hammer, cat = kb.index_of("dog"), kb.index_of("hammer"), kb.index_of("cat")
    assert dog is not None and hammer is not None and cat is not None
    animal = merged.question_ids["Is it an animal?"]
    before = kb.answer_probs(kb.question_ids["Is it an animal?"])
    after = merged.answer_probs(animal)
    # taxonomy, known to WordNet: (1 * table + 3 * llm) / 4
    assert after[dog] == pytest.approx((before[dog] + 3 * 0.2) / 4, abs=1 / 255)
    assert after[hammer] == pytest.approx((before[hammer] + 3 * 0.6) / 4, abs=1 / 255)
    assert after[cat] == before[cat]  # not labelled: unchanged
    for word in unknown:  # WordNet has no opinion: the LLM alone
        index = kb.index_of(word)
        assert index is not None and after[index] == pytest.approx(0.7, abs=1 / 255)
    prop = merged.question_ids[plan.questions[1]]
    assert merged.answer_probs(prop)[dog] == pytest.approx(0.2, abs=1 / 255)  # no opinion
    assert merged.answer_probs(prop)[cat] == 0.5
    new = merged.questions[merged.question_ids["Is it shiny and purple?"]]
    assert new.kind == "property" and new.source == "llm" and new.labelled == 2 + len(unknown)
    assert merged.answer_probs(new.index)[hammer] == pytest.approx(0.6, abs=1 / 255)
    assert len(merged.questions) == len(kb.questions) + 1
    counts = manifest["counts"]
    assert counts["merged_questions"] == 2 and counts["new_questions"] == 1
    assert counts["llm_labels_dropped"] == 3  # "not in the lexicon", for each question
    PlannerIndex(merged)  # the planner reads the merged folder
    again = merge_labels(kb.folder, tmp_path / "run", tmp_path / "again", MergeOptions(1, 3))
    assert again["files"] == manifest["files"]  # deterministic


def test_merge_weights_and_threshold(kb: KnowledgeBase, tmp_path: Path) -> None:
    _labelled_run(kb, tmp_path / "run")
    dog = kb.index_of("dog")
    assert dog is not None
    table_only = MergeOptions(table_weight=1.0, llm_weight=0.0)
    merge_labels(kb.folder, tmp_path / "run", tmp_path / "table", table_only)
    kept = KnowledgeBase.load(tmp_path / "table")
    q = kb.question_ids["Is it an animal?"]
    assert kept.answer_probs(q)[dog] == pytest.approx(kb.answer_probs(q)[dog], abs=1 / 255)
    recentred = MergeOptions(table_weight=0.0, llm_weight=1.0, llm_threshold=0.2)
    merge_labels(kb.folder, tmp_path / "run", tmp_path / "llm", recentred)
    llm_only = KnowledgeBase.load(tmp_path / "llm")
    assert llm_only.answer_probs(q)[dog] == pytest.approx(0.5, abs=1 / 255)  # 0.2 -> 0.5


# ------------------------------------------------------------------------------- packing
def test_pack_branches_respects_width_and_capacity() -> None:
    assert pack_branches([3, 3, 3, 3, 3], width=2, capacity=100) == [
        range(0, 2),
        range(2, 4),
        range(4, 5),
    ]
    assert pack_branches([4, 4, 4, 1], width=10, capacity=8) == [range(0, 2), range(2, 4)]
    assert pack_branches([], width=4, capacity=8) == []
    with pytest.raises(BackendError, match="exceeds"):
        pack_branches([9], width=4, capacity=8)


# ---------------------------------------------------------------------------- calibration
def test_split_is_seeded_and_keeps_each_kinds_share() -> None:
    triples = [Triple(f"k{i}", "Is it red?", "yes", kind) for kind in "ab" for i in range(10)]
    triples += [Triple("z", "Is it red?", "no", "c")]
    held = split_triples(triples, 0.5, seed=1)
    assert held == split_triples(triples, 0.5, seed=1) != split_triples(triples, 0.5, seed=2)
    assert sum(triples[i].kind == "a" for i in held) == 5
    assert sum(triples[i].kind == "b" for i in held) == 5
    with pytest.raises(ValueError, match="--split"):
        split_triples(triples, 1.0, 0)


def test_best_threshold_separates_and_stays_in_the_gap() -> None:
    probs = [0.1, 0.15, 0.2, 0.3, 0.35, 0.4]
    truth = [False, False, False, True, True, True]
    assert best_threshold(probs, truth) == pytest.approx(0.25)
    # all yes: every threshold below the lowest is best; the median of the best candidates
    assert best_threshold([0.2, 0.4], [True, True]) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="no probabilities"):
        best_threshold([], [])


def test_calibration_fits_the_threshold_on_one_part_and_reports_the_other(
    fake_backend: ScriptedBackend, tmp_path: Path
) -> None:
    """P(yes) is 0.3 for every true yes and 0.1 for every no (both prompts): 0.5 answers no to
    everything, the calibrated threshold (0.2) gets every semantic triple right."""
    things = ["apple", "brick", "cat", "drum", "egg", "fork", "gong", "harp"]
    triples = [Triple(w, "Is it soft?", "yes" if i % 2 else "no", "physical")
               for i, w in enumerate(things)]  # fmt: skip
    triples += [Triple("Toaster", "Does the keyword start with the letter T?", "yes", "letter")]
    p = {t.keyword: 0.3 if t.expected == "yes" else 0.1 for t in triples}
    fake_backend.expect(*[YesNo("calibrate/answerer", f"Is {noun_phrase(w)} soft?", p[w])
                          for w in things])  # fmt: skip
    fake_backend.expect(YesNoMany(labelling.SESSION, "Question: Is it soft?", tuple(things),
                                  tuple(p[w] for w in things)))  # fmt: skip
    settings = AgentSettings(knowledge_dir=tmp_path)  # no knowledge folder: no table answers
    report = calibrate(
        triples, settings, fraction=0.5, seed=3, progress=False, backend=fake_backend
    )
    held = split_triples(triples, 0.5, seed=3)
    assert report["split"]["held_out"] == len(held) == 4 + 1  # a lone triple is held out
    assert report["decided_by"] == {"rules": 1, "table": 0, "llm": 8}
    for name in ("answerer", "label_prompt"):
        entry = report[name]
        assert entry["threshold_calibrated"] == pytest.approx(0.2)
        assert entry["held_out_auc"] == 1.0
        assert entry["held_out_llm_only"]["calibrated"]["all"]["accuracy"] == 1.0
        no_share = sum(triples[i].expected == "no" for i in held if i < 8) / 4
        assert entry["held_out_llm_only"]["configured"]["all"]["accuracy"] == no_share
    answerer = report["answerer"]["held_out"]
    assert answerer["calibrated"]["all"]["n"] == len(held)
    rows = {r["keyword"]: r for r in report["rows"]}
    assert rows["Toaster"]["source"] == "rules" and rows["Toaster"]["p_answerer"] is None
    assert "| physical |" in calibration_table(report)


def test_roc_auc_counts_ties_half() -> None:
    assert roc_auc([0.9, 0.8, 0.1, 0.2], [True, True, False, False]) == 1.0
    assert roc_auc([0.1, 0.2, 0.9, 0.8], [True, True, False, False]) == 0.0
    assert roc_auc([0.5, 0.5], [True, False]) == 0.5
    assert roc_auc([0.3, 0.4], [True, True]) is None
