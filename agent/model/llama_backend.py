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

:mod:`agent.model.llama_branching` adds branching (many fills of one prompt slot) on top.

Shortcuts: sampling is greedy or plain temperature sampling with a seeded numpy generator (no
top-k/top-p); stop strings are checked on the decoded text; when the context is full the least
recently used other sessions are dropped first, then the oldest turns of the chat itself.
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from agent.model.chat_template import CHATML_TEMPLATE, render_chat
from agent.model.llama_handles import (
    HandleError,
    LlamaBatch,
    LlamaContext,
    LlamaModel,
    library_version,
    supports_gpu_offload,
)
from agent.model.protocol import CallStats, ChatMessage
from agent.settings import AgentSettings

YES_SPELLINGS = ("yes", "Yes", "YES", " yes", " Yes")
NO_SPELLINGS = ("no", "No", "NO", " no", " No")


class BackendError(RuntimeError):
    """llama.cpp refused an operation (load, decode, tokenise)."""


class ModelLoadError(BackendError):
    """The GGUF file is missing, unreadable or not a model llama.cpp can load."""


@dataclass
class _Session:
    seq_id: int
    tokens: list[int] = field(default_factory=list)
    # Prompt text whose tokenisation is exactly ``tokens``; "" when unknown (after a trim).
    text: str = ""


@dataclass
class TokenTotals:
    """Running totals over every call of the backend."""

    calls: int = 0
    evaluated_tokens: int = 0
    reused_tokens: int = 0
    generated_tokens: int = 0


def _common_prefix_length(a: Sequence[int], b: Sequence[int]) -> int:
    n = min(len(a), len(b))
    if n == 0:
        return 0
    left = np.asarray(a[:n], dtype=np.int64)
    right = np.asarray(b[:n], dtype=np.int64)
    mismatch = np.flatnonzero(left != right)
    return int(mismatch[0]) if mismatch.size else n


def yes_share(yes: np.ndarray, no: np.ndarray) -> np.ndarray:
    """Softmax mass of the ``yes`` logits against the ``no`` logits, along the last axis."""
    yes = yes.astype(np.float64)
    no = no.astype(np.float64)
    top = np.maximum(yes.max(axis=-1), no.max(axis=-1))[..., None]
    yes_mass = np.exp(yes - top).sum(axis=-1)
    result: np.ndarray = yes_mass / (yes_mass + np.exp(no - top).sum(axis=-1))
    return result


def _first_cut(text: str, stop: Sequence[str], end_after: Sequence[str]) -> int | None:
    """Where the reply ends: before the earliest ``stop`` string or after the earliest
    ``end_after`` string, whichever comes first; None when neither occurs."""
    cuts = [text.find(s) for s in stop if s in text]
    cuts += [text.find(s) + len(s) for s in end_after if s in text]
    return min(cuts) if cuts else None


