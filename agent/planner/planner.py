"""Bayesian planner for the questioner and the guesser: numpy only, no model.

The planner keeps a posterior over the knowledge base's candidates (``agent.planner.store``)
given the rounds so far, and chooses the next question and the next guess from it.

Modes, decided from the rounds (the seat may resync, so nothing else is trusted):

- ``ALPHA``: round 1 asked ``rules.HANDSHAKE_QUESTION`` and got "yes": the answerer speaks the
  Agent Alpha protocol, so every question is ``rules.ALPHA_TEMPLATE`` ("does the keyword precede
  WORD?") and WORD splits the posterior mass in half. Answers are treated as nearly exact (noise
  ``noise_alpha``, so one contradicting answer cannot eliminate the keyword for good).
- ``BAYES``: any other answerer. Questions come from the bank (table questions, p(yes | candidate,
  question) from the knowledge base) and from lexical questions decided per candidate by code with
  ``agent.rules`` semantics (first letter in a range, more than one word); the next question
  maximises the expected information gain (mutual information of answer and keyword under the
  answer-noise model P(yes) = eps + (1 - 2 eps) p) over the ``top_k`` most probable candidates.

The guess is the most probable candidate that is not a judge-accepted variant of a wrong guess.
An "outside the lexicon" hypothesis (prior ``outside_prior``) gives
:meth:`Planner.outside_probability`; the policy hands over to the LLM when it is high. An outside
keyword sits next to some candidate in alphabetical order (it answers alphabetical and
first-letter questions as that candidate does, and wrong guesses do not rule it out) and answers
the other questions as the prior's average candidate does. So in Alpha mode the hand-over comes
once the candidates consistent with the answers have been guessed.

Shortcuts and approximations:

- The prior mix and the precomputed tables: :mod:`agent.planner.index`.
- Spelling variants: the keyword may be a judge-equivalent spelling of a candidate at another
  alphabetical position ("aprons" for "apron", "barcode" for "bar code", "first aid kit" for
  "first-aid kit", "tool box" for "toolbox"). Each candidate therefore owns a few variant strings
  with small weights, and its likelihood for the alphabetical answers is the weighted sum over
  its spellings of each spelling's likelihood (one spelling for the whole game). Only alphabetical
  questions use the variants; letter and word-count questions use the candidate's own spelling.
- A "yes" to the handshake is trusted (:mod:`agent.planner.posterior`).
- Questions the planner cannot parse (the LLM fallback's free text, the handshake) carry no
  evidence. Every guess in the rounds is taken as wrong (a right guess ends the game).
- Table questions with p = 0.5 for every candidate (unlabelled property questions) have zero gain
  and are never chosen.
- The posterior is cached and extended when the rounds extend the cached ones; anything else
  (a resync, a new game) recomputes it from scratch.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from agent.game import Round
from agent.legal import normalise
from agent.planner.features import (
    AlphaFeature,
    Feature,
    LetterFeature,
    TableFeature,
    shortest_separator,
)
from agent.planner.index import F64, I64, PlannerIndex
from agent.planner.posterior import Mode, Posterior, binary_entropy, logsumexp, mode_of
from agent.rules import (
    HANDSHAKE_QUESTION,
    MULTIWORD_QUESTION,
    alphabetical_question,
    letter_question,
)
from agent.settings import AgentSettings

LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class PlannerConfig:
    """The planner's tunables (``AgentSettings.planner_*`` in the agent)."""

    noise_table: float = 0.1
    noise_lexical: float = 0.2
    noise_alpha: float = 1e-4
    top_k: int = 10_000
    outside_prior: float = 0.1
    uniform_mix: float = 0.3
    handshake: bool = True

    @classmethod
    def from_settings(cls, settings: AgentSettings) -> PlannerConfig:
        return cls(
            noise_table=settings.planner_noise_table,
            noise_lexical=settings.planner_noise_lexical,
            noise_alpha=settings.planner_noise_alpha,
            top_k=settings.planner_top_k,
            outside_prior=settings.planner_outside_prior,
            uniform_mix=settings.planner_uniform_mix,
            handshake=settings.planner_handshake,
        )


