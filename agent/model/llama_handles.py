"""Thin handles over llama.cpp's C API (through llama-cpp-python's ctypes bindings).

The only module of the agent that imports ``llama_cpp``. Like llama-cpp-python's own
``_internals.py``, each class owns one C object, exposes the few calls the backend makes on it,
and frees it exactly once on :meth:`close` (also at garbage collection): :class:`LlamaModel` (a
loaded GGUF and its vocabulary), :class:`LlamaContext` (a context with its unified KV cache, whose
sequences can share cells: ``llama_memory_seq_cp``) and :class:`LlamaBatch` (a token batch for
``llama_decode``, one or several runs of tokens on their own sequences). No policy lives here:
sessions, prefix reuse, sampling and the yes/no read-out are in :mod:`agent.model.llama_backend`,
branching in :mod:`agent.model.llama_branching`.

Shortcuts: tokens are plain ``int`` lists; a batch asks for the logits of the last token of each
of its runs only, which is all the backend reads. llama.cpp's log goes through llama-cpp-python's
logger (errors only unless verbose), less the notes known to be harmless (:data:`HARMLESS_LOG`).
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import llama_cpp
import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]


# llama.cpp's notes at error level that need no action, shown only when verbose: Qwen2.5's GGUF
# has '</s>' (token 128247) not typed as a control token, which llama.cpp fixes as it loads.
HARMLESS_LOG = (b"was not control-type",)


@llama_cpp.llama_log_callback  # type: ignore[untyped-decorator]
def quiet_log(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
    """llama-cpp-python's own log callback, less the :data:`HARMLESS_LOG` notes."""
    if not any(note in text for note in HARMLESS_LOG):
        from llama_cpp import _logger

        _logger.llama_log_callback(level, text, user_data)


def route_log(verbose: bool) -> None:
    """llama.cpp's log: everything when ``verbose``, else errors less the harmless notes."""
    from llama_cpp import _logger

    _logger.logger.setLevel(logging.DEBUG if verbose else logging.ERROR)
    callback = _logger.llama_log_callback if verbose else quiet_log
    llama_cpp.llama_log_set(callback, ctypes.c_void_p(0))


class HandleError(RuntimeError):
    """llama.cpp returned a null handle or an error code."""


def library_version() -> str:
    """The llama-cpp-python version the handles run on."""
    return str(llama_cpp.__version__)


def system_info() -> str:
    """llama.cpp's build features ("AVX2 = 1 | ... | OPENMP = 1 | ..."), as it prints them."""
    return bytes(llama_cpp.llama_print_system_info()).decode(errors="replace")


def supports_gpu_offload() -> bool:
    """Whether this build of llama.cpp can put layers on a GPU (CUDA, Metal, ...)."""
    return bool(llama_cpp.llama_supports_gpu_offload())


class LlamaModel:
    """A GGUF loaded by ``llama_model_load_from_file``, with its vocabulary."""

    def __init__(self, path: Path, *, n_gpu_layers: int, verbose: bool) -> None:
        route_log(verbose)
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

    # At exit llama_cpp (and even this module's ``sys``) may already be torn down: the check is
    # bound when the class is made.
    def __del__(self, _finalizing: Callable[[], bool] = sys.is_finalizing) -> None:
        if not _finalizing():
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

    def metadata(self, key: str) -> str | None:
        """A GGUF metadata value as text (e.g. ``general.architecture``), None when absent."""
        capacity = 256
        while True:
            buffer = ctypes.create_string_buffer(capacity)
            size = llama_cpp.llama_model_meta_val_str(self.pointer, key.encode(), buffer, capacity)
            if size < 0:
                return None
            if size < capacity:
                return buffer.value.decode("utf-8", errors="replace")
            capacity = size + 1

    def shape(self) -> dict[str, int]:
        """Layers, embedding width, query and key/value heads, and the weights' bytes."""
        model = self.pointer
        return {
            "n_layer": int(llama_cpp.llama_model_n_layer(model)),
            "n_embd": int(llama_cpp.llama_model_n_embd(model)),
            "n_head": int(llama_cpp.llama_model_n_head(model)),
            "n_head_kv": int(llama_cpp.llama_model_n_head_kv(model)),
            "weight_bytes": int(llama_cpp.llama_model_size(model)),
        }


