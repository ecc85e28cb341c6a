"""Bayesian planner for the questioner and the guesser: numpy only, no model.

The planner keeps a posterior over the knowledge base's candidates (``agent.knowledge.store``)
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

- The prior is the knowledge base's prior mixed with a uniform one (``uniform_mix``): frequent words
  lose a bit, while every candidate stays within about log2(n) + 2 bits, so Alpha bisection finds
  any listed keyword within 20 rounds.
- Spelling variants: the keyword may be a judge-equivalent spelling of a candidate at another
  alphabetical position ("aprons" for "apron", "barcode" for "bar code", "first aid kit" for
  "first-aid kit", "tool box" for "toolbox"). Each candidate therefore owns a few variant strings
  with small weights, and its likelihood for the alphabetical answers is the weighted sum over
  its spellings of each spelling's likelihood (one spelling for the whole game). Only alphabetical
  questions use the variants; letter and word-count questions use the candidate's own spelling.
- A "yes" to the handshake is trusted: an LLM answerer that says yes by chance makes the planner
  bisect on its unreliable answers until the outside-the-lexicon hand-over.
- The table is read from the knowledge base's CSR arrays (``KnowledgeBase._indptr`` and
  friends) and turned candidate-major once, so a move only gathers the top-K candidates' rows.
- Questions the planner cannot parse (the LLM fallback's free text, the handshake) carry no
  evidence. Every guess in the rounds is taken as wrong (a right guess ends the game).
- Table questions with p = 0.5 for every candidate (unlabelled property questions) have zero gain
  and are never chosen.
- The posterior is cached and extended when the rounds extend the cached ones; anything else
  (a resync, a new game) recomputes it from scratch.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

import numpy as np
import numpy.typing as npt

from agent.game import Round
from agent.knowledge.store import KnowledgeBase, judge_normalize, judge_variants
from agent.output_rules import clean_guess, normalise
from agent.rules import ALPHA_TEMPLATE, HANDSHAKE_QUESTION, QuestionKind, classify

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

FIRST_LETTER_TEMPLATE = 'Does the keyword start with the letter "{letter}"?'
LETTER_RANGE_TEMPLATE = (
    'Does the keyword start with a letter between "{low}" and "{high}" (inclusive)?'
)
MULTIWORD_QUESTION = "Is the keyword made of more than one word?"

LETTERS = "abcdefghijklmnopqrstuvwxyz"

# Prior weight of each kind of spelling variant of a candidate (its own spelling gets the rest).
VARIANT_WEIGHTS = {"plural": 0.1, "singular": 0.05, "joined": 0.1, "spaced": 0.3, "split": 0.1}


def _template_regex(template: str, *names: str) -> re.Pattern[str]:
    pattern = re.escape(template)
    for name in names:
        pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{name}>.*)")
    return re.compile(f"^{pattern}$", re.DOTALL)


_ALPHA_RE = _template_regex(ALPHA_TEMPLATE, "word")
_FIRST_RE = _template_regex(FIRST_LETTER_TEMPLATE, "letter")
_RANGE_RE = _template_regex(LETTER_RANGE_TEMPLATE, "low", "high")


class Mode(str, Enum):
    ALPHA = "alpha"
    BAYES = "bayes"


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


# --------------------------------------------------------------------------- question features


@dataclass(frozen=True)
class TableFeature:
    index: int


@dataclass(frozen=True)
class AlphaFeature:
    word: str  # yes iff keyword.lower() < word


@dataclass(frozen=True)
class LetterFeature:
    low: str  # yes iff low <= first letter <= high
    high: str


@dataclass(frozen=True)
class MultiWordFeature:
    pass


Feature = TableFeature | AlphaFeature | LetterFeature | MultiWordFeature


def alpha_question(word: str) -> str:
    return ALPHA_TEMPLATE.format(word=word)


def letter_question(low: str, high: str) -> str:
    if low == high:
        return FIRST_LETTER_TEMPLATE.format(letter=low)
    return LETTER_RANGE_TEMPLATE.format(low=low, high=high)


def shortest_separator(lower: str, upper: str) -> str:
    """The shortest prefix of ``upper`` that sorts after ``lower`` (``lower < upper``): asking
    whether the keyword precedes it splits the sorted candidates exactly where ``upper`` would,
    and the question shows a word stem rather than a whole, possibly odd, lexicon entry."""
    for end in range(1, len(upper) + 1):
        prefix = upper[:end]
        if prefix > lower and prefix[-1].isalnum():
            return prefix
    return upper


def first_letter(text: str) -> str:
    """The first letter as ``agent.rules`` sees it: folded (lowercase, no accents), after
    stripping leading punctuation and spaces; "" when there is none."""
    if text and text[0].isascii() and text[0].isalnum():
        return text[0].lower()
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c)
    )
    core = re.sub(r"^[\W_]+|[\W_]+$", "", folded)
    return core[:1]


# --------------------------------------------------------------------------- the shared index


def _plural(word: str) -> str:
    return word + "es" if word.endswith(("s", "x", "z", "ch", "sh")) else word + "s"


def spelling_variants(text: str, singles: frozenset[str]) -> list[tuple[str, str]]:
    """(variant, kind) pairs: other spellings the keyword could have when the judge would accept
    ``text`` for it. ``singles`` are the lexicon's one-word entries (for splitting compounds)."""
    out: list[tuple[str, str]] = [(_plural(text), "plural")]
    if text.endswith("s") and not text.endswith("ss") and len(text) >= 4:
        out.append((text[:-1], "singular"))
        if text.endswith("es") and len(text) >= 5:
            out.append((text[:-2], "singular"))
    joined = re.sub(r"[\W_]+", "", text)
    if len(joined) >= 2:
        out.append((joined, "joined"))
    spaced = " ".join(re.sub(r"[^\w\s-]+", "", text).replace("-", " ").split())
    if spaced:
        out.append((spaced, "spaced"))
    if text.isalpha() and len(text) >= 6:
        for cut in range(3, len(text) - 2):
            if text[:cut] in singles and text[cut:] in singles:
                out.append((f"{text[:cut]} {text[cut:]}", "split"))
                break
    seen = {text}
    unique = []
    for variant, kind in out:
        if variant not in seen:
            seen.add(variant)
            unique.append((variant, kind))
    return unique


