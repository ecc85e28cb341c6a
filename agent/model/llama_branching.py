"""Branching on llama.cpp: P(yes) of many chats that differ only in one slot of the last message.

:class:`LlamaBranchingBackend` is a :class:`agent.model.llama_backend.LlamaBackend` that also
implements :class:`agent.model.protocol.BranchingBackend` (the knowledge labeller's call; the
agent never branches while playing). The chat is rendered once with :data:`SLOT` and split there.
The text before the slot is a session's prompt like any other (so a system prompt and few-shot
turns shared by consecutive calls are evaluated once), and each fill, followed by the rest of
the prompt, is a *branch*: the free sequence ids borrow the session's cells
(``llama_memory_seq_cp`` adds ids to cells of the unified KV cache, it copies nothing), and one
``llama_decode`` evaluates as many branches as there are free ids and batch room, each on its own
sequence, with logits for each branch's last token only. The branches' cells are dropped after
every decode; the session keeps the prefix.

Shortcuts: branches are packed in the order given (no sorting by length); with no free sequence
id (``n_seq_max=1``) they run one at a time on the session's own sequence. A batch of many
branches gives P(yes) within ~1e-2 of one-branch decodes on CPU: ggml's matrix kernels round
differently by batch shape (exact for the same packing).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from agent.model.llama_backend import BackendError, LlamaBackend, yes_share
from agent.model.llama_handles import HandleError
from agent.model.protocol import SLOT, CallStats, ChatMessage


@dataclass(frozen=True)
class BranchPrompt:
    """A chat with a slot, split: the prompt text before the slot, and for each fill the tokens
    from the fill to the end of the prompt (the whitespace before the slot goes with the fill,
    as tokenisers attach it to the next word)."""

    prefix_text: str
    branches: list[list[int]]


def pack_branches(lengths: Sequence[int], width: int, capacity: int) -> list[range]:
    """Consecutive groups of branches, one ``llama_decode`` each: at most ``width`` branches
    and ``capacity`` tokens a group."""
    groups: list[range] = []
    start = tokens = 0
    for i, length in enumerate(lengths):
        if length > capacity:
            raise BackendError(f"a branch of {length} tokens exceeds the {capacity} a decode holds")
        if i > start and (i - start == width or tokens + length > capacity):
            groups.append(range(start, i))
            start, tokens = i, 0
        tokens += length
    if start < len(lengths):
        groups.append(range(start, len(lengths)))
    return groups


class LlamaBranchingBackend(LlamaBackend):
    """A llama.cpp backend that can also evaluate many fills of one prompt slot per decode."""

    def branch_prompt(self, messages: Sequence[ChatMessage], fills: Sequence[str]) -> BranchPrompt:
        """The chat rendered once with the slot, split at it; each fill tokenised with the rest."""
        text = self.render(messages, add_generation_prompt=True)
        if text.count(SLOT) != 1:
            raise BackendError(f"the rendered prompt must hold {SLOT} exactly once")
        head, tail = text.split(SLOT)
        prefix = head.rstrip()
        gap = head[len(prefix) :]
        return BranchPrompt(prefix, [self.tokenize(gap + fill + tail) for fill in fills])

    def branch_lanes(self, session: str) -> list[int]:
        """The sequence ids the branches of ``session`` run on: every free one, else its own."""
        return list(self._free_seq_ids) or [self._session(session).seq_id]

    def plan_branches(
        self, session: str, prefix_tokens: int, lengths: Sequence[int]
    ) -> list[range]:
        """The decodes :meth:`yes_probabilities` makes for branches of these token lengths after
        a prefix of ``prefix_tokens`` tokens in ``session``."""
        room = min(self.settings.n_batch, self.n_ctx - prefix_tokens)
        return pack_branches(lengths, len(self.branch_lanes(session)), room)

    def yes_probabilities(
        self, session: str, messages: Sequence[ChatMessage], fills: Sequence[str]
    ) -> list[float]:
        """:class:`agent.model.protocol.BranchingBackend`: the prompt before the slot is
        evaluated once in ``session``, then the fills in decodes of many branches."""
        if not fills:
            return []
        started = time.perf_counter()
        state = self._session(session)
        prompt = self.branch_prompt(messages, fills)
        tokens = self._prompt_tokens(state, prompt.prefix_text)
        lengths = [len(branch) for branch in prompt.branches]
        if len(tokens) + max(lengths) > self.n_ctx:
            raise BackendError(f"a prompt of {len(tokens) + max(lengths)} tokens exceeds n_ctx")
        groups = self.plan_branches(session, len(tokens), lengths)
        reserve = max(sum(lengths[i] for i in group) for group in groups)
        reused = self._sync(state, tokens, prompt.prefix_text, reserve=reserve)
        lanes = self.branch_lanes(session)[: max(len(group) for group in groups)]
        borrowed = [lane for lane in lanes if lane != state.seq_id]
        for lane in borrowed:
            self.context.share(state.seq_id, lane)
        probabilities = np.empty(len(fills), dtype=np.float64)
        start = len(tokens)
        assert self._batch is not None
        try:
            for group in groups:
                runs = [
                    (prompt.branches[b], start, lane)
                    for b, lane in zip(group, lanes[: len(group)], strict=True)
                ]
                self.context.decode(self._batch.fill_runs(runs))
                ends = np.cumsum([lengths[b] for b in group]) - 1
                probabilities[group.start : group.stop] = self._yes_shares(ends)
                for lane in lanes[: len(group)]:
                    self.context.remove(lane, start, -1)
        except HandleError as error:
            self._forget(state)
            raise BackendError(str(error)) from error
        finally:
            for lane in borrowed:
                self.context.remove(lane)
        branch_tokens = sum(lengths)
        self._record(
            CallStats(
                session=session,
                kind="yes_probabilities",
                prompt_tokens=len(tokens) + branch_tokens,
                reused_tokens=reused,
                evaluated_tokens=len(tokens) - reused + branch_tokens,
                generated_tokens=0,
                seconds=time.perf_counter() - started,
            )
        )
        return [float(p) for p in probabilities]

    def _yes_shares(self, batch_indices: np.ndarray) -> np.ndarray:
        """P(yes) read from the logits of these batch positions of the last decode."""
        ids = [*self.yes_token_ids, *self.no_token_ids]
        rows = np.stack([self.context.logits_at(int(i))[ids] for i in batch_indices])
        split = len(self.yes_token_ids)
        return yes_share(rows[:, :split], rows[:, split:])
