"""The shape prior (``kb fit-prior``): the tilt, the folds and the written folder, on synthetic
features and on a knowledge folder built from the real-format WordNet subset."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from agent.game import judge_normalize
from agent.planner.store import KnowledgeBase
from llm20q.kb.lexicon import OFFICIAL_BONUS, SOURCE_OFFICIAL
from llm20q.kb.prior import (
    FOLDS_FILE,
    FitView,
    fit_prior_folder,
    fit_tilt,
    keyword_targets,
    mean_bits,
    shape_features,
    tilted_log_prior,
)


def fake_zipf(text: str) -> float:
    return float(len(text) % 6)


def test_the_tilt_moves_mass_towards_the_list_shape() -> None:
    rng = np.random.default_rng(0)
    n = 400
    thing = (rng.uniform(size=n) < 0.25).astype(np.float64)  # a "thing" feature
    noise = rng.normal(size=n)
    features = np.stack([thing, noise], axis=1)
    base = np.log(np.full(n, 1.0 / n))
    targets = [[i] for i in np.flatnonzero(thing)[:30].tolist()]
    weights = fit_tilt(features, base, targets, penalty=0.1)
    assert weights[0] > 1.0 and abs(weights[1]) < 0.5
    tilted = tilted_log_prior(base, features, weights)
    assert np.exp(tilted).sum() == pytest.approx(1.0)
    before, after = mean_bits(base, targets), mean_bits(tilted, targets)
    assert before is not None and after is not None and after < before - 1.0
    with pytest.raises(ValueError, match="nothing to fit"):
        fit_tilt(features, base, [[], []])


def test_features_describe_shape_never_the_official_flag(kb: KnowledgeBase) -> None:
    features = shape_features(kb, fake_zipf)
    assert features.matrix.shape == (len(kb), len(features.names))
    assert not any("official" in name for name in features.names)
    flagged = KnowledgeBase(
        **{**kb.__dict__, "sources": kb.sources | SOURCE_OFFICIAL, "log_prior": kb.log_prior + 1.0}
    )  # official candidates carry the list's bonus in their prior: the features do not see it
    unflagged = features.matrix
    np.testing.assert_allclose(shape_features(flagged, fake_zipf).matrix, unflagged, atol=1e-6)


def listed(kb: KnowledgeBase, names: list[str], only: str) -> KnowledgeBase:
    """``kb`` as if built with an official list naming ``names`` (bonus and flag) and ``only``
    (a candidate no other source has)."""
    official = np.zeros(len(kb), dtype=bool)
    official[[i for name in (*names, only) for i in kb.judge_matches(name)]] = True
    sources = np.where(official, kb.sources | SOURCE_OFFICIAL, kb.sources)
    sources[kb.judge_matches(only)] = SOURCE_OFFICIAL
    log_prior = np.where(official, kb.log_prior + OFFICIAL_BONUS, kb.log_prior)
    return dataclasses.replace(
        kb, sources=sources.astype(kb.sources.dtype), log_prior=log_prior.astype(np.float32)
    )


def test_an_official_inclusive_lexicon_is_fit_as_if_the_list_were_not_in_it(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    names = ["hammer", "screwdriver", "knife", "guitar"]
    keywords = [(name,) for name in names]
    with_list = listed(kb, names, only="air vent")
    assert not set(with_list.judge_matches("air vent")) & set(FitView.of(with_list).rows.tolist())
    plain = fit_prior_folder(kb, tmp_path / "plain", keywords, "things", fake_zipf)
    fitted = fit_prior_folder(
        with_list, tmp_path / "listed", [*keywords, ("air vent",)], "things", fake_zipf
    )
    assert plain.summary["in_lexicon"] == 4 and fitted.summary["in_lexicon"] == 5
    weights = [
        KnowledgeBase.load(tmp_path / name).manifest["prior"]["weights"]
        for name in ("plain", "listed")
    ]
    # the only-official candidate leaves the fit; the bonus does not move the weights
    np.testing.assert_allclose(weights[0], weights[1], atol=0.05)


def test_fit_prior_writes_a_loadable_folder_and_honest_folds(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    keywords = [("hammer",), ("coffee grinder",), ("screwdriver",), ("bat",), ("zorblax",),
                ("knife",), ("guitar", "guitars")]  # fmt: skip
    result = fit_prior_folder(
        kb, tmp_path / "out", keywords, "things", fake_zipf, folds=2, penalty=1.0
    )
    out = KnowledgeBase.load(tmp_path / "out")
    assert out.candidates == kb.candidates and len(out.questions) == len(kb.questions)
    assert not np.array_equal(out.log_prior, kb.log_prior)
    assert np.exp(out.log_prior.astype(np.float64)).sum() == pytest.approx(1.0, rel=1e-4)
    assert out.manifest["prior"]["fit_on"] == "things" and out.manifest["prior"]["in_lexicon"] == 6
    summary = result.summary
    assert summary["mean_bits_after"]["things (in sample)"] < summary["mean_bits_before"]["things"]
    folds = json.loads((tmp_path / "out" / FOLDS_FILE).read_text(encoding="utf-8"))
    assert folds["folders"] == ["fold-0", "fold-1"]
    assert folds["keywords"][judge_normalize("guitars")] == folds["keywords"]["guitar"]
    # fold k's prior is the tilt fit without fold k's keywords
    targets = keyword_targets(kb, keywords)
    for k, name in enumerate(folds["folders"]):
        train = [t for names, t in zip(keywords, targets, strict=True)
                 if folds["keywords"][judge_normalize(names[0])] != k]  # fmt: skip
        features = shape_features(kb, fake_zipf).matrix
        base = kb.log_prior.astype(np.float64)
        expected = tilted_log_prior(base, features, fit_tilt(features, base, train, 1.0))
        fold = KnowledgeBase.load(tmp_path / "out" / name)
        np.testing.assert_allclose(fold.log_prior, expected, rtol=1e-4, atol=1e-4)
    with pytest.raises(ValueError, match="already has a fitted prior"):
        fit_prior_folder(out, tmp_path / "again", keywords, "things", fake_zipf)
