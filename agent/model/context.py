"""How much of a chat a session keeps: its share of the context and condensing (pure).

Every session (a seat's chat) owns a share of the context. The fair share is ``n_ctx`` divided by
the sessions that hold a KV-cache sequence (one seat on Kaggle gets the whole context, four seats
in self-play a quarter each); a session may also take what the others leave unused
(:func:`demand_share`: every other session keeps the most it has held plus room for a turn, up to
the common level), so in self-play the guessers' growing chats use what the answerers' short ones
leave and 20 rounds fit without condensing. When a chat plus the room for its reply outgrows its
share, the session *condenses* it: it keeps the system prompt and drops the
oldest messages, two at a time (a user turn and the reply, so roles still alternate), until the
chat fills at most ``keep`` of the share. Dropping well below the share at once means the kept
messages (which move to new positions, so the KV cache keeps only the system prompt and evaluates
them again) are paid for once every few rounds rather than on every turn.

The session remembers what it dropped (:class:`Condensed`): while later chats extend the same
history, the same messages stay dropped and the KV cache keeps serving the condensed prefix; a
chat that does not start with the dropped messages (a new game, a resync) starts again in full.
The last message is never dropped; a chat whose system prompt and last message alone outgrow the
share is returned as it is (the backend then makes room by evicting other sessions' caches).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from agent.model.protocol import ChatMessage

TokenCount = Callable[[Sequence[ChatMessage]], int]


@dataclass(frozen=True)
class Condensed:
    """What a session dropped: the chat's first messages (the system prompt and the dropped
    ones) and how many messages after the system prompt they include."""

    head: tuple[ChatMessage, ...] = ()
    dropped: int = 0


def system_length(messages: Sequence[ChatMessage]) -> int:
    """1 when the chat starts with a system prompt (always kept), else 0."""
    return 1 if messages and messages[0].role == "system" else 0


def continued(messages: Sequence[ChatMessage], condensed: Condensed) -> Condensed:
    """``condensed`` when ``messages`` extend the history it was made from, else nothing
    dropped."""
    head = condensed.head
    still = bool(head) and len(messages) > len(head) and tuple(messages[: len(head)]) == head
    return condensed if still else Condensed()


def kept_messages(messages: Sequence[ChatMessage], condensed: Condensed) -> list[ChatMessage]:
    """The chat with ``condensed``'s messages left out."""
    first = system_length(messages)
    return [*messages[:first], *messages[first + condensed.dropped :]]


def condense(
    messages: Sequence[ChatMessage],
    condensed: Condensed,
    count: TokenCount,
    target: int,
) -> tuple[list[ChatMessage], Condensed]:
    """Drop the oldest messages after the system prompt until ``count`` (tokens of the kept chat,
    its reply included) is at most ``target`` or only the last message is left."""
    first = system_length(messages)
    dropped = condensed.dropped
    kept = kept_messages(messages, condensed)
    while len(kept) - first > 1 and count(kept) > target:
        step = 2 if len(kept) - first > 2 else 1
        del kept[first : first + step]
        dropped += step
    return kept, Condensed(tuple(messages[: first + dropped]), dropped) if dropped else Condensed()


def session_share(n_ctx: int, sessions: int) -> int:
    """Tokens one of ``sessions`` sessions may hold so that all of them fit in ``n_ctx``."""
    return n_ctx // max(1, sessions)


def demand_share(n_ctx: int, others: Sequence[int]) -> int:
    """Tokens one session may hold while every other session is granted ``others`` (one grant
    each: the most it has held plus room for its next turn): a max-min fair split of ``n_ctx``.
    A grant below the common level is kept whole, the rest is split equally; with no small
    grant this is :func:`session_share`. Shortcut: the grants are what the others held so far, so
    an idle session that later grows past its grant makes room by eviction (sessions over their
    fair share first, :class:`agent.model.kv_cache.Sessions`)."""
    remaining, count = n_ctx, len(others) + 1
    for grant in sorted(others):
        if grant >= remaining // count:
            break
        remaining -= grant
        count -= 1
    return remaining // count