class LlamaBackend:
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
        self._sessions: OrderedDict[str, _Session] = OrderedDict()
        self._free_seq_ids = list(range(settings.n_seq_max))
        self._model: LlamaModel | None = None
        self._ctx: LlamaContext | None = None
        self._batch: LlamaBatch | None = None
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
                n_threads=self.settings.n_threads or max(1, os.cpu_count() or 1),
                flash_attn=self.settings.flash_attn,
            )
        except HandleError as error:
            self.close()
            raise ModelLoadError(f"{error} ({path})") from error
        self._batch = LlamaBatch(self.settings.n_batch)
        self.n_vocab = self._model.n_vocab
        self.n_ctx = self._ctx.n_ctx
        self.chat_template = self._model.chat_template() or CHATML_TEMPLATE
        self.bos_token = self._token_text(self._model.bos)
        self.eos_token = self._token_text(self._model.eos)
        self.yes_token_ids = self._first_token_ids(YES_SPELLINGS)
        self.no_token_ids = self._first_token_ids(NO_SPELLINGS)
        if not self.yes_token_ids or not self.no_token_ids:
            raise ModelLoadError(f"{path}: no single-token spelling of yes/no in the vocabulary")

    def close(self) -> None:
        """Free the batch, the context and the model (also done at garbage collection)."""
        for handle in (self._batch, self._ctx, self._model):
            if handle is not None:
                handle.close()
        self._batch = self._ctx = self._model = None

    def __del__(self) -> None:
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

    # ---------------------------------------------------------------- tokenising
    def tokenize(self, text: str, *, add_bos: bool = False, special: bool = True) -> list[int]:
        try:
            return self.model.tokenize(text, add_bos=add_bos, special=special)
        except HandleError as error:
            raise BackendError(str(error)) from error

    def _token_text(self, token: int) -> str:
        return self.model.token_bytes(token, special=True).decode("utf-8", errors="replace")

    def detokenize(self, tokens: Sequence[int]) -> str:
        raw = b"".join(self.model.token_bytes(token, special=False) for token in tokens)
        return raw.decode("utf-8", errors="replace")

    def _first_token_ids(self, spellings: Sequence[str]) -> tuple[int, ...]:
        ids: list[int] = []
        for spelling in spellings:
            tokens = self.tokenize(spelling, special=False)
            if tokens and tokens[0] not in ids:
                ids.append(tokens[0])
        return tuple(ids)

    def render(self, messages: Sequence[ChatMessage], *, add_generation_prompt: bool) -> str:
        """The prompt text for a chat, rendered with the GGUF's own template."""
        return render_chat(
            self.chat_template,
            messages,
            bos_token=self.bos_token,
            eos_token=self.eos_token,
            add_generation_prompt=add_generation_prompt,
        )

    def _tokenize_prompt(self, text: str) -> list[int]:
        # Templates that write the BOS token themselves (Llama 3) must not get a second one.
        add_bos = self.model.add_bos and not (self.bos_token and text.startswith(self.bos_token))
        return self.tokenize(text, add_bos=add_bos, special=True)

    # ------------------------------------------------------------------ sessions
    def _session(self, name: str) -> _Session:
        session = self._sessions.get(name)
        if session is None:
            if not self._free_seq_ids:
                _, evicted = self._sessions.popitem(last=False)
                self.context.remove(evicted.seq_id)
                self._free_seq_ids.append(evicted.seq_id)
            session = _Session(seq_id=self._free_seq_ids.pop(0))
            self._sessions[name] = session
        self._sessions.move_to_end(name)
        return session

    def session_tokens(self, name: str) -> list[int]:
        """The tokens currently cached for a session (empty when unknown)."""
        session = self._sessions.get(name)
        return list(session.tokens) if session else []

    def context_tokens(self) -> int:
        """Tokens cached over all sessions."""
        return sum(len(session.tokens) for session in self._sessions.values())

    def _forget(self, session: _Session) -> None:
        self.context.remove(session.seq_id)
        session.tokens = []
        session.text = ""

    def _make_room(self, current: _Session, needed: int) -> None:
        """Drop least recently used other sessions until ``needed`` more cells fit."""
        for other in list(self._sessions.values()):
            if self.context_tokens() + needed <= self.n_ctx:
                return
            if other is not current and other.tokens:
                self._forget(other)

    # ---------------------------------------------------------------- evaluating
    def _prompt_tokens(self, session: _Session, text: str) -> list[int]:
        if self.reuse_cache and session.text and text.startswith(session.text):
            return session.tokens + self.tokenize(text[len(session.text) :], special=True)
        return self._tokenize_prompt(text)

    def _fit(
        self, session: _Session, messages: Sequence[ChatMessage], reserve: int
    ) -> tuple[str, list[int]]:
        """Prompt text and tokens, dropping the oldest turns after the system prompt when the
        chat (plus ``reserve`` tokens for the reply) would not fit the context."""
        kept = list(messages)
        while True:
            text = self.render(kept, add_generation_prompt=True)
            tokens = self._prompt_tokens(session, text)
            if len(tokens) + reserve <= self.n_ctx:
                return text, tokens
            first = 1 if kept and kept[0].role == "system" else 0
            if len(kept) - first <= 1:
                raise BackendError(
                    f"prompt of {len(tokens)} tokens does not fit n_ctx={self.n_ctx}"
                )
            del kept[first : first + 2]

    def _decode(self, session: _Session, tokens: Sequence[int], start: int) -> None:
        assert self._batch is not None
        size = self._batch.capacity
        for offset in range(0, len(tokens), size):
            chunk = tokens[offset : offset + size]
            try:
                self.context.decode(self._batch.fill(chunk, start + offset, session.seq_id))
            except HandleError as error:
                self._forget(session)
                raise BackendError(str(error)) from error

    def _sync(self, session: _Session, tokens: list[int], text: str, reserve: int) -> int:
        """Make the session's sequence hold ``tokens`` with logits for the last one; returns
        the number of reused tokens."""
        keep = _common_prefix_length(session.tokens, tokens) if self.reuse_cache else 0
        keep = min(keep, len(tokens) - 1)  # the last token is evaluated again for its logits
        if keep < len(session.tokens) or not self.reuse_cache:
            self.context.remove(session.seq_id, keep, -1)
        session.tokens = session.tokens[:keep]
        self._make_room(session, len(tokens) - keep + reserve)
        self._decode(session, tokens[keep:], keep)
        session.tokens = list(tokens)
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

    # -------------------------------------------------------------- the protocol
    def yes_probability(self, session: str, messages: Sequence[ChatMessage]) -> float:
        started = time.perf_counter()
        state = self._session(session)
        text, tokens = self._fit(state, messages, reserve=1)
        reused = self._sync(state, tokens, text, reserve=1)
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
            )
        )
        return probability

    # ------------------------------------------------------------------- generating
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
        started = time.perf_counter()
        state = self._session(session)
        text, tokens = self._fit(state, messages, reserve=max_tokens)
        reused = self._sync(state, tokens, text, reserve=max_tokens)
        rng = np.random.default_rng([seed, len(tokens)])
        generated: list[int] = []
        evaluated = len(tokens) - reused
        reply = ""
        for _ in range(max_tokens):
            token = self._sample(self._logits(), temperature, rng)
            if self.model.is_end_of_generation(token):
                break
            candidate = self.detokenize([*generated, token])
            cut = _first_cut(candidate, stop, end_after)
            if cut is not None:
                reply = candidate[:cut]
                break
            generated.append(token)
            reply = candidate
            if len(generated) == max_tokens:
                break
            self._decode(state, [token], len(state.tokens))
            state.tokens.append(token)
            evaluated += 1
        # The cache holds the prompt and every evaluated reply token; the text behind it is only
        # known exactly when those tokens decode to a clean string.
        cached_reply = self.detokenize(state.tokens[len(tokens) :])
        state.text = text + cached_reply if "\ufffd" not in cached_reply else ""
        self._record(
            CallStats(
                session=session,
                kind="generate",
                prompt_tokens=len(tokens),
                reused_tokens=reused,
                evaluated_tokens=evaluated,
                generated_tokens=len(generated),
                seconds=time.perf_counter() - started,
            )
        )
        return reply

    @staticmethod
    def _sample(logits: np.ndarray, temperature: float, rng: np.random.Generator) -> int:
        if temperature <= 0.0:
            return int(np.argmax(logits))
        scaled = logits.astype(np.float64) / temperature
        scaled -= scaled.max()
        weights = np.exp(scaled)
        return int(rng.choice(weights.size, p=weights / weights.sum()))
