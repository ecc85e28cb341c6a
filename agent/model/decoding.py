"""Pure pieces of the backend's decode loop: sampling a token, P(yes) from first-token logits,
where a reply ends, what text is behind a session's cache, and how many prompt tokens to evaluate
before a deadline.

Shortcuts: sampling is greedy or plain temperature sampling with a seeded numpy generator (no
top-k/top-p); stop strings are checked on the decoded text.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

FIRST_BATCH = 32  # prompt tokens evaluated under a deadline before the speed is known
DEADLINE_BATCH = 128  # at most, under a deadline: a slowdown costs at most one such batch
SAFETY = 2.0  # a batch under a deadline is planned to take at most half the time left


def sample_token(logits: np.ndarray, temperature: float, rng: np.random.Generator) -> int:
    """The next token: the most likely one, or one sampled at ``temperature``."""
    if temperature <= 0.0:
        return int(np.argmax(logits))
    scaled = logits.astype(np.float64) / temperature
    scaled -= scaled.max()
    weights = np.exp(scaled)
    return int(rng.choice(weights.size, p=weights / weights.sum()))


def yes_share(yes: np.ndarray, no: np.ndarray) -> np.ndarray:
    """Softmax mass of the ``yes`` logits against the ``no`` logits, along the last axis."""
    yes = yes.astype(np.float64)
    no = no.astype(np.float64)
    top = np.maximum(yes.max(axis=-1), no.max(axis=-1))[..., None]
    yes_mass = np.exp(yes - top).sum(axis=-1)
    result: np.ndarray = yes_mass / (yes_mass + np.exp(no - top).sum(axis=-1))
    return result


def first_cut(text: str, stop: Sequence[str], end_after: Sequence[str]) -> int | None:
    """Where the reply ends: before the earliest ``stop`` string or after the earliest
    ``end_after`` string, whichever comes first; None when neither occurs."""
    cuts = [text.find(s) for s in stop if s in text]
    cuts += [text.find(s) + len(s) for s in end_after if s in text]
    return min(cuts) if cuts else None


def text_or_unknown(prompt: str, cached_reply: str) -> str:
    """The text behind a session's tokens after a reply: known only when the reply's tokens
    decode to a clean string (and the prompt's text was known)."""
    return prompt + cached_reply if prompt and "\ufffd" not in cached_reply else ""


def affordable_tokens(seconds: float, per_token: float | None) -> int:
    """Prompt tokens for the next batch when ``seconds`` are left before a deadline: what fits in
    half of them at ``per_token`` seconds a token, at most ``DEADLINE_BATCH`` (before any
    measurement, a first measuring batch of ``FIRST_BATCH``); 0 when not even one token fits."""
    if seconds <= 0:
        return 0
    if per_token is None:
        return FIRST_BATCH
    if per_token > seconds:
        return 0
    return min(DEADLINE_BATCH, max(1, int(seconds / (SAFETY * max(per_token, 1e-9)))))
