"""Agent Alpha questions: the alphabetical split, or a check of the partner's kind.

While P(protocol) is high the planner bisects: the split word is the one closest to half of the
posterior mass under the protocol (each candidate's mass spread over its spellings; a candidate's
own spelling is preferred as the split word when it is nearly as good).

While the partner's kind is uncertain, a *check* may be worth more: an alphabetical question
whose answer the earlier answers imply for any keyword string (a word at or after the smallest
word the keyword precedes, or at or before the largest word it does not precede). A protocol
partner answers it as implied, for sure; a noisy partner only as often as its noisy posterior
says, so one wrong answer rules the protocol out. The planner asks the check when its value
beats the split's:

    value = I(answer; keyword | kind) + partner_value x (rounds left / 20) x I(answer; kind)

(bits, under the current P(protocol); the answer noise of each kind as in the posterior; the
split counts as no evidence about the kind, as the posterior counts its answer).

Once the interval between the bounds is narrow and the partner surely speaks the protocol,
coined strings (:mod:`agent.planner.coined`) share it with the lexicon's spellings: the lexicon's
strings in the interval carry their posterior mass, the coined ones the outside branch's, and the
split halves the sum (:func:`coined_question`).

Shortcut: check words are the separators of the first few spelling variants past the bounds, so
they look like word stems ("ma", "cof"), not whole words.
"""

from __future__ import annotations

import bisect

import numpy as np
import numpy.typing as npt

from agent.game import MAX_ROUNDS
from agent.legal import normalise
from agent.planner.belief import Belief
from agent.planner.coined import CoinedShare
from agent.planner.features import shortest_separator
from agent.planner.index import F64
from agent.planner.posterior import Mode, Posterior, binary_entropy
from agent.rules import alphabetical_question

# Variants looked at past each bound for a check word not asked yet.
CHECK_SCAN = 8


def _usable(word: str, asked: set[str]) -> bool:
    return (
        "?" not in word and "\n" not in word and normalise(alphabetical_question(word)) not in asked
    )


def _separator_near_half(
    strings: list[str], cdf: F64, asked: set[str], bonus: npt.NDArray[np.bool_] | None = None
) -> str | None:
    """The separator of sorted ``strings`` whose share of ``cdf`` is closest to half (a split
    before a string ``bonus`` marks, a candidate's own spelling, is preferred when nearly as
    good)."""
    centre = int(np.searchsorted(cdf, 0.5))
    best: tuple[float, str] | None = None
    for pos in range(max(1, centre - 4), min(len(strings), centre + 6)):
        start = bisect.bisect_left(strings, strings[pos])  # split between distinct strings
        if start == 0:
            continue
        word = shortest_separator(strings[start - 1], strings[start])
        if not _usable(word, asked):
            continue
        score = abs(float(cdf[start - 1]) - 0.5)
        if bonus is not None and not bonus[start]:
            score += 0.02
        if best is None or score < best[0]:
            best = (score, word)
    return best[1] if best else None


def split_word(belief: Belief, cdf: F64, asked: set[str]) -> str | None:
    """The separator word closest to half of the mass of ``cdf`` (own spellings preferred)."""
    index = belief.index
    return _separator_near_half(index.v_strings, cdf, asked, index.v_main)


def merged_split(strings: list[str], mass: F64, asked: set[str]) -> str | None:
    """The separator of sorted ``strings`` closest to half of ``mass`` (a split word whose answer
    the bounds do not already imply)."""
    cdf = np.cumsum(mass)
    if len(strings) < 2 or cdf[-1] <= 0:
        return None
    return _separator_near_half(strings, cdf / cdf[-1], asked)


