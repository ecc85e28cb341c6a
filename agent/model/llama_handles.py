"""Thin handles over llama.cpp's C API (through llama-cpp-python's ctypes bindings).

The only module of the agent that imports ``llama_cpp``. Like llama-cpp-python's own
``_internals.py``, each class owns one C object, exposes the few calls the backend makes on it,
and frees it exactly once on :meth:`close` (also at garbage collection): :class:`LlamaModel` (a
loaded GGUF and its vocabulary), :class:`LlamaContext` (a context with its unified KV cache) and
:class:`LlamaBatch` (a token batch for ``llama_decode``). No policy lives here: sessions, prefix
reuse, sampling and the yes/no read-out are in :mod:`agent.model.llama_backend`.

Shortcuts: tokens are plain ``int`` lists; a batch always asks for the logits of its last token
only, which is all the backend reads.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import llama_cpp
import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]


class HandleError(RuntimeError):
    """llama.cpp returned a null handle or an error code."""


def library_version() -> str:
    """The llama-cpp-python version the handles run on."""
    return str(llama_cpp.__version__)


def supports_gpu_offload() -> bool:
    """Whether this build of llama.cpp can put layers on a GPU (CUDA, Metal, ...)."""
    return bool(llama_cpp.llama_supports_gpu_offload())


class LlamaModel:
    """A GGUF loaded by ``llama_model_load_from_file``, with its vocabulary."""

    def __init__(self, path: Path, *, n_gpu_layers: int, verbose: bool) -> None:
        # llama-cpp-python routes llama.cpp's log through this logger.
        logging.getLogger("llama-cpp-python").setLevel(logging.DEBUG if verbose else logging.ERROR)
        llama_cpp.llama_backend_init()
        params = llama_cpp.llama_model_default_params()
        params.n_gpu_layers = n_gpu_layers
        self._model: Any = llama_cpp.llama_model_load_from_file(str(path).encode(), params)
        if not self._model:
            raise HandleError(f"llama.cpp could not load {path}")
        self._vocab: Any = llama_cpp.llama_model_get_vocab(self._model)
        self.n_vocab = int(llama_cpp.llama_vocab_n_tokens(self._vocab))
        self.bos = int(llama_cpp.llama_vocab_bos(self._vocab))
        self.eos = int(llama_cpp.llama_vocab_eos(self._vocab))
        self.add_bos = bool(llama_cpp.llama_vocab_get_add_bos(self._vocab))

    @property
    def pointer(self) -> Any:
        if not self._model:
            raise HandleError("the model is closed")
        return self._model

    def close(self) -> None:
        if self._model:
            llama_cpp.llama_model_free(self._model)
            self._model = None

    def __del__(self) -> None:
        if not sys.is_finalizing():  # at exit, llama_cpp may already be torn down
            self.close()

    def chat_template(self) -> str | None:
        """The GGUF's ``tokenizer.chat_template``, or None when it has none."""
        template = llama_cpp.llama_model_chat_template(self.pointer, None)
        return template.decode() if template else None

    def tokenize(self, text: str, *, add_bos: bool, special: bool) -> list[int]:
        data = text.encode("utf-8")
        capacity = len(data) + 8
        buffer = (llama_cpp.llama_token * capacity)()
        count = llama_cpp.llama_tokenize(
            self._vocab, data, len(data), buffer, capacity, add_bos, special
        )
        if count < 0:
            raise HandleError(f"tokenisation needs {-count} tokens, more than {capacity}")
        return list(buffer[:count])

    def token_bytes(self, token: int, *, special: bool) -> bytes:
        """The bytes a token stands for (special tokens as their text when ``special``)."""
        buffer = ctypes.create_string_buffer(64)
        size = llama_cpp.llama_token_to_piece(self._vocab, token, buffer, 64, 0, special)
        if size < 0:
            buffer = ctypes.create_string_buffer(-size)
            size = llama_cpp.llama_token_to_piece(self._vocab, token, buffer, -size, 0, special)
        return buffer.raw[:size]

    def control_texts(self) -> list[str]:
        """The text of every control token (and of the unknown token): tokenising with special
        tokens parsed turns exactly these texts into single tokens."""
        parsed = llama_cpp.LLAMA_TOKEN_ATTR_CONTROL | llama_cpp.LLAMA_TOKEN_ATTR_UNKNOWN
        return [
            self.token_bytes(token, special=True).decode("utf-8", errors="replace")
            for token in range(self.n_vocab)
            if llama_cpp.llama_vocab_get_attr(self._vocab, token) & parsed
        ]

    def is_end_of_generation(self, token: int) -> bool:
        """End of turn / end of text tokens (``<|eot_id|>``, ``<|im_end|>``, EOS, ...)."""
        return bool(llama_cpp.llama_vocab_is_eog(self._vocab, token))


