"""Summary statistics of timings for the evaluation and benchmark reports.

Every report quotes the same few numbers: p50/p95 of turn latencies in milliseconds
(:func:`latency_summary`), p50/p95 of game lengths in seconds (:func:`seconds_summary`),
median/p95/max of planner moves already in milliseconds (:func:`median_p95_max`) and a plain
median in milliseconds (:func:`median_ms`); the answerer calibration's separation of yes from no
by P(yes) is :func:`roc_auc`.

Shortcut: percentiles are numpy's default (linear interpolation between order statistics); they
are descriptive numbers of one run, no confidence intervals.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

import numpy as np


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100), linearly interpolated; ValueError on no values."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0.0 <= q <= 100.0:
        raise ValueError(f"percentile {q} is outside 0..100")
    return float(np.percentile(np.asarray(values, dtype=np.float64), q))


def latency_summary(seconds: Sequence[float]) -> dict[str, float | int | None]:
    """Count, p50 and p95 in milliseconds (one decimal) of durations given in seconds."""
    if not seconds:
        return {"n": 0, "p50": None, "p95": None}
    return {
        "n": len(seconds),
        "p50": round(percentile(seconds, 50) * 1000, 1),
        "p95": round(percentile(seconds, 95) * 1000, 1),
    }


def seconds_summary(seconds: Sequence[float]) -> dict[str, float | None]:
    """p50 and p95 in seconds (two decimals)."""
    if not seconds:
        return {"p50": None, "p95": None}
    return {"p50": round(percentile(seconds, 50), 2), "p95": round(percentile(seconds, 95), 2)}


def median_p95_max(values: Sequence[float]) -> dict[str, float]:
    """Median, p95 and maximum (two decimals) in the values' own unit; zeros for no values."""
    if not values:
        return {"median": 0.0, "p95": 0.0, "max": 0.0}
    return {
        "median": round(statistics.median(values), 2),
        "p95": round(percentile(values, 95), 2),
        "max": round(max(values), 2),
    }


def median_ms(seconds: Sequence[float], digits: int = 3) -> float:
    """Median of durations given in seconds, in milliseconds."""
    return round(statistics.median(seconds) * 1000, digits)


def roc_auc(scores: Sequence[float], truth: Sequence[bool]) -> float | None:
    """P(a random positive scores above a random negative), ties counted half: how well
    ``scores`` separate ``truth`` whatever the threshold; None without both classes."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(truth, dtype=bool)
    positives, negatives = s[y], s[~y]
    if not positives.size or not negatives.size:
        return None
    above = (positives[:, None] > negatives[None, :]).mean()
    ties = (positives[:, None] == negatives[None, :]).mean()
    return float(above + ties / 2)
