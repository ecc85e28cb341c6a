"""``llm20q bench speed``: prompt and generation tokens per second of the loaded llama.cpp build.

The raw cost of the two things a turn does, through the agent's own handles
(:mod:`agent.model.llama_handles`) so that nothing but llama.cpp is timed: prompt processing
(``prompt_tokens`` tokens of a fixed text decoded in ``n_batch`` chunks into an empty sequence)
and generation (``gen_tokens`` single-token decodes, each of the greedy choice after the previous
one, the way a reply is produced, but never stopping at an end-of-turn token: a tiny test model
would stop at once). Each is repeated ``repeats`` times on a cleared sequence; the result is the
median. Which llama.cpp libraries run is whatever ``llama_cpp`` loads: ``LLAMA_CPP_LIB_PATH``
swaps them (see :mod:`llm20q.bench.builds`).

Every result also records the machine's load when the measurement started (:class:`Load`: the
1-minute load average and the cores), since on busy cores the figures drop, and far more with
several threads when llama.cpp is built without OpenMP (:func:`openmp_build`): ggml's own thread
pool then spins at every barrier waiting for a thread the kernel has not scheduled.

Shortcut: wall-clock medians on a shared machine; compare builds only within one run.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from agent.model.llama_handles import (
    LlamaBatch,
    LlamaContext,
    LlamaModel,
    library_version,
    supports_gpu_offload,
    system_info,
)
from agent.settings import AgentSettings

PROMPT_TEXT = (
    "You are playing twenty questions. The keyword is a thing that people keep in a kitchen; "
    "answer each question about it with yes or no, and think about its size, material, use, "
    "where it is found and what it is made of. "
)
PROMPT_TOKENS = 256
GEN_TOKENS = 64
REPEATS = 5


@dataclass(frozen=True)
class Load:
    """How busy the machine is: the 1-minute load average over its cores."""

    average: float
    cores: int

    @classmethod
    def now(cls) -> Load:
        return cls(round(os.getloadavg()[0], 2), os.cpu_count() or 1)

    def busy(self, threads: int) -> bool:
        """Fewer idle cores than ``threads`` (half a core of slack for the load's own lag)."""
        return self.average > self.cores - threads + 0.5

    @property
    def text(self) -> str:
        return f"load average {self.average:.1f} on {self.cores} cores"


def openmp_build() -> bool:
    """Whether the llama.cpp that ``llama_cpp`` loads was built with OpenMP."""
    return "OPENMP = 1" in system_info()


def runs_on_gpu(settings: AgentSettings) -> bool:
    """Whether llama.cpp puts this model's layers on a GPU (a GPU build and offload asked)."""
    return supports_gpu_offload() and settings.n_gpu_layers != 0


def _prompt(model: LlamaModel, count: int) -> list[int]:
    tokens: list[int] = []
    while len(tokens) < count:
        tokens += model.tokenize(PROMPT_TEXT, add_bos=False, special=False)
    return tokens[:count]


def measure(
    model_path: Path,
    settings: AgentSettings,
    *,
    prompt_tokens: int = PROMPT_TOKENS,
    gen_tokens: int = GEN_TOKENS,
    repeats: int = REPEATS,
) -> dict[str, Any]:
    """Median prompt and generation tokens per second (and the seconds of every repeat), and
    the machine's load when it started."""
    threads = settings.threads
    load = Load.now()
    model = LlamaModel(model_path, n_gpu_layers=settings.n_gpu_layers, verbose=settings.verbose)
    context = LlamaContext(
        model,
        n_ctx=max(settings.n_ctx, prompt_tokens + gen_tokens + 8),
        n_batch=settings.n_batch,
        n_seq_max=1,
        n_threads=threads,
        flash_attn=settings.flash_attn,
    )
    batch = LlamaBatch(settings.n_batch)
    prompt = _prompt(model, prompt_tokens)
    prompt_s: list[float] = []
    gen_s: list[float] = []
    try:
        for _ in range(repeats):
            context.remove(0)
            started = time.perf_counter()
            for offset in range(0, len(prompt), batch.capacity):
                context.decode(batch.fill(prompt[offset : offset + batch.capacity], offset, 0))
            prompt_s.append(time.perf_counter() - started)
            position = len(prompt)
            started = time.perf_counter()
            for _ in range(gen_tokens):
                token = int(np.argmax(context.last_logits()))
                context.decode(batch.fill([token], position, 0))
                position += 1
            gen_s.append(time.perf_counter() - started)
    finally:
        batch.close()
        context.close()
        model.close()
    return {
        "model": model_path.name,
        "llama_cpp_python": library_version(),
        "lib_path": os.environ.get("LLAMA_CPP_LIB_PATH", "(the installed llama_cpp/lib)"),
        "threads": threads,
        "load_average": load.average,
        "cores": load.cores,
        "prompt_tokens": len(prompt),
        "gen_tokens": gen_tokens,
        "repeats": repeats,
        "prompt_tokens_per_s": round(len(prompt) / statistics.median(prompt_s), 1),
        "gen_tokens_per_s": round(gen_tokens / statistics.median(gen_s), 1),
        "prompt_seconds": [round(s, 4) for s in prompt_s],
        "gen_seconds": [round(s, 4) for s in gen_s],
    }
