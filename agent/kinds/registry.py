"""The question kinds, in the order the rules try them, and the dispatch over them.

:func:`classify` names a question's kind, :func:`rule_answer` decides a spelling question for a
keyword, :func:`read` gives the planner's feature of one of its own questions. All three loop
over :func:`kinds`: first each kind's raw parser on the question as written (our own Agent Alpha
template), then, on the cleaned question (``rules.text.prep``), each kind's tolerant parser; the
first that recognises the WHOLE question wins. The order matters where shapes overlap: the
handshake comes before ONE_OF, so 'Is it "Agent Alpha"?' is the handshake and not a one-item
list; ONE_OF comes late as its patterns are the loosest; SEMANTIC, the catch-all, is last.
The letters family and WORD_COUNT / LENGTH share only "does the keyword contain a space",
which both read as the same WORD_COUNT rule. The planner weighs its kinds' questions in this
order too (the first of equally informative questions wins).

A new kind is one module and one line in ``_KINDS``; a test adds one for its own duration with
:func:`extended` (it goes after the listed kinds, before SEMANTIC).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from agent.kinds.alphabetical import ALPHABETICAL
from agent.kinds.base import CandidateIndex, Feature, QuestionKind, Rule
from agent.kinds.contains_letter import CONTAINS_LETTER
from agent.kinds.first_letter import FIRST_LETTER
from agent.kinds.handshake import HANDSHAKE
from agent.kinds.last_letter import LAST_LETTER
from agent.kinds.length import LENGTH
from agent.kinds.letter_range import LETTER_RANGE
from agent.kinds.one_of import ONE_OF
from agent.kinds.semantic import SEMANTIC
from agent.kinds.word_count import WORD_COUNT
from agent.rules.text import prep

_KINDS: tuple[QuestionKind[Any], ...] = (
    HANDSHAKE,
    ALPHABETICAL,
    FIRST_LETTER,
    LETTER_RANGE,
    LAST_LETTER,
    CONTAINS_LETTER,
    WORD_COUNT,
    LENGTH,
    ONE_OF,
    SEMANTIC,
)
_EXTRA: ContextVar[tuple[QuestionKind[Any], ...]] = ContextVar("extra_kinds", default=())


def kinds() -> tuple[QuestionKind[Any], ...]:
    """Every kind, in the rules' order (kinds added by :func:`extended` before SEMANTIC)."""
    extra = _EXTRA.get()
    return (*_KINDS[:-1], *extra, _KINDS[-1]) if extra else _KINDS


@contextmanager
def extended(*added: QuestionKind[Any]) -> Iterator[None]:
    """The registry with ``added`` kinds, for the duration of the block (tests)."""
    token = _EXTRA.set((*_EXTRA.get(), *added))
    try:
        yield
    finally:
        _EXTRA.reset(token)


def classify(question: str) -> QuestionKind[Any]:
    """The kind of ``question``; SEMANTIC when no spelling rule decides it."""
    rule = _parse(question)
    return rule[0] if rule else SEMANTIC


def rule_answer(question: str, keyword: str, alts: Sequence[str] = ()) -> bool | None:
    """Exact yes/no for spelling-decidable questions about ``keyword``; None if semantic.

    ``alts`` (optional alternative names of the keyword) only widen ONE_OF matches.
    """
    rule = _parse(question)
    if rule is None:
        return None
    kind, pred = rule
    return kind.rule_answer(pred, keyword, alts)


def read(question: str, index: CandidateIndex) -> Feature | None:
    """The feature of one of the planner's own questions (any kind's exact parser), else None."""
    for kind in kinds():
        feature = kind.read(question, index)
        if feature is not None:
            return feature  # type: ignore[no-any-return]
    return None


def _parse(question: str) -> Rule | None:
    """The rule deciding ``question``, or None when it is semantic (or not a string)."""
    if not isinstance(question, str) or not question.strip():
        return None
    found = kinds()
    for kind in found:
        pred = kind.parse_raw(question)
        if pred is not None:
            return kind, pred
    q = prep(question)
    if not q:
        return None
    for kind in found:
        rule = kind.parse(q)
        if rule is not None:
            return rule
    return None
