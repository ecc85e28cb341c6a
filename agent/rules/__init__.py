"""The toolbox of answers decided by code, before any LLM is asked.

The parsers here read questions decidable from the keyword's spelling alone; the question kinds
(:mod:`agent.kinds`) are built on them, and ``agent.kinds.rule_answer(question, keyword)`` /
``agent.kinds.classify(question)`` dispatch over the kinds (SEMANTIC: no rule decides it).

Decided here: the Agent Alpha handshake, alphabetical order, first / last / contained letters
and letter ranges, word count, length, and "is it one of: ...". The exact questions our own
planner asks (``templates``) are among them.

Shortcuts and conservatism: every rule must match the WHOLE question (after light clean-up:
curly quotes straightened, case folded, whitespace collapsed, trailing "?", "(yes or no)" and a
leading "Question:" dropped). A question mixing spelling with semantics ("Is it an animal that
starts with C?", "Does it start with C and is it edible?") matches no rule and is left to the LLM
rather than guessed. Unquoted multi-letter targets ("Does it start with water?", "Does it contain
sugar?") are treated as semantic. Lists containing "etc." are not decided.

Modules: ``kinds`` (KindName, Rule),
``templates`` (our own question texts), ``text`` (clean-up, folding, plurals, same_item),
``counts`` (number words, count phrases), ``patterns`` (shared regex pieces), and one per
family: ``alphabetical`` (handshake + alphabetical), ``letters`` + ``letter_specs`` (first /
last / contains / ranges), ``words`` (word count + length), ``one_of``.
"""

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
    "alphabetical_question",
    "first_letter",
    "fold",
    "letter_question",
    "plural",
    "same_item",
]
