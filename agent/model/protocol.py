"""The contract between the role policies and a language model backend.

A backend keeps one *session* per name (a seat's chat: its token history stays in the KV cache
between calls) and offers two operations on a full chat: the probability that the next reply
starts with "yes", from one forward pass, and a bounded generation. Policies always pass the whole
chat; the backend decides how much of it is already evaluated. A call may carry a deadline (the
move's, set by the seat's clock): the backend then stops generating in time, and does not start
work it cannot finish. :mod:`agent.model.llama_backend`
is the real implementation; unit tests use one strict scripted fake (``tests/fakes.py``).

:class:`BranchingBackend` adds one operation for labelling (not for playing): P(yes) of many chats
that differ only in one slot of the last message, the text before the slot evaluated once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class ChatMessage:
    """One message of a chat, as the GGUF's chat template receives it."""

    role: Role
    content: str

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class GenerateOptions:
    """How one :meth:`ChatBackend.generate` call generates: at most ``max_tokens`` tokens,
    sampled at ``temperature`` from ``seed`` (greedy at 0), ending at the end of the turn, before
    the first ``stop`` string or after the first ``end_after`` string, or when the next token
    would end past ``deadline`` (a ``time.monotonic()`` instant; None: no deadline)."""

    max_tokens: int
    temperature: float = 0.0
    seed: int = 0
    stop: tuple[str, ...] = ()
    end_after: tuple[str, ...] = ()
    deadline: float | None = None

    def until(self, deadline: float | None) -> GenerateOptions:
        """The same options with ``deadline``."""
        return replace(self, deadline=deadline)


@dataclass(frozen=True)
class CallStats:
    """Token accounting of one backend call.

    ``evaluated_tokens`` counts every token the model ran a forward pass over (prompt suffix and
    generated tokens); ``reused_tokens`` is the prompt prefix found already in the KV cache;
    ``generation_seconds`` is the time spent in the token loop (the rest of ``seconds`` is the
    call's fixed cost: the prompt); ``reevaluated_tokens`` counts the prompt tokens the session had
    evaluated before and evaluates again (its history condensed to fit its share of the context,
    its cache evicted, a last token evaluated again for its logits), ``condensed_tokens`` those
    of a call that condensed.
    """

    session: str
    kind: Literal["yes_probability", "yes_probabilities", "generate"]
    prompt_tokens: int
    reused_tokens: int
    evaluated_tokens: int
    generated_tokens: int
    seconds: float
    generation_seconds: float = 0.0
    condensed_tokens: int = 0
    reevaluated_tokens: int = 0


class ChatBackend(Protocol):
    """What a role policy needs from a language model."""

    def yes_probability(
        self, session: str, messages: Sequence[ChatMessage], *, deadline: float | None = None
    ) -> float:
        """P(the assistant's reply to ``messages`` starts with yes), normalised against no.
        Raises :class:`agent.clock.OutOfTime` rather than work past ``deadline``."""
        ...

    def generate(
        self, session: str, messages: Sequence[ChatMessage], options: GenerateOptions
    ) -> str:
        """The assistant's reply to ``messages``, generated as ``options`` say."""
        ...


# Marks where the fills go in :meth:`BranchingBackend.yes_probabilities` (plain ASCII: every
# chat template passes message text through unchanged).
SLOT = "<<SLOT>>"


class BranchingBackend(Protocol):
    """P(yes) of many chats sharing everything before one slot (the knowledge labeller's call)."""

    def yes_probabilities(
        self, session: str, messages: Sequence[ChatMessage], fills: Sequence[str]
    ) -> list[float]:
        """P(yes) of the reply to ``messages`` with :data:`SLOT` (once, in the last message)
        replaced by each fill in turn. The prompt text before the slot is evaluated once (and
        kept in ``session``); each fill costs only its own tokens and the text after the slot."""
        ...
