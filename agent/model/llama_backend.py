"""llama.cpp backend: one GGUF, one context, one KV-cache sequence per chat session.

The policy layer over :mod:`agent.model.llama_handles` (the thin handles over the C API, the only
module importing ``llama_cpp``), the way llama-cpp-python's ``llama.py`` sits over its
``_internals.py``. We do not use its high-level ``Llama`` class because ``Llama`` keeps a single
sequence: here every session (a seat's chat) owns a llama.cpp sequence id in one unified KV cache,
so switching between seats in self-play keeps every seat's cache hot, with no state copies.

Per call, the chat is rendered with the GGUF's own template and tokenised; the tokens already in
the session's sequence form the longest common prefix, and only the rest is evaluated. When the
new prompt text merely extends the text behind the cached tokens (the usual append-only chat),
only the new suffix is tokenised, so a turn costs exactly its new tokens even if re-tokenising
the whole chat would split an earlier generated reply differently.

:mod:`agent.model.llama_text` (the base class) holds the text side: tokenising, the chat template,
the yes/no token ids. :mod:`agent.model.llama_branching` adds branching (many fills of one prompt
slot) on top.

Each session keeps to its share of the context (:mod:`agent.model.context`: the fair share plus
what the other sessions leave unused): a chat that outgrows it is condensed (the system prompt and
the most recent turns are kept); when the context is still full, other sessions' caches are
evicted, those over their fair share first, then the least recently used. Every call counts the
prompt tokens its session evaluates a second time (``CallStats.reevaluated_tokens``). Message
contents cannot inject the template's control tokens (``<|im_end|>``, ``<|eot_id|>``...): their
text is broken up before tokenising, so only the template delimits turns.

A call may carry a deadline (a ``time.monotonic()`` instant): a prompt batch starts only when
the measured seconds per prompt token say it ends in time (else :class:`agent.clock.OutOfTime`;
what was evaluated stays cached for the next call), and a reply token is decoded only when the
measured seconds per token say it fits, so the reply is cut at the deadline (logged once).

Shortcuts: sampling and stop strings as in :mod:`agent.model.decoding`; speeds are measured over
the process's calls, whatever the prompt length (pessimistically: a slowdown counts at once).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from agent.clock import ModelSkipped, OutOfTime
from agent.events import TIME, note
from agent.model.context import condense, continued, kept_messages
from agent.model.decoding import (
    affordable_tokens,
    first_cut,
    sample_token,
    text_or_unknown,
    yes_share,
)
from agent.model.kv_cache import (
    Rate,
    Session,
    Sessions,
    TokenTotals,
    common_prefix_length,
    reevaluated_count,
)
from agent.model.llama_handles import (
    HandleError,
    LlamaBatch,
    LlamaContext,
    LlamaModel,
    library_version,
    supports_gpu_offload,
)
from agent.model.llama_text import NO_SPELLINGS, YES_SPELLINGS, BackendError, LlamaText
from agent.model.protocol import CallStats, ChatMessage, GenerateOptions
from agent.settings import AgentSettings

log = logging.getLogger(__name__)

__all__ = [
    "NO_SPELLINGS",
    "YES_SPELLINGS",
    "BackendError",
    "LlamaBackend",
    "ModelLoadError",
    "PromptTooLong",
]


class ModelLoadError(BackendError):
    """The GGUF file is missing, unreadable or not a model llama.cpp can load."""


class PromptTooLong(BackendError, ModelSkipped):
    """A prompt that does not fit the context even condensed (its system prompt and last
    message alone are too long): the seat plays the move without the model."""

    def __init__(self, tokens: int, n_ctx: int) -> None:
        ModelSkipped.__init__(
            self, "context-overflow", f"prompt of {tokens} tokens does not fit n_ctx={n_ctx}"
        )


class LlamaBackend(LlamaText):
    """A :class:`agent.model.protocol.ChatBackend` on llama.cpp.

    ``reuse_cache=False`` evaluates every prompt from scratch (for benchmarks only).
    """

    def __init__(
        self, model_path: Path, settings: AgentSettings, *, reuse_cache: bool = True
    ) -> None:
        self.model_path = Path(model_path)
        self.settings = settings
        self.reuse_cache = reuse_cache
        self.totals = TokenTotals()
        self.calls: list[CallStats] = []
        self._model: LlamaModel | None = None
        self._ctx: LlamaContext | None = None
        self._batch: LlamaBatch | None = None
        self.prompt_rate = Rate()  # prompt batches
        self.token_rate = Rate()  # one reply token per decode
        self._load()

    # ------------------------------------------------------------------ loading
    def _load(self) -> None:
        path = self.model_path
        if not path.is_file():
            raise ModelLoadError(f"model file not found: {path}")
        if not os.access(path, os.R_OK):
            raise ModelLoadError(f"model file is not readable: {path}")
        with path.open("rb") as handle:
            if handle.read(4) != b"GGUF":
                raise ModelLoadError(f"not a GGUF file (bad magic): {path}")
        try:
            self._model = LlamaModel(
                path, n_gpu_layers=self.settings.n_gpu_layers, verbose=self.settings.verbose
            )
            self._ctx = LlamaContext(
                self._model,
                n_ctx=self.settings.n_ctx,
                n_batch=self.settings.n_batch,
                n_seq_max=self.settings.n_seq_max,
                n_threads=self.settings.threads,
                flash_attn=self.settings.flash_attn,
            )
        except HandleError as error:
            self.close()
            raise ModelLoadError(f"{error} ({path})") from error
        self._batch = LlamaBatch(self.settings.n_batch)
        self.n_vocab = self._model.n_vocab
        self.n_ctx = self._ctx.n_ctx
        self.sessions = Sessions(self.n_ctx, self.settings.n_seq_max, self._ctx.remove)
        self.read_vocabulary()
        if not self.yes_token_ids or not self.no_token_ids:
            raise ModelLoadError(f"{path}: no single-token spelling of yes/no in the vocabulary")

    def close(self) -> None:
        """Free the batch, the context and the model (also done at garbage collection)."""
        for handle in (self._batch, self._ctx, self._model):
            if handle is not None:
                handle.close()
        self._batch = self._ctx = self._model = None

    # At exit llama_cpp (and even this module's ``sys``) may already be torn down: the check is
    # bound when the class is made.
    def __del__(self, _finalizing: Callable[[], bool] = sys.is_finalizing) -> None:
        if not _finalizing():
            self.close()

    def describe(self) -> dict[str, Any]:
        """What is loaded, for reports."""
        return {
            "model": self.model_path.name,
            "model_bytes": self.model_path.stat().st_size,
            "n_ctx": self.n_ctx,
            "n_vocab": self.n_vocab,
            "n_seq_max": self.settings.n_seq_max,
            "gpu_offload": supports_gpu_offload(),
            "llama_cpp_python": library_version(),
        }

    @property
    def model(self) -> LlamaModel:
        if self._model is None:
            raise BackendError("the backend is closed")
        return self._model

    @property
    def context(self) -> LlamaContext:
        if self._ctx is None:
            raise BackendError("the backend is closed")
        return self._ctx

    # ------------------------------------------------------------------ sessions
    def session_tokens(self, name: str) -> list[int]:
        """The tokens currently cached for a session (empty when unknown)."""
        return self.sessions.tokens(name)

    def context_tokens(self) -> int:
        """Tokens cached over all sessions."""
        return self.sessions.total()

    @property
    def last_call(self) -> CallStats | None:
        return self.calls[-1] if self.calls else None

    # ---------------------------------------------------------------- evaluating
    def _prompt_tokens(self, session: Session, text: str) -> list[int]:
        if self.reuse_cache and session.text and text.startswith(session.text):
            return session.tokens + self.tokenize(text[len(session.text) :], special=True)
        return self.tokenize_prompt(text)

    def _prompt(self, session: Session, messages: Sequence[ChatMessage]) -> tuple[str, list[int]]:
        text = self.render(messages, add_generation_prompt=True)
        return text, self._prompt_tokens(session, text)

    def _fit(
        self, session: Session, messages: Sequence[ChatMessage], reserve: int
    ) -> tuple[str, list[int], list[int], bool]:
        """Prompt text and tokens of the chat as the session keeps it, with ``reserve`` tokens
        for the reply inside the session's share; condenses the history when it outgrows the
        share. The third value is the prompt's tokens before any new condensing (what the turn
        adds to the session's history), the fourth whether it condensed."""
        share = self.sessions.share_for(session)
        condensed = continued(messages, session.condensed)
        text, tokens = self._prompt(session, kept_messages(messages, condensed))
        if len(tokens) + reserve <= share:
            session.condensed = condensed
            return text, tokens, tokens, False
        unchanged = tokens
        target = int(share * self.settings.context_keep)
        kept, condensed = condense(
            messages, condensed, lambda chat: len(self._prompt(session, chat)[1]) + reserve, target
        )
        text, tokens = self._prompt(session, kept)
        if len(tokens) + reserve > self.n_ctx:
            raise PromptTooLong(len(tokens), self.n_ctx)
        log.info(
            "context: condensed a session to %d tokens of its %d-token share (%d messages dropped)",
            len(tokens),
            share,
            condensed.dropped,
        )
        session.condensed = condensed
        return text, tokens, unchanged, True

    def _decode(
        self, session: Session, tokens: Sequence[int], deadline: float | None = None
    ) -> None:
        """Evaluate ``tokens`` after the session's cached ones, a batch at a time. Under a
        deadline a batch holds only what the measured prompt speed says ends in time (the first
        one, before any measurement, a few tokens), and none starts once nothing fits."""
        assert self._batch is not None
        offset = 0
        while offset < len(tokens):
            started = time.monotonic()
            size = self._batch.capacity
            if deadline is not None:
                size = min(size, affordable_tokens(deadline - started, self.prompt_rate.per_token))
                if size < 1:
                    session.text = ""  # the cache holds a prefix of the prompt: kept for next time
                    left = len(tokens) - offset
                    needed = self.prompt_rate.seconds(left)
                    raise OutOfTime("deadline", f"{left} prompt tokens not evaluated", needed)
            chunk = tokens[offset : offset + size]
            try:
                batch = self._batch.fill(chunk, len(session.tokens), session.seq_id)
                self.context.decode(batch)
            except HandleError as error:
                self.sessions.forget(session)
                raise BackendError(str(error)) from error
            session.tokens.extend(chunk)
            offset += len(chunk)
            (self.prompt_rate if len(chunk) > 1 else self.token_rate).add(
                len(chunk), time.monotonic() - started
            )

    def _sync(
        self, session: Session, tokens: list[int], text: str, reserve: int, deadline: float | None
    ) -> int:
        """Make the session's sequence hold ``tokens`` with logits for the last one; returns
        the number of reused tokens."""
        keep = common_prefix_length(session.tokens, tokens) if self.reuse_cache else 0
        keep = min(keep, len(tokens) - 1)  # the last token is evaluated again for its logits
        if keep < len(session.tokens) or not self.reuse_cache:
            self.context.remove(session.seq_id, keep, -1)
        session.tokens = session.tokens[:keep]
        session.text = ""
        self.sessions.make_room(session, len(tokens) - keep + reserve)
        self._decode(session, tokens[keep:], deadline)
        session.text = text
        return keep

    def _logits(self) -> np.ndarray:
        return self.context.last_logits()

    def _record(self, stats: CallStats) -> None:
        self.calls.append(stats)
        self.totals.calls += 1
        self.totals.evaluated_tokens += stats.evaluated_tokens
        self.totals.reused_tokens += stats.reused_tokens
        self.totals.generated_tokens += stats.generated_tokens
        self.totals.condensed_tokens += stats.condensed_tokens
        self.totals.reevaluated_tokens += stats.reevaluated_tokens

    def _prepare(
        self, name: str, messages: Sequence[ChatMessage], reserve: int, deadline: float | None
    ) -> tuple[Session, list[int], int, int, bool]:
        """The session, its prompt tokens (evaluated, logits for the last one), the reused
        prefix, the prompt tokens the session evaluated a second time and whether it condensed
        its history."""
        session = self.sessions.get(name)
        text, tokens, unchanged, condensed = self._fit(session, messages, reserve)
        reused = self._sync(session, tokens, text, reserve, deadline)
        if condensed:
            self.totals.condensed_calls += 1
        again = reevaluated_count(session.history, unchanged, len(tokens) - reused)
        return session, tokens, reused, again, condensed

    # -------------------------------------------------------------- the protocol
    def yes_probability(
        self, session: str, messages: Sequence[ChatMessage], *, deadline: float | None = None
    ) -> float:
        started = time.perf_counter()
        state, tokens, reused, again, condensed = self._prepare(session, messages, 1, deadline)
        state.remember()
        logits = self._logits()
        probability = float(
            yes_share(logits[list(self.yes_token_ids)], logits[list(self.no_token_ids)])
        )
        self._record(
            CallStats(
                session=session,
                kind="yes_probability",
                prompt_tokens=len(tokens),
                reused_tokens=reused,
                evaluated_tokens=len(tokens) - reused,
                generated_tokens=0,
                seconds=time.perf_counter() - started,
                condensed_tokens=again if condensed else 0,
                reevaluated_tokens=again,
            )
        )
        return probability

    # ------------------------------------------------------------------- generating
    def generate(
        self, session: str, messages: Sequence[ChatMessage], options: GenerateOptions
    ) -> str:
        started = time.perf_counter()
        max_tokens, deadline = options.max_tokens, options.deadline
        prepared = self._prepare(session, messages, max_tokens, deadline)
        state, tokens, reused, again, condensed = prepared
        looping = time.perf_counter()
        rng = np.random.default_rng([options.seed, len(tokens)])
        generated: list[int] = []
        reply = ""
        for _ in range(max_tokens):
            token = sample_token(self._logits(), options.temperature, rng)
            if self.model.is_end_of_generation(token):
                break
            candidate = self.detokenize([*generated, token])
            cut = first_cut(candidate, options.stop, options.end_after)
            if cut is not None:
                reply = candidate[:cut]
                break
            generated.append(token)
            reply = candidate
            if len(generated) == max_tokens:
                break
            # Tokens are budgeted from the measured seconds per token: the next one is decoded
            # only when it ends before the deadline.
            if deadline is not None and time.monotonic() + self.token_rate.seconds(1) > deadline:
                note(TIME, "reply-cut", f"after {len(generated)} of {max_tokens} tokens")
                break
            self._decode(state, [token])
        # The cache holds the prompt and every evaluated reply token; the text behind it is only
        # known exactly when those tokens decode to a clean string.
        cached_reply = self.detokenize(state.tokens[len(tokens) :])
        state.text = text_or_unknown(state.text, cached_reply)
        state.remember()
        finished = time.perf_counter()
        self._record(
            CallStats(
                session=session,
                kind="generate",
                prompt_tokens=len(tokens),
                reused_tokens=reused,
                evaluated_tokens=len(state.tokens) - reused,
                generated_tokens=len(generated),
                seconds=finished - started,
                generation_seconds=finished - looping,
                condensed_tokens=again if condensed else 0,
                reevaluated_tokens=again,
            )
        )
        return reply