class PlannerIndex:
    """Everything the planner precomputes from a knowledge base (built once per process)."""

    def __init__(self, kb: KnowledgeBase, uniform_mix: float = 0.3) -> None:
        candidates = kb.candidates
        n = len(candidates)
        if n < 2:
            raise ValueError("the planner needs at least two candidates")
        if any(a >= b for a, b in itertools.pairwise(candidates)):
            raise ValueError(f"{kb.folder}: candidates are not sorted in Python string order")
        self.kb = kb
        self.candidates = candidates
        self.n = n
        prior = np.exp(kb.log_prior.astype(np.float64) - float(kb.log_prior.max()))
        prior /= prior.sum()
        prior = (1.0 - uniform_mix) * prior + uniform_mix / n
        self.prior: F64 = prior
        self.log_prior: F64 = np.log(prior)

        # lexical features
        self.first_code = np.array(
            [ord(first_letter(c) or "\0") for c in candidates], dtype=np.int32
        )
        self.multiword = np.array([len(c.split()) > 1 for c in candidates], dtype=bool)
        self.prior_multiword = float(prior[self.multiword].sum())

        # spelling variants for alphabetical questions: one sorted list of (string, owner, weight)
        singles = frozenset(c for c in candidates if " " not in c and "-" not in c)
        strings: list[str] = list(candidates)
        owners: list[int] = list(range(n))
        weights: list[float] = [1.0] * n
        for i, text in enumerate(candidates):
            total = 0.0
            for variant, kind in spelling_variants(text, singles):
                strings.append(variant)
                owners.append(i)
                weights.append(VARIANT_WEIGHTS[kind])
                total += VARIANT_WEIGHTS[kind]
            weights[i] = 1.0 - total
        order = sorted(range(len(strings)), key=strings.__getitem__)
        self.v_strings: list[str] = [strings[k] for k in order]
        self.v_owner = np.array(owners, dtype=np.int64)[order]
        self.v_weight = np.array(weights, dtype=np.float64)[order]
        self.v_main = np.array([k < n for k in order], dtype=bool)  # a candidate's own spelling

        # answer table, candidate-major (CSC) for the per-move information gain
        q_count = len(kb.questions)
        indptr = kb._indptr
        rows = np.repeat(np.arange(q_count, dtype=np.int32), np.diff(indptr))
        cols = kb._indices.astype(np.int64)
        order_c = np.argsort(cols, kind="stable")
        self.c_ptr: I64 = np.concatenate(([0], np.cumsum(np.bincount(cols, minlength=n))))
        self.c_q = rows[order_c]
        self.c_p = kb._values[order_c].astype(np.float64) / 255.0
        self.taxonomy = np.array([q.kind == "taxonomy" for q in kb.questions], dtype=bool)
        self.default = kb._default.astype(np.float64)
        self.unknown = kb._unknown.astype(bool)
        c_owner = cols[order_c]
        self.c_base = np.where(
            self.taxonomy[self.c_q] & self.unknown[c_owner], 0.5, self.default[self.c_q]
        )
        self.question_index = {q.text: q.index for q in kb.questions}
        self.questions = [q.text for q in kb.questions]
        unknown_mass = float(prior[self.unknown].sum())
        self.q_prior_mean: F64 = self._base_mean(unknown_mass) + np.bincount(
            self.c_q, weights=prior[c_owner] * (self.c_p - self.c_base), minlength=q_count
        )
        # judge-normalised spelling -> candidates, to rule out the variants of a wrong guess
        self.judge_table: dict[str, list[int]] = {}
        for i, text in enumerate(candidates):
            self.judge_table.setdefault(judge_normalize(text), []).append(i)

    def _base_mean(self, unknown_mass: float) -> F64:
        tax_unknown = self.taxonomy * unknown_mass
        return self.default * (1.0 - tax_unknown) + 0.5 * tax_unknown

    def judge_matches(self, guess: str) -> list[int]:
        """Candidates the judge would accept ``guess`` for (so a wrong guess rules them out)."""
        found: list[int] = []
        for key in judge_variants(guess):
            found.extend(self.judge_table.get(key, ()))
        return found

    # ------------------------------------------------------------------ features

    def parse(self, question: str) -> Feature | None:
        """The feature a question asks about, when the planner can compute it per candidate."""
        index = self.question_index.get(question)
        if index is not None:
            return TableFeature(index)
        m = _ALPHA_RE.match(question)
        if m:
            return AlphaFeature(m["word"].lower())
        m = _FIRST_RE.match(question)
        if m and len(m["letter"]) == 1:
            return LetterFeature(m["letter"].lower(), m["letter"].lower())
        m = _RANGE_RE.match(question)
        if m and len(m["low"]) == 1 and len(m["high"]) == 1:
            low, high = sorted((m["low"].lower(), m["high"].lower()))
            return LetterFeature(low, high)
        if question == MULTIWORD_QUESTION:
            return MultiWordFeature()
        return None

    def p_yes(self, feature: Feature) -> F64:
        """p(yes | candidate) for every candidate, before answer noise."""
        if isinstance(feature, TableFeature):
            return self.kb.answer_probs(feature.index).astype(np.float64)
        if isinstance(feature, AlphaFeature):  # the spellings' weight before the word
            below = bisect.bisect_left(self.v_strings, feature.word)
            weights = np.bincount(
                self.v_owner[:below], weights=self.v_weight[:below], minlength=self.n
            )
            return np.asarray(weights, dtype=np.float64)
        if isinstance(feature, LetterFeature):
            code = self.first_code
            return ((code >= ord(feature.low)) & (code <= ord(feature.high))).astype(np.float64)
        return self.multiword.astype(np.float64)

    def outside_yes(self, feature: TableFeature | MultiWordFeature) -> float:
        """p(yes) for a keyword outside the lexicon: the prior's average candidate."""
        if isinstance(feature, TableFeature):
            return float(self.q_prior_mean[feature.index])
        return self.prior_multiword

    def guess_text(self, index: int, wrong: Sequence[str]) -> str | None:
        """A guess for candidate ``index`` that survives ``clean_guess`` unchanged and that the
        judge reads as the candidate; None when there is none."""
        text = self.candidates[index]
        cleaned = re.sub(r"[.!?;:,()]", "", text)
        cleaned = " ".join(cleaned.split())
        cleaned = re.sub(r"^(an?) ", r"\1-", cleaned)  # clean_guess would drop a leading article
        if not cleaned or judge_normalize(cleaned) != judge_normalize(text):
            return None
        return cleaned if clean_guess(cleaned, wrong) == cleaned else None