class Planner:
    """Questions and guesses from the posterior of one seat's game."""

    def __init__(self, index: PlannerIndex, config: PlannerConfig) -> None:
        self.index = index
        self.config = config
        self._cache: Posterior | None = None
        self._log_vweight = np.log(index.v_weight)

    # ------------------------------------------------------------------ evidence

    def _noise(self, feature: Feature, mode: Mode) -> float:
        if isinstance(feature, TableFeature):
            return self.config.noise_table
        return self.config.noise_alpha if mode is Mode.ALPHA else self.config.noise_lexical

    def _apply_answer(self, post: Posterior, question: str, answer: str) -> None:
        post.evidence.append((question, answer))
        if answer not in ("yes", "no"):
            return
        feature = self.index.parse(question)
        if feature is None:
            return
        eps = self._noise(feature, post.mode)
        yes = answer == "yes"
        if isinstance(feature, AlphaFeature):
            below = bisect.bisect_left(self.index.v_strings, feature.word)
            post.spelling[:below] += np.log1p(-eps) if yes else np.log(eps)
            post.spelling[below:] += np.log(eps) if yes else np.log1p(-eps)
            post.alphabetical += 1
            post._spelled = None
            return
        p = eps + (1.0 - 2.0 * eps) * self.index.p_yes(feature)
        with np.errstate(divide="ignore"):  # eps = 0 makes contradicted candidates impossible
            log_p = np.log(p) if yes else np.log1p(-p)
        if isinstance(feature, LetterFeature):
            post.position += log_p  # an outside keyword sits next to some candidate
        else:
            post.semantic += log_p
            p_out = eps + (1.0 - 2.0 * eps) * self.index.outside_yes(feature)
            with np.errstate(divide="ignore"):
                post.log_outside += float(np.log(p_out) if yes else np.log1p(-p_out))

    def _apply_guess(self, post: Posterior, guess: str) -> None:
        post.guesses.append(guess)
        matches = self.index.kb.judge_matches(guess)
        if matches:
            post.excluded[matches] = True

    def posterior(self, rounds: Sequence[Round]) -> Posterior:
        """The posterior after ``rounds`` (incremental when they extend the cached rounds)."""
        mode = mode_of(rounds, self.config.handshake) or Mode.BAYES
        evidence = [(r.question, r.answer) for r in rounds if r.answer is not None]
        guesses = [r.guess for r in rounds if r.guess is not None]
        post = self._cache
        if (
            post is None
            or post.mode is not mode
            or evidence[: len(post.evidence)] != post.evidence
            or guesses[: len(post.guesses)] != post.guesses
        ):
            post = Posterior.empty(mode, self.index.n, len(self.index.v_strings))
        for question, answer in evidence[len(post.evidence) :]:
            self._apply_answer(post, question, answer)
        for guess in guesses[len(post.guesses) :]:
            self._apply_guess(post, guess)
        self._cache = post
        return post

    def _spelled(self, post: Posterior) -> F64:
        """Per candidate: log of the sum over its spellings of weight x likelihood of the
        alphabetical answers."""
        if post.alphabetical == 0:
            return np.zeros(self.index.n)
        if post._spelled is None:
            top = float(post.spelling.max())
            mass = np.bincount(
                self.index.v_owner,
                weights=self.index.v_weight * np.exp(post.spelling - top),
                minlength=self.index.n,
            )
            with np.errstate(divide="ignore"):
                post._spelled = np.log(mass) + top
        return post._spelled

    def _log_posterior(self, post: Posterior) -> F64:
        """Unnormalised log posterior of every candidate (-inf: ruled out by a wrong guess)."""
        result: F64 = self.index.log_prior + post.semantic + post.position + self._spelled(post)
        result[post.excluded] = -np.inf
        return result

    def outside_probability(self, rounds: Sequence[Round]) -> float:
        """P(the keyword is outside the lexicon | rounds)."""
        post = self.posterior(rounds)
        prior_out = self.config.outside_prior
        if prior_out <= 0:
            return 0.0
        log_in = logsumexp(self._log_posterior(post)) + float(np.log1p(-prior_out))
        shadow = self.index.log_prior + post.position + self._spelled(post)
        log_out = logsumexp(shadow) + post.log_outside + float(np.log(prior_out))
        if not np.isfinite(log_in):
            return 1.0
        return float(1.0 / (1.0 + np.exp(log_in - log_out)))

    # ------------------------------------------------------------------ questions

    def question(self, rounds: Sequence[Round]) -> str | None:
        """The next question, or None when no candidate is left."""
        mode = mode_of(rounds, self.config.handshake)
        asked = {normalise(r.question) for r in rounds}
        if mode is None:
            return HANDSHAKE_QUESTION
        post = self.posterior(rounds)
        logpost = self._log_posterior(post)
        if not np.isfinite(logpost.max()):
            return None
        if mode is Mode.ALPHA:
            return self._alpha_question(post, asked)
        return self._best_question(logpost, asked)

    def _alpha_question(self, post: Posterior, asked: set[str]) -> str | None:
        """The alphabetical split closest to half the posterior mass (each candidate's mass
        spread over its spellings); a candidate's own spelling is preferred as the split word
        when it is nearly as good."""
        index = self.index
        base = index.log_prior + post.semantic + post.position
        base[post.excluded] = -np.inf
        log_mass = base[index.v_owner] + self._log_vweight + post.spelling
        mass = np.exp(log_mass - log_mass.max())
        cum = np.cumsum(mass)
        half = 0.5 * float(cum[-1])
        centre = int(np.searchsorted(cum, half))
        strings = index.v_strings
        best: tuple[float, str] | None = None
        for pos in range(max(1, centre - 4), min(len(strings), centre + 6)):
            start = bisect.bisect_left(strings, strings[pos])  # split between distinct strings
            if start == 0:
                continue
            word = shortest_separator(strings[start - 1], strings[start])
            if "?" in word or "\n" in word:
                continue
            text = alphabetical_question(word)
            if normalise(text) in asked:
                continue
            score = abs(float(cum[start - 1]) - half) / float(cum[-1])
            score += 0.0 if index.v_main[start] else 0.02
            if best is None or score < best[0]:
                best = (score, text)
        return best[1] if best else None

    def _top(self, logpost: F64) -> tuple[I64, F64]:
        """The ``top_k`` most probable candidates and their normalised weights."""
        k = min(self.config.top_k, self.index.n)
        if k < self.index.n:
            idx: I64 = np.argpartition(-logpost, k - 1)[:k].astype(np.int64)
        else:
            idx = np.arange(self.index.n, dtype=np.int64)
        w = np.exp(logpost[idx] - logpost[idx].max())
        w[~np.isfinite(w)] = 0.0
        w /= w.sum()
        return idx, w

    def table_gains(self, idx: I64, w: F64) -> F64:
        """Expected information gain (bits) of every table question over candidates ``idx``."""
        index = self.index
        eps = self.config.noise_table
        scale = 1.0 - 2.0 * eps
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
        p_yes = eps + scale * mean_p
        cond = (
            binary_entropy(eps + scale * index.default) * (1.0 - tax_unknown)
            + binary_entropy(eps + scale * 0.5) * tax_unknown
            + np.bincount(
                q,
                weights=ww * (binary_entropy(eps + scale * p) - binary_entropy(eps + scale * base)),
                minlength=q_count,
            )
        )
        gains: F64 = binary_entropy(p_yes) - cond
        return gains

    def _best_question(self, logpost: F64, asked: set[str]) -> str | None:
        idx, w = self._top(logpost)
        options: list[tuple[float, str]] = []
        gains = self.table_gains(idx, w)
        for qi in np.argsort(-gains)[:64].tolist():
            text = self.index.questions[qi]
            if normalise(text) not in asked:
                options.append((float(gains[qi]), text))
                break
        eps = self.config.noise_lexical
        floor = float(binary_entropy(eps))
        codes = self.index.first_code[idx] - ord("a")
        inside = (codes >= 0) & (codes < 26)
        hist = np.bincount(codes[inside], weights=w[inside], minlength=26)
        cum = np.concatenate(([0.0], np.cumsum(hist)))
        lo, hi = np.triu_indices(26)
        letter_gain = binary_entropy(eps + (1 - 2 * eps) * (cum[hi + 1] - cum[lo])) - floor
        for k in np.argsort(-letter_gain)[:64].tolist():
            text = letter_question(LETTERS[lo[k]], LETTERS[hi[k]])
            if normalise(text) not in asked:
                options.append((float(letter_gain[k]), text))
                break
        multi = float(w[self.index.multiword[idx]].sum())
        if normalise(MULTIWORD_QUESTION) not in asked:
            gain = float(binary_entropy(eps + (1 - 2 * eps) * multi)) - floor
            options.append((gain, MULTIWORD_QUESTION))
        if not options:
            return None
        return max(options, key=lambda option: option[0])[1]

    # ------------------------------------------------------------------ guesses

    def guess(self, rounds: Sequence[Round]) -> str | None:
        """The most probable candidate not ruled out by a wrong guess; None when none is left."""
        post = self.posterior(rounds)
        logpost = self._log_posterior(post)
        wrong = post.guesses
        k = min(64, self.index.n)
        top = np.argpartition(-logpost, k - 1)[:k]
        for i in top[np.argsort(-logpost[top], kind="stable")].tolist():
            if not np.isfinite(logpost[i]):
                break
            text = self.index.guess_text(i, wrong)
            if text is not None:
                return text
        return None

    def ranked(self, rounds: Sequence[Round], count: int = 10) -> list[tuple[str, float]]:
        """The ``count`` most probable candidates with their posterior (for logs and tests)."""
        logpost = self._log_posterior(self.posterior(rounds))
        top = float(logpost.max())
        probs = np.exp(logpost - top)
        probs /= probs.sum()
        order = np.argsort(-logpost)[:count]
        return [(self.index.candidates[i], float(probs[i])) for i in order.tolist()]