class LlamaBatch:
    """A ``llama_batch`` of up to ``capacity`` tokens, one sequence id per token."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._batch: Any = llama_cpp.llama_batch_init(capacity, 0, 1)

    def close(self) -> None:
        if self._batch is not None:
            llama_cpp.llama_batch_free(self._batch)
            self._batch = None

    def __del__(self) -> None:
        if not sys.is_finalizing():  # at exit, llama_cpp may already be torn down
            self.close()

    def fill(self, tokens: Sequence[int], start: int, seq_id: int) -> Any:
        """The batch holding ``tokens`` at positions ``start``... of ``seq_id``; logits for the
        last token only."""
        if not 0 < len(tokens) <= self.capacity:
            raise HandleError(f"a batch holds 1..{self.capacity} tokens, not {len(tokens)}")
        batch = self._batch
        batch.n_tokens = len(tokens)
        for i, token in enumerate(tokens):
            batch.token[i] = token
            batch.pos[i] = start + i
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = seq_id
            batch.logits[i] = False
        batch.logits[len(tokens) - 1] = True
        return batch


class LlamaContext:
    """A context on a model: one unified KV cache shared by up to ``n_seq_max`` sequences."""

    def __init__(
        self,
        model: LlamaModel,
        *,
        n_ctx: int,
        n_batch: int,
        n_seq_max: int,
        n_threads: int,
        flash_attn: bool,
    ) -> None:
        params = llama_cpp.llama_context_default_params()
        params.n_ctx = n_ctx
        params.n_batch = n_batch
        params.n_ubatch = n_batch
        params.n_seq_max = n_seq_max
        params.kv_unified = True  # every sequence may use the whole context
        params.n_threads = n_threads
        params.n_threads_batch = n_threads
        params.no_perf = True
        params.flash_attn_type = (
            llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED
            if flash_attn
            else llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED
        )
        self.n_vocab = model.n_vocab
        self._ctx: Any = llama_cpp.llama_init_from_model(model.pointer, params)
        if not self._ctx:
            raise HandleError("llama.cpp could not create a context")
        self._memory: Any = llama_cpp.llama_get_memory(self._ctx)
        self.n_ctx = int(llama_cpp.llama_n_ctx(self._ctx))

    def close(self) -> None:
        if self._ctx:
            llama_cpp.llama_free(self._ctx)
            self._ctx = None

    def __del__(self) -> None:
        if not sys.is_finalizing():  # at exit, llama_cpp may already be torn down
            self.close()

    def decode(self, batch: Any) -> None:
        code = int(llama_cpp.llama_decode(self._ctx, batch))
        if code != 0:
            raise HandleError(f"llama_decode failed with code {code}")

    def last_logits(self) -> F32:
        """The logits of the last token that asked for them (a view into llama.cpp's buffer)."""
        pointer = llama_cpp.llama_get_logits_ith(self._ctx, -1)
        return np.ctypeslib.as_array(pointer, shape=(self.n_vocab,))

    def remove(self, seq_id: int, start: int = -1, end: int = -1) -> None:
        """Drop the cells of ``seq_id`` at positions [start, end) (-1: open end)."""
        llama_cpp.llama_memory_seq_rm(self._memory, seq_id, start, end)
