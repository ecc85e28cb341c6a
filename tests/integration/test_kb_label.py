"""Labelling property questions with the real tiny GGUF: in ``kb build``, and with ``kb label``
on a real local Ray (two actors), killed and resumed, then merged and played by the planner."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from agent.planner.store import KnowledgeBase
from agent.settings import PROJECT_DIR, AgentSettings
from llm20q.eval.simulated import simulated_selfplay
from llm20q.kb.agreement import SourceTags
from llm20q.kb.build import build
from llm20q.kb.label.plan import RunFolder
from llm20q.keywords import Keyword
from tests.knowledge_fixture import kb_options


def test_build_labels_with_the_real_model(tmp_path: Path) -> None:
    models = sorted((PROJECT_DIR / "models").glob("*.gguf"))
    assert models, "no GGUF in models/: run `make setup`"
    options = kb_options(
        tmp_path / "kb", label_with=models[0], label_top=4, label_questions=2,
        label_cache=tmp_path / "labels", readings=False,
    )  # fmt: skip
    build(options)
    kb = KnowledgeBase.load(tmp_path / "kb")
    props = [q for q in kb.questions if q.kind == "property"]
    assert [q.labelled for q in props] == [4, 4]
    probs = kb.answer_probs(props[0].index)
    labelled = np.flatnonzero(probs != 0.5)
    assert 1 <= len(labelled) <= 4
    top = set(np.argsort(-kb.log_prior)[:4].tolist())
    assert set(labelled.tolist()) <= top
    assert len(list((tmp_path / "labels").glob("*.npy"))) == 2
    # With the readings, the model's labels answer only where no rule decided (same cache).
    pooled = KnowledgeBase.load(build(replace(options, out=tmp_path / "pooled", readings=True)).out)
    tags = SourceTags.load(pooled)
    assert tags is not None
    loaf = pooled.questions[pooled.question_ids[props[0].text]]
    assert loaf.labelled == 4 and loaf.source in ("readings", "readings+llm")
    said = {tags.of(pooled, loaf.index, int(i)) for i in top}
    assert said <= {"llm", "is", "gloss", "lex", "mod"}
    for i in top:
        if tags.of(pooled, loaf.index, int(i)) == "llm":
            assert pooled.answer_probs(loaf.index)[i] == probs[i]


def _label_command(work: Path, kb: Path, model: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "llm20q", "kb", "label", "--work", str(work), "--kb", str(kb),
            "--model", str(model), "--max-questions", "4", "--top", "40", "--shard-size", "4",
            "--actors", "2", "--no-progress", *extra]  # fmt: skip


def test_kb_label_on_ray_is_killed_resumes_and_the_planner_plays_the_merge(
    tmp_path: Path, tiny_model_path: Path
) -> None:
    """Two Ray actors label 4 questions x 40 candidates (40 shards); SIGTERM mid-run keeps the
    finished shards; the same command again labels only the rest, then merges; the planner plays
    from the merged folder."""
    kb_dir = tmp_path / "kb"
    build(kb_options(kb_dir, readings=False))  # property rows silent: the merge's LLM stands alone
    work, merged = tmp_path / "work", tmp_path / "merged"
    shards = work / "shards"
    first = subprocess.Popen(
        _label_command(work, kb_dir, tiny_model_path), cwd=PROJECT_DIR,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 240
    while len(list(shards.glob("q*.npy"))) < 2 and first.poll() is None:
        assert time.monotonic() < deadline, "no shard finished in time"
        time.sleep(0.1)
    first.send_signal(signal.SIGTERM)
    output, _ = first.communicate(timeout=120)
    assert first.returncode == 128 + signal.SIGTERM, output
    kept = {path.name: path.stat().st_mtime_ns for path in shards.glob("q*.npy")}
    assert 2 <= len(kept) < 40, output
    assert not list(shards.glob(".*")), "a shard was left half-written"

    second = subprocess.run(
        _label_command(work, kb_dir, tiny_model_path, "--out", str(merged)), cwd=PROJECT_DIR,
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"in 40 shards; {len(kept)} already done" in second.stdout
    assert '"shards": ' + str(40 - len(kept)) in second.stdout
    done = {path.name: path.stat().st_mtime_ns for path in shards.glob("q*.npy")}
    assert len(done) == 40 and all(done[name] == mtime for name, mtime in kept.items())

    run = RunFolder(work)
    plan = run.load_plan()
    table = run.table(plan)
    assert not np.isnan(table).any() and ((table > 0) & (table < 1)).all()
    kb = KnowledgeBase.load(merged)
    for q, question in enumerate(plan.questions):
        row = kb.answer_probs(kb.question_ids[question])
        for c, candidate in enumerate(plan.candidates):
            index = kb.index_of(candidate)
            assert index is not None
            assert row[index] == pytest.approx(table[q, c], abs=1 / 255)  # property: LLM alone

    settings = AgentSettings(knowledge_dir=merged, planner_handshake=False)
    keywords = [Keyword(word, "things") for word in plan.candidates[:3]]
    result = simulated_selfplay(settings, keywords, official_judge=False)
    assert result["keywords"] == 3 and result["games_handed_to_llm"] == 0