# --------------------------------------------------------------------------- the posterior


def _entropy(p: F64 | float) -> F64:
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-12, 1.0 - 1e-12)
    result: F64 = -(q * np.log2(q) + (1.0 - q) * np.log2(1.0 - q))
    return result


@dataclass
class Posterior:
    """Log-likelihoods of the evidence so far, per candidate, per spelling variant and for
    "outside the lexicon"."""

    mode: Mode
    semantic: F64  # per candidate: table and word-count answers
    position: F64  # per candidate: first-letter answers
    spelling: F64  # per spelling variant (PlannerIndex.v_*): alphabetical answers
    excluded: npt.NDArray[np.bool_]  # candidates a wrong guess ruled out
    log_outside: float = 0.0  # outside keywords: table and word-count answers
    alphabetical: int = 0  # alphabetical answers in ``spelling``
    evidence: list[tuple[str, str]] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)
    _spelled: F64 | None = None  # cache of the per-candidate sum over its variants

    @classmethod
    def empty(cls, mode: Mode, n: int, variants: int) -> Posterior:
        return cls(
            mode=mode,
            semantic=np.zeros(n),
            position=np.zeros(n),
            spelling=np.zeros(variants),
            excluded=np.zeros(n, dtype=bool),
        )


def mode_of(rounds: Sequence[Round], handshake: bool = True) -> Mode | None:
    """ALPHA or BAYES from round 1; None while the handshake is still unanswered."""
    if not handshake:
        return Mode.BAYES
    if not rounds:
        return None
    first = rounds[0]
    if classify(first.question) is not QuestionKind.HANDSHAKE:
        return Mode.BAYES
    if first.answer is None:
        return None
    return Mode.ALPHA if first.answer == "yes" else Mode.BAYES


