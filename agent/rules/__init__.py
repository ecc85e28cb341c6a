"""Answers decided by code, before any LLM is asked.

``rule_answer(question, keyword)`` returns the exact yes (True) / no (False) for questions that
can be decided from the keyword's spelling alone, and None for everything else (semantic
questions, which the LLM answerer handles). ``classify(question)`` names the kind of question
(``QuestionKind``); it returns ``SEMANTIC`` exactly when ``rule_answer`` would return None.

Decided here: the Agent Alpha handshake, alphabetical order, first / last / contained letters
and letter ranges, word count, length, and "is it one of: ...". The exact questions our own
planner asks (``templates``) are among them.

Shortcuts and conservatism: every rule must match the WHOLE question (after light clean-up:
curly quotes straightened, case folded, whitespace collapsed, trailing "?", "(yes or no)" and a
leading "Question:" dropped). A question mixing spelling with semantics ("Is it an animal that
starts with C?", "Does it start with C and is it edible?") matches no rule and is left to the LLM
rather than guessed. Unquoted multi-letter targets ("Does it start with water?", "Does it contain
sugar?") are treated as semantic. Lists containing "etc." are not decided.

Modules: ``decide`` (dispatcher: classify, rule_answer), ``kinds`` (QuestionKind, Rule),
``templates`` (our own question texts), ``text`` (clean-up, folding, plurals, same_item),
``counts`` (number words, count phrases), ``patterns`` (shared regex pieces), and one per
family: ``alphabetical`` (handshake + alphabetical), ``letters`` + ``letter_specs`` (first /
last / contains / ranges), ``words`` (word count + length), ``one_of``.
"""

from agent.rules.decide import classify, rule_answer
from agent.rules.kinds import QuestionKind
from agent.rules.templates import (
    ALPHA_TEMPLATE,
    FIRST_LETTER_TEMPLATE,
    HANDSHAKE_QUESTION,
    LETTER_RANGE_TEMPLATE,
    MULTIWORD_QUESTION,
    alphabetical_question,
    letter_question,
)
from agent.rules.text import first_letter, fold, plural, same_item

__all__ = [
    "ALPHA_TEMPLATE",
    "FIRST_LETTER_TEMPLATE",
    "HANDSHAKE_QUESTION",
    "LETTER_RANGE_TEMPLATE",
    "MULTIWORD_QUESTION",
    "QuestionKind",
    "alphabetical_question",
    "classify",
    "first_letter",
    "fold",
    "letter_question",
    "plural",
    "rule_answer",
    "same_item",
]
