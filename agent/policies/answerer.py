"""The rule-first answerer: rules, then the knowledge table, then the LLM.

Spelling questions (handshake, alphabetical order, letters, word count, "one of") are decided by
:mod:`agent.rules`; a bank question about a keyword that is a lexicon candidate is answered from
the knowledge table when the table is confident (``|p(yes) - 0.5| >= margin``); everything else
goes to the LLM answerer, built on first need (``llm`` is a memoised factory). ``decided_by``
counts where each answer came from.
"""

from __future__ import annotations

from collections.abc import Callable

from agent.game import SeatState
from agent.kinds import rule_answer
from agent.planner.knowledge import SharedKnowledge
from agent.policies.base import AnswererPolicy


class RuleFirstAnswerer:
    """Rules, then the knowledge table, then the LLM."""

    def __init__(
        self,
        knowledge: SharedKnowledge | None,
        llm: Callable[[], AnswererPolicy],
        margin: float = 0.25,
    ) -> None:
        self.knowledge = knowledge
        self.llm = llm
        self.margin = margin
        self.decided_by: dict[str, int] = {"rules": 0, "table": 0, "llm": 0}

    def table_answer(self, question: str, keyword: str) -> bool | None:
        """The table's answer when the question is in the bank, the keyword a candidate and the
        table confident (|p - 0.5| >= margin); else None."""
        kb = self.knowledge.kb if self.knowledge is not None else None
        if kb is None:
            return None
        qi = kb.question_ids.get(question)
        ci = kb.index_of(keyword)
        if qi is None or ci is None:
            return None
        p = float(kb.answer_probs(qi)[ci])
        if abs(p - 0.5) < self.margin:
            return None
        return p >= 0.5

    def decide(self, question: str, keyword: str) -> tuple[str, bool | None]:
        """Who decides (``rules``, ``table`` or ``llm``) and their answer (None for the LLM,
        which is not asked here)."""
        decided = rule_answer(question, keyword)
        if decided is not None:
            return "rules", decided
        decided = self.table_answer(question, keyword)
        return ("table", decided) if decided is not None else ("llm", None)

    def answer(self, state: SeatState) -> str:
        source, decided = self.decide(state.rounds[-1].question, state.keyword)
        self.decided_by[source] += 1
        if decided is None:
            return self.llm().answer(state)
        return "yes" if decided else "no"
