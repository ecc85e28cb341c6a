"""llama.cpp backend: one GGUF, one context, one KV-cache sequence per chat session.

The only module that imports ``llama_cpp``. It drives llama-cpp-python's C bindings directly
instead of the high-level ``Llama`` class because ``Llama`` keeps a single sequence: here every
session (a seat's chat) owns a llama.cpp sequence id in one unified KV cache, so switching
between seats in self-play keeps every seat's cache hot, with no state copies.

Per call, the chat is rendered with the GGUF's own template and tokenised; the tokens already in
the session's sequence form the longest common prefix, and only the rest is evaluated. When the
new prompt text merely extends the text behind the cached tokens (the usual append-only chat),
only the new suffix is tokenised, so a turn costs exactly its new tokens even if re-tokenising
the whole chat would split an earlier generated reply differently.

Shortcuts: sampling is greedy or plain temperature sampling with a seeded numpy generator (no
top-k/top-p); stop strings are checked on the decoded text; when the context is full the least
recently used other sessions are dropped first, then the oldest turns of the chat itself.
"""

from __future__ import annotations

import ctypes
import logging
import os
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import llama_cpp
import numpy as np

from agent.chat_template import CHATML_TEMPLATE, render_chat
from agent.llm import CallStats, ChatMessage
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


def _first_cut(text: str, stop: Sequence[str], end_after: Sequence[str]) -> int | None:
    """Where the reply ends: before the earliest ``stop`` string or after the earliest
    ``end_after`` string, whichever comes first; None when neither occurs."""
    cuts = [text.find(s) for s in stop if s in text]
    cuts += [text.find(s) + len(s) for s in end_after if s in text]
    return min(cuts) if cuts else None


