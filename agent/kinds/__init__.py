"""Question kinds: one object per kind of question, and the registry that lists them.

Each kind (:class:`agent.kinds.base.QuestionKind`) holds everything the agent knows about its
questions: template text, tolerant and exact parsers, rule answer, the planner's p(yes) per
candidate and outside the lexicon, and whether it is natural to ask a person. The rules
(``classify``, ``rule_answer``), the planner (features, index, belief, questions) and the
workbench's partner simulator loop over :func:`agent.kinds.registry.kinds`.

This layer sits just above ``agent.rules`` (the regex toolbox its parsers are built from) and
below the model and the planner. Modules: ``base`` (the contract), ``registry`` (the ordered
kinds, ``classify``, ``rule_answer``, ``read``, ``extended``), one module per kind.
"""

from agent.kinds.alphabetical import ALPHABETICAL, AlphaFeature
from agent.kinds.base import Evidence, Feature, QuestionKind
from agent.kinds.contains_letter import CONTAINS_LETTER
from agent.kinds.first_letter import FIRST_LETTER, LetterFeature
from agent.kinds.handshake import HANDSHAKE
from agent.kinds.last_letter import LAST_LETTER
from agent.kinds.length import LENGTH
from agent.kinds.letter_range import LETTER_RANGE
from agent.kinds.one_of import ONE_OF
from agent.kinds.registry import classify, extended, kinds, read, rule_answer
from agent.kinds.semantic import SEMANTIC, TableFeature, kind_of_word, natural_question
from agent.kinds.word_count import WORD_COUNT, MultiWordFeature

__all__ = [
    "ALPHABETICAL",
    "CONTAINS_LETTER",
    "FIRST_LETTER",
    "HANDSHAKE",
    "LAST_LETTER",
    "LENGTH",
    "LETTER_RANGE",
    "ONE_OF",
    "SEMANTIC",
    "WORD_COUNT",
    "AlphaFeature",
    "Evidence",
    "Feature",
    "LetterFeature",
    "MultiWordFeature",
    "QuestionKind",
    "TableFeature",
    "classify",
    "extended",
    "kind_of_word",
    "kinds",
    "natural_question",
    "read",
    "rule_answer",
]
