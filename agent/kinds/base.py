"""The contract of a question kind: everything the agent knows about one kind of question.

A :class:`QuestionKind` owns, for its questions: the template text the planner asks (where it
asks any), a tolerant parser (:meth:`QuestionKind.parse`: any paraphrase, after ``text.prep``'s
clean-up, to a :data:`Rule` deciding it for any keyword), an exact parser
(:meth:`QuestionKind.read`: the planner's own template to a feature it computes per candidate),
the rule answer for a keyword, the planner's p(yes) over the candidate index, p(yes) for a
keyword outside the lexicon, where the planner's belief keeps the evidence (:class:`Evidence`),
how a simulated partner's noise applies to it (:data:`PartnerReading`), and whether it is
natural to ask a person.

The kinds are listed, in the order the rules try them, in :mod:`agent.kinds.registry`.

Shortcut: the candidate index is seen through :class:`CandidateIndex`, a read-only protocol of
the arrays :class:`agent.planner.index.PlannerIndex` precomputes (this layer sits below the
planner and cannot import it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from typing import Any, Generic, Literal, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
# keyword -> the exact yes (True) / no (False) answer
Pred = Callable[[str], bool]
# how a simulated partner's noise applies to a kind (``llm20q.eval.partners.Profile``)
PartnerReading = Literal["handshake", "alphabetical", "spelling", "bank"]


class AnswerTable(Protocol):
    """The knowledge base's answer table, as a kind reads it."""

    @property
    def question_ids(self) -> Mapping[str, int]: ...

    def answer_probs(self, index: int) -> npt.NDArray[Any]: ...


class CandidateIndex(Protocol):
    """What the planner precomputes over the candidates (``PlannerIndex``), read-only."""

    @property
    def n(self) -> int: ...
    @property
    def candidates(self) -> Sequence[str]: ...
    @property
    def prior(self) -> F64: ...
    @property
    def kb(self) -> AnswerTable: ...
    @property
    def first_code(self) -> npt.NDArray[Any]: ...
    @property
    def multiword(self) -> npt.NDArray[np.bool_]: ...
    @property
    def prior_multiword(self) -> float: ...
    @property
    def v_strings(self) -> list[str]: ...
    @property
    def v_owner(self) -> I64: ...
    @property
    def v_weight(self) -> F64: ...
    @property
    def q_prior_mean(self) -> F64: ...


class Evidence(Enum):
    """Where the planner's belief (``agent.planner.belief``) keeps a kind's answers."""

    NONE = "none"  # no evidence about the keyword (the handshake; kinds the planner never asks)
    ORDER = "order"  # alphabetical answers: each candidate's spellings, the protocol's bounds
    TABLE = "table"  # bank answers: table noise; an outside keyword answers as the average one
    POSITION = "position"  # spelling noise; an outside keyword answers as its neighbour does
    SHAPE = "shape"  # spelling noise; an outside keyword answers with ``outside_yes``


FeatureT = TypeVar("FeatureT")


class Feature(Protocol):
    """One of the planner's own questions as its kind reads it (a frozen dataclass)."""

    @property
    def kind(self) -> QuestionKind[Any]: ...


class QuestionKind(Generic[FeatureT]):
    """One kind of question; subclasses override what applies to them (see the module)."""

    name: str = ""
    natural_to_ask: bool = True  # would a person take this question well?
    evidence: Evidence = Evidence.NONE
    partner: PartnerReading = "spelling"
    template: str | None = None  # the text the planner asks (a format string), if it asks any

    def __repr__(self) -> str:
        return f"<kind {self.name}>"

    # ------------------------------------------------------------------ rules

    def parse_raw(self, question: str) -> Pred | None:
        """The rule for ``question`` as written (before clean-up), or None."""
        del question
        return None

    def parse(self, q: str) -> Rule | None:
        """The rule for the cleaned question ``q`` (``text.prep``), or None. A kind may name a
        sibling kind in its rule (one parser reads a family of kinds)."""
        del q
        return None

    def rule_answer(self, pred: Pred, keyword: str, alts: Sequence[str]) -> bool:
        """The rule's answer for ``keyword`` (``alts``: its other names, if any)."""
        del alts
        return pred(keyword)

    # ------------------------------------------------------------------ planner

    def read(self, question: str, index: CandidateIndex) -> FeatureT | None:
        """The feature of one of the planner's own questions of this kind, else None."""
        del question, index
        return None

    def p_yes(self, feature: FeatureT, index: CandidateIndex) -> F64:
        """p(yes | candidate) for every candidate, before answer noise."""
        raise NotImplementedError(f"{self.name} questions are not computed per candidate")

    def outside_yes(self, feature: FeatureT, index: CandidateIndex) -> float:
        """p(yes) for a keyword outside the lexicon (``Evidence.TABLE`` and ``SHAPE``)."""
        raise NotImplementedError(f"{self.name} questions have no outside answer")

    def order_word(self, feature: FeatureT) -> str | None:
        """For an ``Evidence.ORDER`` feature, the word the keyword is compared with."""
        del feature
        return None

    def best_question(
        self, index: CandidateIndex, idx: I64, w: F64, eps: float, asked: set[str]
    ) -> tuple[float, str] | None:
        """The most informative question of this kind not in ``asked`` (normalised texts) over
        candidates ``idx`` with weights ``w`` and answer noise ``eps``: (bits, text)."""
        del index, idx, w, eps, asked
        return None

    def endgame_options(
        self, index: CandidateIndex, idx: I64, w: F64, eps: float, guesses_left: int,
        asked: set[str],
    ) -> list[tuple[float, str]]:  # fmt: skip
        """(value, text) of this kind's questions for the end game: the expected mass of the
        ``guesses_left`` most probable candidates after the answer."""
        del index, idx, w, eps, guesses_left, asked
        return []


# what a tolerant parser returns: the question's kind and its predicate
Rule = tuple[QuestionKind[Any], Pred]


# --------------------------------------------------------------------------- helpers


def exact_regex(template: str, **groups: str) -> re.Pattern[str]:
    """``template`` verbatim, each ``{name}`` a group ``groups[name]`` matching anything."""
    pattern = re.escape(template)
    for name, group in groups.items():
        pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{group}>.*)")
    return re.compile(f"^{pattern}$", re.DOTALL)


def tolerant_regex(template: str, **groups: str) -> re.Pattern[str]:
    """``template`` in any case, with any whitespace between its words and around it, and its
    trailing "?" optional; each ``{name}`` a group ``groups[name]`` matching anything."""
    body = template.strip().removesuffix("?")
    pattern = r"\s+".join(re.escape(word) for word in body.split())
    for name, group in groups.items():
        pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{group}>.*)")
    return re.compile(rf"^\s*{pattern}\s*\??\s*$", re.IGNORECASE | re.DOTALL)


def binary_entropy(p: F64 | float) -> F64:
    """Entropy in bits of a yes/no answer with P(yes) = ``p`` (elementwise)."""
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-12, 1.0 - 1e-12)
    result: F64 = -(q * np.log2(q) + (1.0 - q) * np.log2(1.0 - q))
    return result


def top_mass(values: F64, r: int) -> float:
    """Sum of the ``r`` largest entries of ``values``."""
    if r >= len(values):
        return float(values.sum())
    return float(np.partition(values, len(values) - r)[len(values) - r :].sum())
