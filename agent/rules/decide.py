"""The dispatcher: which rule, if any, decides a question.

``_parse`` first matches our own ``ALPHA_TEMPLATE`` on the raw question (so its word is taken
verbatim), then cleans the question (``text.prep``) and tries each question family in a fixed
order; the first parser that recognises the WHOLE question wins. The order matters where
shapes overlap: the handshake comes before ONE_OF, so 'Is it "Agent Alpha"?' is the handshake
and not a one-item list; ONE_OF comes last as its patterns are the loosest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from agent.rules.alphabetical import parse_alpha_template, parse_alphabetical, parse_handshake
from agent.rules.kinds import QuestionKind, Rule
from agent.rules.letters import parse_letters
from agent.rules.one_of import parse_one_of
from agent.rules.text import prep
from agent.rules.words import parse_length, parse_word_count

_PARSERS: tuple[Callable[[str], Rule | None], ...] = (
    parse_handshake,
    parse_alphabetical,
    parse_word_count,
    parse_length,
    parse_letters,
    parse_one_of,
)


def classify(question: str) -> QuestionKind:
    """The kind of ``question``; SEMANTIC when no spelling rule decides it."""
    rule = _parse(question)
    return rule[0] if rule else QuestionKind.SEMANTIC


def rule_answer(question: str, keyword: str, alts: Sequence[str] = ()) -> bool | None:
    """Exact yes/no for spelling-decidable questions about ``keyword``; None if semantic.

    ``alts`` (optional alternative names of the keyword) only widen ONE_OF matches.
    """
    rule = _parse(question)
    if rule is None:
        return None
    kind, pred = rule
    if kind is QuestionKind.ONE_OF and alts:
        return any(pred(k) for k in (keyword, *alts))
    return pred(keyword)


def _parse(question: str) -> Rule | None:
    """The rule deciding ``question``, or None when it is semantic (or not a string)."""
    if not isinstance(question, str) or not question.strip():
        return None
    rule = parse_alpha_template(question)
    if rule is not None:
        return rule
    q = prep(question)
    if not q:
        return None
    for parser in _PARSERS:
        rule = parser(q)
        if rule is not None:
            return rule
    return None
