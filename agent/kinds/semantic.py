"""SEMANTIC: every question no spelling rule decides ("Is it an animal?"): the catch-all, last.

No rule answers it (the table or the LLM does). The planner asks the knowledge base's bank
questions: :class:`TableFeature` is a row of the answer table, p(yes | candidate) read from it,
and a keyword outside the lexicon answers as the prior's average candidate.

Naturalness is per question here (:func:`natural_question`): a broad question ("Is it a
device?") or a plain "Is it a kind of tray?" is natural to ask a person or a plain LLM; a
WordNet gloss question ("Is it a kind of strip (artifact consisting of a narrow flat piece
of...)?") is not: small LLMs answer them near chance, and people find them odd. The planner asks
them of an Agent Alpha partner only (which never gets table questions), so in practice of no one.
"Is it a kind of spermatophyte?" has no gloss but is no more natural: the planner's index also
wants the X of a plain "kind of X" question (:func:`kind_of_word`) to be a common word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from agent.kinds.base import F64, CandidateIndex, Evidence, QuestionKind

# "Is it a kind of X (a gloss...)?": a WordNet hyponym question with its disambiguating gloss
_GLOSS = re.compile(r"^Is it a kind of [^(]+\(.+\)\?$", re.DOTALL)
_KIND_OF = re.compile(r"^Is it a kind of ([^(]+)\?$", re.DOTALL)


def natural_question(text: str) -> bool:
    """Whether a table question is natural to ask a person or a plain LLM (no WordNet gloss;
    the planner also wants the X of "a kind of X" to be a common word: :func:`kind_of_word`)."""
    return _GLOSS.match(text) is None


def kind_of_word(text: str) -> str | None:
    """The X of a plain "Is it a kind of X?" question, else None."""
    found = _KIND_OF.match(text)
    return found.group(1).strip().lower() if found else None


@dataclass(frozen=True)
class TableFeature:
    index: int  # the question's row in the knowledge base

    @property
    def kind(self) -> Semantic:
        return SEMANTIC


class Semantic(QuestionKind[TableFeature]):
    name = "semantic"
    evidence = Evidence.TABLE
    partner = "bank"

    def read(self, question: str, index: CandidateIndex) -> TableFeature | None:
        row = index.kb.question_ids.get(question)
        return TableFeature(row) if row is not None else None

    def p_yes(self, feature: TableFeature, index: CandidateIndex) -> F64:
        return index.kb.answer_probs(feature.index).astype(np.float64)

    def outside_yes(self, feature: TableFeature, index: CandidateIndex) -> float:
        return float(index.q_prior_mean[feature.index])


SEMANTIC = Semantic()