class LlamaBackend:
    """A :class:`agent.llm.ChatBackend` on llama.cpp.

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
        self._model: Any = None
        self._ctx: Any = None
        self._batch: Any = None
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
        logging.getLogger("llama-cpp-python").setLevel(
            logging.DEBUG if self.settings.verbose else logging.ERROR
        )
        llama_cpp.llama_backend_init()
        model_params = llama_cpp.llama_model_default_params()
        model_params.n_gpu_layers = self.settings.n_gpu_layers
        self._model = llama_cpp.llama_model_load_from_file(str(path).encode(), model_params)
        if not self._model:
            raise ModelLoadError(f"llama.cpp could not load {path}")
        threads = self.settings.n_threads or max(1, os.cpu_count() or 1)
        ctx_params = llama_cpp.llama_context_default_params()
        ctx_params.n_ctx = self.settings.n_ctx
        ctx_params.n_batch = self.settings.n_batch
        ctx_params.n_ubatch = self.settings.n_batch
        ctx_params.n_seq_max = self.settings.n_seq_max
        ctx_params.kv_unified = True  # every sequence may use the whole context
        ctx_params.n_threads = threads
        ctx_params.n_threads_batch = threads
        ctx_params.no_perf = True
        ctx_params.flash_attn_type = (
            llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED
            if self.settings.flash_attn
            else llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED
        )
        self._ctx = llama_cpp.llama_init_from_model(self._model, ctx_params)
        if not self._ctx:
            llama_cpp.llama_model_free(self._model)
            self._model = None
            raise ModelLoadError(f"llama.cpp could not create a context for {path}")
        self._memory = llama_cpp.llama_get_memory(self._ctx)
        self._vocab = llama_cpp.llama_model_get_vocab(self._model)
        self.n_vocab = int(llama_cpp.llama_vocab_n_tokens(self._vocab))
        self.n_ctx = int(llama_cpp.llama_n_ctx(self._ctx))
        self._batch = llama_cpp.llama_batch_init(self.settings.n_batch, 0, 1)
        template = llama_cpp.llama_model_chat_template(self._model, None)
        self.chat_template = template.decode() if template else CHATML_TEMPLATE
        self.bos_token = self._token_text(llama_cpp.llama_vocab_bos(self._vocab))
        self.eos_token = self._token_text(llama_cpp.llama_vocab_eos(self._vocab))
        self._add_bos = bool(llama_cpp.llama_vocab_get_add_bos(self._vocab))
        self.yes_token_ids = self._first_token_ids(YES_SPELLINGS)
        self.no_token_ids = self._first_token_ids(NO_SPELLINGS)
        if not self.yes_token_ids or not self.no_token_ids:
            raise ModelLoadError(f"{path}: no single-token spelling of yes/no in the vocabulary")

    def close(self) -> None:
        """Free the context and the model (also done at garbage collection)."""
        if self._batch is not None:
            llama_cpp.llama_batch_free(self._batch)
            self._batch = None
        if self._ctx:
            llama_cpp.llama_free(self._ctx)
            self._ctx = None
        if self._model:
            llama_cpp.llama_model_free(self._model)
            self._model = None

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
            "gpu_offload": bool(llama_cpp.llama_supports_gpu_offload()),
            "llama_cpp_python": llama_cpp.__version__,
        }

    # ---------------------------------------------------------------- tokenising
    def tokenize(self, text: str, *, add_bos: bool = False, special: bool = True) -> list[int]:
        data = text.encode("utf-8")
        capacity = len(data) + 8
        buffer = (llama_cpp.llama_token * capacity)()
        count = llama_cpp.llama_tokenize(
            self._vocab, data, len(data), buffer, capacity, add_bos, special
        )
        if count < 0:
            raise BackendError(f"tokenisation needs {-count} tokens, more than {capacity}")
        return list(buffer[:count])

    def _token_bytes(self, token: int, *, special: bool) -> bytes:
        buffer = ctypes.create_string_buffer(64)
        size = llama_cpp.llama_token_to_piece(self._vocab, token, buffer, 64, 0, special)
        if size < 0:
            buffer = ctypes.create_string_buffer(-size)
            size = llama_cpp.llama_token_to_piece(self._vocab, token, buffer, -size, 0, special)
        return buffer.raw[:size]

    def _token_text(self, token: int) -> str:
        return self._token_bytes(token, special=True).decode("utf-8", errors="replace")

    def detokenize(self, tokens: Sequence[int]) -> str:
        raw = b"".join(self._token_bytes(token, special=False) for token in tokens)
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
        add_bos = self._add_bos and not (self.bos_token and text.startswith(self.bos_token))
        return self.tokenize(text, add_bos=add_bos, special=True)

    # ------------------------------------------------------------------ sessions
    def _session(self, name: str) -> _Session:
        session = self._sessions.get(name)
        if session is None:
            if not self._free_seq_ids:
                _, evicted = self._sessions.popitem(last=False)
                llama_cpp.llama_memory_seq_rm(self._memory, evicted.seq_id, -1, -1)
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
        llama_cpp.llama_memory_seq_rm(self._memory, session.seq_id, -1, -1)
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
        batch = self._batch
        size = self.settings.n_batch
        for offset in range(0, len(tokens), size):
            chunk = tokens[offset : offset + size]
            batch.n_tokens = len(chunk)
            for i, token in enumerate(chunk):
                batch.token[i] = token
                batch.pos[i] = start + offset + i
                batch.n_seq_id[i] = 1
                batch.seq_id[i][0] = session.seq_id
                batch.logits[i] = False
            batch.logits[len(chunk) - 1] = True
            code = llama_cpp.llama_decode(self._ctx, batch)
            if code != 0:
                self._forget(session)
                raise BackendError(f"llama_decode failed with code {code}")

    def _sync(self, session: _Session, tokens: list[int], text: str, reserve: int) -> int:
        """Make the session's sequence hold ``tokens`` with logits for the last one; returns
        the number of reused tokens."""
        keep = _common_prefix_length(session.tokens, tokens) if self.reuse_cache else 0
        keep = min(keep, len(tokens) - 1)  # the last token is evaluated again for its logits
        if keep < len(session.tokens) or not self.reuse_cache:
            llama_cpp.llama_memory_seq_rm(self._memory, session.seq_id, keep, -1)
        session.tokens = session.tokens[:keep]
        self._make_room(session, len(tokens) - keep + reserve)
        self._decode(session, tokens[keep:], keep)
        session.tokens = list(tokens)
        session.text = text
        return keep

    def _logits(self) -> np.ndarray:
        pointer = llama_cpp.llama_get_logits_ith(self._ctx, -1)
        return np.ctypeslib.as_array(pointer, shape=(self.n_vocab,))

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
        yes = logits[list(self.yes_token_ids)].astype(np.float64)
        no = logits[list(self.no_token_ids)].astype(np.float64)
        top = max(yes.max(), no.max())
        yes_mass = np.exp(yes - top).sum()
        probability = float(yes_mass / (yes_mass + np.exp(no - top).sum()))
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
            if llama_cpp.llama_vocab_is_eog(self._vocab, token):
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
