"""What the Bayesian mode assumes of a partner that does not speak the protocol: per table
question, P(yes | the table's no) and P(no | the table's yes), under each hypothesis about who
the partner is.

The hypotheses (:class:`PartnerRows`, one row each) cross two answer styles with the partner's
own yes bias:

- **like people**: the people's panel's contradictions of this table (``question_noise.json``'s
  ``table_people``), smoothed toward the flat noise;
- **like a small LLM**: the same, plus what a real 1.5B model said against people on the panel
  (its ``table``: "Is it a device?" yes for 40% of the things people call no device);
- each raised by a yes bias on ``yes_bias_grid`` (a zero-shot LLM partner says yes to most of a
  game's questions).

The planner learns the row from the answers, one row per partner for the whole game (the
mixture is in :mod:`agent.planner.belief`), and its information gains use the posterior mean
rates (:meth:`PartnerRows.rates`).

Shortcuts: the LLM style is one model's (Qwen2.5-Coder-1.5B, its zero-shot and few-shot prompts
averaged); a bias raises the false-yes rate only, kept below ``0.95 - P(no | yes)`` so a yes
still means yes; where the file has no LLM figures the two styles are one row set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agent.planner.index import F64, PlannerIndex

# Per-question noise: the panel's pairs weigh against this many pseudo-pairs of the flat noise;
# no question's false-yes or false-no rate goes beyond MAX_NOISE.
PANEL_PSEUDO = 20.0
MAX_NOISE = 0.45


def question_rates(
    index: PlannerIndex, noise_table: float, counts: F64 | None = None
) -> tuple[F64, F64]:
    """Per table question, P(yes | the table's no) and P(no | the table's yes): ``counts``
    (default: ``index.panel_counts``; rows of panel-yes against the table's confident no, the
    table's no pairs, panel-no against its yes, its yes pairs) smoothed with ``PANEL_PSEUDO``
    pairs of ``noise_table`` plus half the share of things people differ on; ``noise_table``
    alone where the panel is silent."""
    counts = index.panel_counts if counts is None else counts
    base = np.clip(noise_table + 0.5 * index.spread, 0.0, MAX_NOISE)
    false_yes = (counts[:, 0] + PANEL_PSEUDO * base) / (counts[:, 1] + PANEL_PSEUDO)
    false_no = (counts[:, 2] + PANEL_PSEUDO * base) / (counts[:, 3] + PANEL_PSEUDO)
    return np.clip(false_yes, 0.0, MAX_NOISE), np.clip(false_no, 0.0, MAX_NOISE)


@dataclass(frozen=True)
class PartnerRows:
    """The hypotheses about a plain partner: per row, every table question's false-yes rate
    (``bias_yes``) and false-no rate (``false_no``), and the row's log prior."""

    bias_yes: F64  # rows x questions
    false_no: F64  # rows x questions
    log_prior: F64  # rows
    llm: np.ndarray  # rows: True where the row answers like the small LLM

    @classmethod
    def build(
        cls,
        index: PlannerIndex,
        noise_table: float,
        grid: tuple[float, ...],
        grid_prior: tuple[float, ...],
        llm_prior: float,
    ) -> PartnerRows:
        g = np.asarray(grid, dtype=np.float64)
        w = np.asarray(grid_prior, dtype=np.float64)
        if g.shape != w.shape or np.any(g < 0) or np.any(g >= 1) or w.sum() <= 0:
            raise ValueError("yes_bias_grid and yes_bias_prior: same length, grid in [0, 1)")
        if not 0.0 <= llm_prior <= 1.0:
            raise ValueError("llm_partner_prior: a probability")
        styles: list[tuple[tuple[F64, F64], float, bool]] = []
        people = question_rates(index, noise_table, index.people_counts)
        same = np.array_equal(index.people_counts, index.panel_counts)
        if same or llm_prior < 1.0:
            styles.append((people, 1.0 if same else 1.0 - llm_prior, False))
        if not same and llm_prior > 0.0:
            styles.append((question_rates(index, noise_table), llm_prior, True))
        yes_rows, no_rows, priors, llm = [], [], [], []
        for (false_yes, false_no), weight, is_llm in styles:
            lo = false_yes[None, :] + (1.0 - false_yes[None, :]) * g[:, None]
            yes_rows.append(np.minimum(lo, np.maximum(false_yes, 0.95 - false_no)))
            no_rows.append(np.broadcast_to(false_no, lo.shape))
            priors.append(weight * w / w.sum())
            llm.extend([is_llm] * len(g))
        with np.errstate(divide="ignore"):
            log_prior = np.log(np.concatenate(priors))
        return cls(np.vstack(yes_rows), np.vstack(no_rows), log_prior, np.array(llm))

    def rates(self, weights: F64) -> tuple[F64, F64]:
        """Per question, P(yes | the table's no) and P(no | the table's yes) under ``weights``
        over the rows (a posterior, or the prior)."""
        lo: F64 = weights @ self.bias_yes
        hi: F64 = weights @ self.false_no
        return lo, hi