def _logsumexp(values: F64) -> float:
    top = float(values.max())
    if not np.isfinite(top):
        return top
    return top + float(np.log(np.exp(values - top).sum()))


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
        matches = self.index.judge_matches(guess)
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
        log_in = _logsumexp(self._log_posterior(post)) + float(np.log1p(-prior_out))
        shadow = self.index.log_prior + post.position + self._spelled(post)
        log_out = _logsumexp(shadow) + post.log_outside + float(np.log(prior_out))
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
            text = alpha_question(word)
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
            _entropy(eps + scale * index.default) * (1.0 - tax_unknown)
            + _entropy(eps + scale * 0.5) * tax_unknown
            + np.bincount(
                q,
                weights=ww * (_entropy(eps + scale * p) - _entropy(eps + scale * base)),
                minlength=q_count,
            )
        )
        gains: F64 = _entropy(p_yes) - cond
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
        floor = float(_entropy(eps))
        codes = self.index.first_code[idx] - ord("a")
        inside = (codes >= 0) & (codes < 26)
        hist = np.bincount(codes[inside], weights=w[inside], minlength=26)
        cum = np.concatenate(([0.0], np.cumsum(hist)))
        lo, hi = np.triu_indices(26)
        letter_gain = _entropy(eps + (1 - 2 * eps) * (cum[hi + 1] - cum[lo])) - floor
        for k in np.argsort(-letter_gain)[:64].tolist():
            text = letter_question(LETTERS[lo[k]], LETTERS[hi[k]])
            if normalise(text) not in asked:
                options.append((float(letter_gain[k]), text))
                break
        multi = float(w[self.index.multiword[idx]].sum())
        if normalise(MULTIWORD_QUESTION) not in asked:
            gain = float(_entropy(eps + (1 - 2 * eps) * multi)) - floor
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