def coined_question(
    belief: Belief,
    post: Posterior,
    share: CoinedShare,
    asked: set[str],
) -> str | None:
    """The split of the interval's lexicon spellings and coined strings, weighed together
    (a coined string's posterior is ``share.scale`` x P(string | outside))."""
    coined, outside, scale = share
    index = belief.index
    low, high = index.interval(post.lower, post.upper)
    cdf = belief.variant_cdf(post, Mode.ALPHA)
    lexicon_mass = np.diff(cdf[low - 1 : high]) if low > 0 else np.diff(cdf[:high], prepend=0.0)
    wrong = {g.lower() for g in post.guesses}
    keep = [i for i, s in enumerate(coined.strings) if s not in wrong]
    strings = index.v_strings[low:high] + [coined.strings[i] for i in keep]
    mass = np.concatenate((lexicon_mass * (1.0 - outside), np.exp(coined.log_weight[keep]) * scale))
    order = sorted(range(len(strings)), key=strings.__getitem__)
    word = merged_split([strings[i] for i in order], mass[np.array(order, dtype=np.int64)], asked)
    return alphabetical_question(word) if word else None


def check_words(strings: list[str], post: Posterior, asked: set[str]) -> list[str]:
    """Words whose answer the earlier alphabetical answers imply: the first few past the upper
    bound (answer yes) and before the lower bound (answer no)."""
    words: list[str] = []
    if post.upper is not None:
        start = bisect.bisect_left(strings, post.upper)
        for j in range(max(1, start), min(len(strings), start + CHECK_SCAN)):
            word = shortest_separator(strings[j - 1], strings[j])
            if strings[j - 1] < strings[j] and word >= post.upper and _usable(word, asked):
                words.append(word)
                break
    if post.lower is not None:
        start = bisect.bisect_left(strings, post.lower)
        for j in range(min(start, len(strings) - 1), max(0, start - CHECK_SCAN), -1):
            word = shortest_separator(strings[j - 1], strings[j])
            if strings[j - 1] < strings[j] and word <= post.lower and _usable(word, asked):
                words.append(word)
                break
    return words


def alpha_question(
    belief: Belief, post: Posterior, asked: set[str], rounds_left: int
) -> str | None:
    """The next Agent Alpha question: the split, or a check when it is worth more."""
    cdf_p = belief.variant_cdf(post, Mode.ALPHA)
    split = split_word(belief, cdf_p, asked)
    p = post.p_protocol
    if p >= 1.0 - 1e-9 or belief.config.partner_value <= 0:
        return alphabetical_question(split) if split else None
    strings = belief.index.v_strings
    cdf_n = belief.variant_cdf(post, Mode.BAYES)
    eps_p = post.channels[Mode.ALPHA].eps
    eps_n = post.channels[Mode.BAYES].eps
    weight = belief.config.partner_value * max(rounds_left, 0) / MAX_ROUNDS

    def mass_below(cdf: F64, word: str) -> float:
        position = bisect.bisect_left(strings, word)
        return float(cdf[position - 1]) if position > 0 else 0.0

    def value(y_p: float, word: str) -> float:
        y_n = eps_n + (1.0 - 2.0 * eps_n) * mass_below(cdf_n, word)
        h_p, h_n = float(binary_entropy(y_p)), float(binary_entropy(y_n))
        keyword = p * (h_p - float(binary_entropy(eps_p))) + (1 - p) * (
            h_n - float(binary_entropy(eps_n))
        )
        kind = float(binary_entropy(p * y_p + (1 - p) * y_n)) - p * h_p - (1 - p) * h_n
        return keyword + weight * kind

    options: list[tuple[float, str]] = []
    if split is not None:
        keyword_bits = p * float(binary_entropy(mass_below(cdf_p, split))) + (1 - p) * (
            float(binary_entropy(eps_n + (1 - 2 * eps_n) * mass_below(cdf_n, split)))
            - float(binary_entropy(eps_n))
        )
        options.append((keyword_bits, alphabetical_question(split)))
    for word in check_words(strings, post, asked):
        y_p = 1.0 - eps_p if post.implied(word) else eps_p
        options.append((value(y_p, word), alphabetical_question(word)))
    if not options:
        return None
    return max(options, key=lambda option: option[0])[1]
