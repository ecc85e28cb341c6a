"""Everything the planner precomputes from a knowledge folder, once per process.

:class:`PlannerIndex` holds the prior (the knowledge base's, mixed with a uniform one), the
per-candidate lexical features (first letter, word count), every candidate's spelling variants in
one sorted list (for alphabetical questions), the answer table turned candidate-major, so a
move only gathers the rows of its top-K candidates, and per table question whether it is natural
to ask a plain partner and how much people differ on it (``question_noise.json``).

Shortcuts: the table is read from the knowledge base's CSR arrays (``KnowledgeBase._indptr`` and
friends) once; the prior mix (``uniform_mix``) keeps every candidate within about log2(n) + 2
bits, so Agent Alpha bisection finds any listed keyword within 20 rounds; a candidate's own
spelling keeps the weight its variants do not take (:data:`agent.planner.features.VARIANT_WEIGHTS`).
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt

from agent.game import judge_normalize
from agent.kinds import Feature, kind_of_word, natural_question, read
from agent.legal import clean_guess
from agent.planner.coined import Coiner
from agent.planner.features import VARIANT_WEIGHTS, spelling_variants
from agent.planner.store import KnowledgeBase
from agent.rules import first_letter

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

# Per broad question, the share of the people's panel's things people differ on (written by
# ``python -m llm20q.eval.question_noise``; ships with the agent package).
QUESTION_NOISE_FILE = Path(__file__).with_name("question_noise.json")
# "Is it a kind of X?" is natural when X is among this many most probable candidates of the
# prior (tree, shrub, clock, hibiscus; not woody plant, subshrub, spermatophyte, causal agent).
COMMON_WORDS = 10_000


def answers_sha256(kb: KnowledgeBase) -> str | None:
    """The sha256 of the table's ``answers.npz`` as its manifest records it."""
    try:
        return str(kb.manifest["files"]["answers.npz"]["sha256"])
    except (KeyError, TypeError):
        return None


def question_noise(kb: KnowledgeBase, path: Path = QUESTION_NOISE_FILE) -> tuple[F64, F64, F64]:
    """Per table question of ``kb``: the panel's share of things people differ on, and (one
    row per question) the panel's yes against this table's confident no, the table's no pairs,
    its no against the table's yes and the table's yes pairs (zeros where the panel is silent,
    the file is missing, or it was fit on another table): with a small LLM's disagreements with
    people added (``table``), then people's alone (``table_people``; the same rows when the file
    has no LLM figures)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    rates: dict[str, float] = record.get("differs", {})
    table: dict[str, list[float]] = {}
    people: dict[str, list[float]] = {}
    if record.get("answers_sha256") and record.get("answers_sha256") == answers_sha256(kb):
        table = record.get("table", {})
        people = record.get("table_people", table)
    texts = [q.text for q in kb.questions]
    spread = np.array([float(rates.get(q, 0.0)) for q in texts], dtype=np.float64)
    zeros = (0.0, 0.0, 0.0, 0.0)
    counts = np.array([table.get(q, zeros) for q in texts], dtype=np.float64)
    people_counts = np.array([people.get(q, zeros) for q in texts], dtype=np.float64)
    return spread, counts.reshape(len(texts), 4), people_counts.reshape(len(texts), 4)


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

        # lexical features (the first letter exactly as the rules see it)
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
        self.questions = [q.text for q in kb.questions]
        # natural to ask a person or a plain LLM (no WordNet gloss), and how much people differ
        self.natural = np.array([self._natural(q) for q in self.questions], dtype=bool)
        self.spread, self.panel_counts, self.people_counts = question_noise(kb)
        unknown_mass = float(prior[self.unknown].sum())
        self.q_prior_mean: F64 = self._base_mean(unknown_mass) + np.bincount(
            self.c_q, weights=prior[c_owner] * (self.c_p - self.c_base), minlength=q_count
        )

    def _natural(self, question: str) -> bool:
        """Natural to ask a plain partner: no gloss, and the X of "a kind of X" a common word."""
        if not natural_question(question):
            return False
        word = kind_of_word(question)
        if word is None:
            return True
        i = self.kb.index_of(word)
        return i is not None and self._prior_rank[i] < COMMON_WORDS

    @cached_property
    def _prior_rank(self) -> I64:
        """Every candidate's rank in the lexicon's prior (0 = the most probable)."""
        ranks = np.empty(self.n, dtype=np.int64)
        ranks[np.argsort(-self.kb.log_prior, kind="stable")] = np.arange(self.n)
        return ranks

    def interval(self, lower: str | None, upper: str | None) -> tuple[int, int]:
        """Positions [start, end) of the spelling variants in [lower, upper) (None: no bound)."""
        start = bisect.bisect_left(self.v_strings, lower or "")
        end = bisect.bisect_left(self.v_strings, upper) if upper else len(self.v_strings)
        return start, end

    @cached_property
    def coiner(self) -> Coiner:
        """Compounds of the lexicon's words for keywords it lacks (built on first use)."""
        log_prior = self.kb.log_prior.astype(np.float64)
        return Coiner(self.candidates, log_prior, frozenset(self.v_strings))

    def _base_mean(self, unknown_mass: float) -> F64:
        tax_unknown = self.taxonomy * unknown_mass
        return self.default * (1.0 - tax_unknown) + 0.5 * tax_unknown

    # ------------------------------------------------------------------ features

    def parse(self, question: str) -> Feature | None:
        """The feature a question asks about, when the planner can compute it per candidate
        (a bank question, or a kind's own template: :func:`agent.kinds.read`)."""
        return read(question, self)

    def p_yes(self, feature: Feature) -> F64:
        """p(yes | candidate) for every candidate, before answer noise."""
        result: F64 = feature.kind.p_yes(feature, self)
        return result

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
