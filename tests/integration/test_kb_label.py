"""The knowledge builder labelling property questions with the real tiny GGUF."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from agent.planner.store import KnowledgeBase
from agent.settings import PROJECT_DIR
from llm20q.kb.build import build
from tests.unit.test_knowledge import _options


def test_build_labels_with_the_real_model(tmp_path: Path) -> None:
    models = sorted((PROJECT_DIR / "models").glob("*.gguf"))
    assert models, "no GGUF in models/: run `make setup`"
    options = _options(
        tmp_path / "kb", label_with=models[0], label_top=4, label_questions=2,
        label_cache=tmp_path / "labels",
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