class LlamaBatch:
    """A ``llama_batch`` of up to ``capacity`` tokens, one sequence id per token."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._batch: Any = llama_cpp.llama_batch_init(capacity, 0, 1)
        # numpy views over the C arrays: filling a 512-token batch costs microseconds, not a
        # Python loop of ctypes stores per field
        self._token = np.ctypeslib.as_array(self._batch.token, shape=(capacity,))
        self._pos = np.ctypeslib.as_array(self._batch.pos, shape=(capacity,))
        self._n_seq_id = np.ctypeslib.as_array(self._batch.n_seq_id, shape=(capacity,))
        self._logits = np.ctypeslib.as_array(self._batch.logits, shape=(capacity,))

    def close(self) -> None:
        if self._batch is not None:
            llama_cpp.llama_batch_free(self._batch)
            self._batch = None

    # At exit llama_cpp (and even this module's ``sys``) may already be torn down: the check is
    # bound when the class is made.
    def __del__(self, _finalizing: Callable[[], bool] = sys.is_finalizing) -> None:
        if not _finalizing():
            self.close()

    def fill(self, tokens: Sequence[int], start: int, seq_id: int) -> Any:
        """The batch holding ``tokens`` at positions ``start``... of ``seq_id``; logits for the
        last token only."""
        return self.fill_runs([(tokens, start, seq_id)])

    def fill_runs(self, runs: Sequence[tuple[Sequence[int], int, int]]) -> Any:
        """The batch holding several runs ``(tokens, first position, seq_id)`` one after the
        other; logits for the last token of each run (batch index: the runs' cumulative
        lengths minus one)."""
        total = sum(len(tokens) for tokens, _, _ in runs)
        if not runs or any(not tokens for tokens, _, _ in runs) or total > self.capacity:
            raise HandleError(f"a batch holds 1..{self.capacity} tokens in non-empty runs")
        batch = self._batch
        offset = 0
        for tokens, start, seq_id in runs:
            end = offset + len(tokens)
            self._token[offset:end] = tokens
            self._pos[offset:end] = np.arange(start, start + len(tokens))
            for i in range(offset, end):
                batch.seq_id[i][0] = seq_id
            offset = end
        self._n_seq_id[:total] = 1
        self._logits[:total] = 0
        self._logits[np.cumsum([len(tokens) for tokens, _, _ in runs]) - 1] = 1
        batch.n_tokens = total
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

    # At exit llama_cpp (and even this module's ``sys``) may already be torn down: the check is
    # bound when the class is made.
    def __del__(self, _finalizing: Callable[[], bool] = sys.is_finalizing) -> None:
        if not _finalizing():
            self.close()

    def decode(self, batch: Any) -> None:
        code = int(llama_cpp.llama_decode(self._ctx, batch))
        if code != 0:
            raise HandleError(f"llama_decode failed with code {code}")

    def last_logits(self) -> F32:
        """The logits of the last token that asked for them (a view into llama.cpp's buffer)."""
        return self.logits_at(-1)

    def logits_at(self, batch_index: int) -> F32:
        """The logits of the token at ``batch_index`` of the last decoded batch (it must have
        asked for them; -1: the last one that did), a view into llama.cpp's buffer."""
        pointer = llama_cpp.llama_get_logits_ith(self._ctx, batch_index)
        if not pointer:
            raise HandleError(f"no logits for batch index {batch_index}")
        return np.ctypeslib.as_array(pointer, shape=(self.n_vocab,))

    def remove(self, seq_id: int, start: int = -1, end: int = -1) -> None:
        """Drop the cells of ``seq_id`` at positions [start, end) (-1: open end)."""
        llama_cpp.llama_memory_seq_rm(self._memory, seq_id, start, end)

    def share(self, source: int, target: int) -> None:
        """Make every cell of sequence ``source`` also belong to ``target`` (no copy: a cell of
        the unified KV cache holds a set of sequence ids)."""
        llama_cpp.llama_memory_seq_cp(self._memory, source, target, -1, -1)
