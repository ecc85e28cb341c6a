"""Coined candidates: keywords the lexicon lacks, made of its own words (the Agent Alpha end game).

Under the Agent Alpha protocol the alphabetical answers pin the keyword between two strings
(``Posterior.lower`` <= keyword < ``Posterior.upper``) whether or not the lexicon lists it. Most
things a lexicon misses are noun compounds of words it has ("compost bin", "yoga ball",
"carbon monoxide detector", "downspout"). Once the interval is narrow, :meth:`Coiner.coin` lists
the two-part compounds that fall inside it, each with a probability given that the keyword is
outside the lexicon:

    P(modifier) x P(head) x P(joint)

- P(head): the prior mass of the lexicon's compounds that end with the word (so thing-shaped
  heads, "bin", "stand", "detector", weigh most), plus a little of the word's own prior;
- P(modifier): the prior mass of the compounds that start with it, plus its own prior (any
  candidate, one word or several, may be a modifier);
- P(joint): open ("compost bin") or closed ("downspout").

The planner gives them the outside branch's mass (``View.outside``) in proportion to their
probability against the interval's share of the outside model's own spread (the prior mass of
the lexicon's spellings inside it, or the coined strings' mass when that is larger), so the split
and the guess weigh coined strings against the lexicon's (:mod:`agent.planner.alpha`): a few
unlikely strings in a tiny interval do not take all the outside mass.

Shortcuts: two parts only; the ``HEADS`` heaviest heads (``PER_MODIFIER`` per modifier); an
interval holding more than ``MAX_MODIFIERS`` modifiers coins nothing (the lexicon's own
bisection narrows it first); all of the outside mass may go to coined strings (a keyword of no two
lexicon words is lost either way).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]  # the planner's alias (agent.planner.index imports this module)

HEADS = 4000
MAX_MODIFIERS = 64
PER_MODIFIER = 1000  # heads kept per modifier and joint (the heaviest) when more fall inside
OWN_SHARE = 0.1  # weight of a word's own prior next to its mass as a head or a modifier
JOINTS: tuple[tuple[str, float], ...] = ((" ", 0.85), ("", 0.15))


@dataclass(frozen=True)
class Coined:
    """Coined strings inside an interval, sorted, with log P(string | outside the lexicon)
    (over every coinable string, not only the interval's)."""

    strings: list[str]
    log_weight: F64

    def top(self, wrong: set[str]) -> tuple[str, float] | None:
        """The most probable string not guessed yet, with its probability."""
        for i in np.argsort(-self.log_weight, kind="stable")[:64].tolist():
            if self.strings[i] not in wrong:
                return self.strings[i], float(np.exp(self.log_weight[i]))
        return None


class CoinedShare(NamedTuple):
    """The coined strings of the Agent Alpha interval and what the planner weighs them with."""

    coined: Coined
    outside: float  # the outside branch's mass under the protocol
    scale: float  # from a coined string's P(string | outside) to its posterior


class Coiner:
    """Modifier and head weights read off the lexicon, and the compounds of an interval."""

    def __init__(self, candidates: Sequence[str], log_prior: F64, known: frozenset[str]) -> None:
        prior = np.exp(log_prior - float(np.max(log_prior)))
        prior /= prior.sum()
        as_head: dict[str, float] = defaultdict(float)
        as_modifier: dict[str, float] = defaultdict(float)
        for text, mass in zip(candidates, prior.tolist(), strict=True):
            as_modifier[text] += OWN_SHARE * mass
            modifier, _, head = text.rpartition(" ")
            if modifier:
                as_head[head] += mass
                as_modifier[modifier] += mass
            elif text.isalpha():
                as_head[text] += OWN_SHARE * mass
        top_heads = sorted(as_head, key=as_head.__getitem__, reverse=True)[:HEADS]
        self.heads = sorted(h for h in top_heads if h.isalpha())
        head_mass = np.array([as_head[h] for h in self.heads])
        self.head_log: F64 = np.log(head_mass / head_mass.sum())
        self.modifiers = sorted(as_modifier)
        modifier_mass = np.array([as_modifier[m] for m in self.modifiers])
        self.modifier_log: F64 = np.log(modifier_mass / modifier_mass.sum())
        self.modifier_at = {m: i for i, m in enumerate(self.modifiers)}
        self.known = known

    def _modifiers_in(self, lower: str, upper: str) -> list[int] | None:
        """Modifiers whose compounds can fall in [lower, upper): those between the bounds and
        the prefixes of ``lower``; None when there are more than ``MAX_MODIFIERS``."""
        start = bisect.bisect_left(self.modifiers, lower)
        end = bisect.bisect_left(self.modifiers, upper)
        if end - start > MAX_MODIFIERS:
            return None
        found = list(range(start, end))
        for size in range(1, len(lower) + 1):
            at = self.modifier_at.get(lower[:size])
            if at is not None and at < start:
                found.append(at)
        return found

    def coin(self, lower: str | None, upper: str | None) -> Coined | None:
        """The compounds in [lower, upper) the lexicon does not list, with log P(string |
        outside the lexicon) over all coinable strings; None when the interval is too wide or
        holds none."""
        if upper is None:
            return None
        low = lower or ""
        chosen = self._modifiers_in(low, upper)
        if not chosen:
            return None
        strings: list[str] = []
        weights: list[F64] = []
        for at in chosen:
            modifier = self.modifiers[at]
            for joint, share in JOINTS:
                prefix = modifier + joint
                a = bisect.bisect_left(self.heads, low, key=prefix.__add__)
                b = bisect.bisect_left(self.heads, upper, key=prefix.__add__)
                if a >= b:
                    continue
                inside = np.arange(a, b)
                if b - a > PER_MODIFIER:
                    heavy = np.argpartition(-self.head_log[a:b], PER_MODIFIER - 1)[:PER_MODIFIER]
                    inside = np.sort(inside[heavy])
                inside = inside[[self.heads[h] != modifier for h in inside.tolist()]]
                strings.extend(prefix + self.heads[h] for h in inside.tolist())
                weights.append(self.modifier_log[at] + np.log(share) + self.head_log[inside])
        if not strings:
            return None
        log_weight = np.concatenate(weights)
        keep = np.array([s not in self.known for s in strings], dtype=bool)
        if not keep.any():
            return None
        kept = [s for s, k in zip(strings, keep.tolist(), strict=True) if k]
        log_weight = log_weight[keep]
        order = sorted(range(len(kept)), key=kept.__getitem__)
        return Coined([kept[i] for i in order], log_weight[np.array(order, dtype=np.int64)])
