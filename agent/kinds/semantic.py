"""SEMANTIC: every question no spelling rule decides ("Is it an animal?"): the catch-all, last.

No rule answers it (the table or the LLM does). The planner asks the knowledge base's bank
questions: :class:`TableFeature` is a row of the answer table, p(yes | candidate) read from it,
and a keyword outside the lexicon answers as the prior's average candidate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agent.kinds.base import F64, CandidateIndex, Evidence, QuestionKind


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
