"""Keyword knowledge for the planner: candidate lexicon, prior and p(yes | keyword, question).

``agent.knowledge.store`` is the run-time side (numpy and json only); the other modules build the
knowledge folder offline (``python -m agent kb build``) from WordNet 3.0, bigram lists, FreeDict
dictionaries, wordfreq and optionally an LLM. Importing this package imports nothing heavy.
"""

from __future__ import annotations

from agent.knowledge.store import KnowledgeBase, Question

__all__ = ["KnowledgeBase", "Question"]
