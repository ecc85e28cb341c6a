"""The contract between the role policies and a language model backend.

A backend keeps one *session* per name (a seat's chat: its token history stays in the KV cache
between calls) and offers two operations on a full chat: the probability that the next reply
starts with "yes", from one forward pass, and a bounded generation. Policies always pass the whole
chat; the backend decides how much of it is already evaluated. :mod:`agent.model.llama_backend`
is the real implementation; unit tests use one strict scripted fake (``tests/fakes.py``).

:class:`BranchingBackend` adds one operation for labelling (not for playing): P(yes) of many chats
that differ only in one slot of the last message, the text before the slot evaluated once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
class CallStats:
    """Token accounting of one backend call.

    ``evaluated_tokens`` counts every token the model ran a forward pass over (prompt suffix and
    generated tokens); ``reused_tokens`` is the prompt prefix found already in the KV cache.
    """

    session: str
    kind: Literal["yes_probability", "yes_probabilities", "generate"]
    prompt_tokens: int
    reused_tokens: int
    evaluated_tokens: int
    generated_tokens: int
    seconds: float


class ChatBackend(Protocol):
    """What a role policy needs from a language model."""

    def yes_probability(self, session: str, messages: Sequence[ChatMessage]) -> float:
        """P(the assistant's reply to ``messages`` starts with yes), normalised against no."""
        ...

    def generate(
        self,
        session: str,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        temperature: float = 0.0,
        seed: int = 0,
        stop: Sequence[str] = (),
        end_after: Sequence[str] = (),
    ) -> str:
        """The assistant's reply to ``messages``: at most ``max_tokens`` tokens, ending at the end
        of the turn, before the first ``stop`` string or after the first ``end_after`` string."""
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
