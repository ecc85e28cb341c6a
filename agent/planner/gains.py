"""Expected information gain of the bank's questions over the most probable candidates.

Functions of a :class:`agent.planner.belief.Belief` (its index and its noise model), shared by the
question choosers (:mod:`agent.planner.questions`) and the planner: :func:`top_candidates` picks
the ``top_k`` most probable candidates, :func:`table_stats` scores every table question over them.

Shortcut: the gain is computed over the ``top_k`` candidates only (the rest of the mass is
dropped and the weights renormalised).
"""

from __future__ import annotations

import numpy as np

from agent.planner.belief import Belief
from agent.planner.index import F64, I64
from agent.planner.posterior import binary_entropy


def top_candidates(belief: Belief, logpost: F64) -> tuple[I64, F64]:
    """The ``top_k`` most probable candidates and their normalised weights."""
    k = min(belief.config.top_k, belief.index.n)
    if k < belief.index.n:
        idx: I64 = np.argpartition(-logpost, k - 1)[:k].astype(np.int64)
    else:
        idx = np.arange(belief.index.n, dtype=np.int64)
    w = np.exp(logpost[idx] - logpost[idx].max())
    w[~np.isfinite(w)] = 0.0
    w /= w.sum()
    return idx, w


Rates = tuple[F64, F64]  # per table question: P(yes | the table's no), P(no | the table's yes)


def table_gains(belief: Belief, idx: I64, w: F64, rates: Rates | None = None) -> F64:
    """Expected information gain (bits) of every table question over candidates ``idx``
    (``rates``: the answer model, default the partner's prior yes bias)."""
    return table_stats(belief, idx, w, rates)[0]


def table_stats(belief: Belief, idx: I64, w: F64, rates: Rates | None = None) -> tuple[F64, F64]:
    """(expected information gain in bits, P(yes) with the answer noise) of every table
    question over candidates ``idx`` with weights ``w``: P(yes | p) = lo + (1 - lo - hi) p with
    ``rates`` = (lo, hi) per question (default: :meth:`Belief.answer_rates` before any answer)."""
    index = belief.index
    lo, hi = rates if rates is not None else belief.prior_rates
    scale = 1.0 - lo - hi
    starts = index.c_ptr[idx]
    lens = index.c_ptr[idx + 1] - starts
    total = int(lens.sum())
    pos = np.arange(total, dtype=np.int64) + np.repeat(starts - (np.cumsum(lens) - lens), lens)
    q = index.c_q[pos]
    ww = np.repeat(w, lens)
    p, base = index.c_p[pos], index.c_base[pos]
    q_count = len(index.default)
    unknown_mass = float(w[index.unknown[idx]].sum())
    tax_unknown = index.taxonomy * unknown_mass
    mean_p = index._base_mean(unknown_mass) + np.bincount(
        q, weights=ww * (p - base), minlength=q_count
    )
    p_yes: F64 = lo + scale * mean_p
    lo_q, scale_q = lo[q], scale[q]
    cond = (
        binary_entropy(lo + scale * index.default) * (1.0 - tax_unknown)
        + binary_entropy(lo + scale * 0.5) * tax_unknown
        + np.bincount(
            q,
            weights=ww
            * (binary_entropy(lo_q + scale_q * p) - binary_entropy(lo_q + scale_q * base)),
            minlength=q_count,
        )
    )
    gains: F64 = binary_entropy(p_yes) - cond
    return gains, p_yes
