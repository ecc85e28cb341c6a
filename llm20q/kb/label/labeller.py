"""LLM labels p(yes | candidate, question): the prompt, the core call, ``kb build --label-with``.

The prompt (:func:`label_chat`) is the direct answerer's system prompt and few-shot examples
(``prompts/answerer.direct.system.txt``, ``prompts/answerer.examples.txt``) with each question
put first and the keyword last ("Question: Is it found in a kitchen?\nKeyword: toaster"), so
every candidate of a question shares all tokens up to the keyword:
:func:`label_keywords` asks a :class:`agent.model.protocol.BranchingBackend` for whole chunks
of keywords at once (one evaluated prefix, then each keyword costs its own tokens and the
end-of-turn tokens after it). ``llm20q kb label`` (:mod:`llm20q.kb.label.run`) shards the same
call over Ray actors; ``kb build --label-with`` (:func:`property_rows`) runs it in process.

In ``kb build``, progress is checkpointed per question (``<cache>/<question hash>.npy``, NaN = not
yet labelled, with a ``.json`` sidecar naming the model, prompt and keywords) after every chunk,
so an interrupted build resumes where it stopped; a checkpoint made for another model, prompt or
keyword list is ignored. Without a model every property question is left unlabelled (0.5).

Shortcut: the model sees the keyword without its WordNet sense.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from agent.model.protocol import SLOT, BranchingBackend, ChatMessage
from agent.policies.prompts import PromptSet, few_shot_chat, load_prompts
from agent.settings import AgentSettings, load_settings
from llm20q.kb.lexicon import Candidate
from llm20q.kb.options import BuildOptions
from llm20q.kb.output import TableRow, quantise
from llm20q.kb.questions import PROPERTY_QUESTIONS
from llm20q.kb.sources import default_cache_dir

log = logging.getLogger(__name__)

SESSION = "kb-label"
CHUNK = 256  # keywords per backend call


def label_turn(question: str, keyword: str) -> str:
    """The user turn: question first (shared by every keyword of a question), keyword last."""
    return f"Question: {question}\nKeyword: {keyword}"


def label_chat(question: str, prompts: PromptSet | None = None) -> list[ChatMessage]:
    """System prompt, few-shot turns, then ``question`` with :data:`SLOT` for the keyword."""
    return few_shot_chat(prompts or load_prompts(), label_turn, question, SLOT)


def prompt_digest(prompts: PromptSet | None = None) -> str:
    """sha256 of the label prompt (with a placeholder question): labels made with another
    prompt are never mixed in."""
    chat = label_chat("{question}", prompts)
    return _digest(*(f"{m.role}:{m.content}" for m in chat))


def label_keywords(
    backend: BranchingBackend,
    question: str,
    keywords: Sequence[str],
    chunk: int = CHUNK,
    prompts: PromptSet | None = None,
) -> npt.NDArray[np.float32]:
    """p(yes) of ``question`` for every keyword, ``chunk`` keywords a backend call."""
    messages = label_chat(question, prompts)
    probs = np.empty(len(keywords), dtype=np.float32)
    for start in range(0, len(keywords), chunk):
        part = keywords[start : start + chunk]
        probs[start : start + len(part)] = backend.yes_probabilities(SESSION, messages, part)
    return probs


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def label_question(
    backend: BranchingBackend,
    question: str,
    keywords: Sequence[str],
    cache_dir: Path,
    model_id: str,
    batch_size: int = CHUNK,
    progress: Callable[[int, int], None] | None = None,
) -> npt.NDArray[np.float32]:
    """p(yes) of ``question`` for every keyword, resuming from and updating its checkpoint."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    meta: dict[str, str | int] = {
        "question": question,
        "model": model_id,
        "prompt_sha256": prompt_digest(),
        "keywords_sha256": _digest(*keywords),
        "count": len(keywords),
    }
    stem = _digest(
        *(str(meta[k]) for k in ("question", "model", "prompt_sha256", "keywords_sha256"))
    )[:20]
    data_path, meta_path = cache_dir / f"{stem}.npy", cache_dir / f"{stem}.json"
    probs = np.full(len(keywords), np.nan, dtype=np.float32)
    if data_path.is_file() and meta_path.is_file():
        saved_meta = json.loads(meta_path.read_text(encoding="utf-8"))
        saved = np.load(data_path)
        if saved_meta == meta and saved.shape == probs.shape:
            probs = saved.astype(np.float32)
    meta_path.write_text(json.dumps(meta, sort_keys=True), encoding="utf-8")
    todo = np.flatnonzero(np.isnan(probs))
    for start in range(0, len(todo), batch_size):
        chosen = todo[start : start + batch_size]
        probs[chosen] = label_keywords(backend, question, [keywords[i] for i in chosen.tolist()])
        buffer = _npy_bytes(probs)
        _atomic_write(data_path, buffer)
        if progress is not None:
            progress(int(np.count_nonzero(~np.isnan(probs))), len(keywords))
    return probs


def _npy_bytes(array: npt.NDArray[np.float32]) -> bytes:
    handle = io.BytesIO()
    np.save(handle, array, allow_pickle=False)
    return handle.getvalue()


def label_all(
    backend: BranchingBackend,
    questions: Sequence[str],
    keywords: Sequence[str],
    cache_dir: Path,
    model_id: str,
    batch_size: int = CHUNK,
) -> npt.NDArray[np.float32]:
    """A (questions x keywords) float32 table of p(yes)."""
    table = np.empty((len(questions), len(keywords)), dtype=np.float32)
    started = time.monotonic()
    for q, question in enumerate(questions):
        table[q] = label_question(backend, question, keywords, cache_dir, model_id, batch_size)
        elapsed = time.monotonic() - started
        log.info("labelled %d/%d questions (%.0f s): %s", q + 1, len(questions), elapsed, question)
    return table


def labeller_settings(
    model: Path, threads: int | None, *, lanes: int = 32, n_batch: int = 512, gpu_layers: int = 0
) -> AgentSettings:
    """Backend settings for labelling: one session for the prompt before the keyword and
    ``lanes`` branch sequences (a decode holds up to ``lanes`` keywords and ``n_batch``
    tokens), a context for the prompt and one decode's keywords."""
    return load_settings(
        model_path=model,
        n_seq_max=lanes + 1,
        n_ctx=1536 + n_batch,
        n_batch=n_batch,
        n_threads=threads,
        n_gpu_layers=gpu_layers,
    )


def model_id(path: Path) -> str:
    """A cheap identity of a GGUF: name, size and the sha256 of its first and last MiB."""
    size = path.stat().st_size
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        digest.update(handle.read(1 << 20))
        handle.seek(max(0, size - (1 << 20)))
        digest.update(handle.read(1 << 20))
    return f"{path.name}:{size}:{digest.hexdigest()[:16]}"


def property_rows(
    candidates: Sequence[Candidate], prior: npt.NDArray[np.float64], options: BuildOptions
) -> list[TableRow]:
    """One row per property question: labelled by ``options.label_with`` for the
    ``options.label_top`` most probable candidates, or left empty (default 0.5) without a model."""
    questions = list(PROPERTY_QUESTIONS)
    if options.label_questions is not None:
        questions = questions[: options.label_questions]
    if options.label_with is None:
        empty_i, empty_v = np.zeros(0, np.int32), np.zeros(0, np.uint8)
        return [TableRow(q, "property", "llm", empty_i, empty_v, 0.5) for q in questions]
    from agent.model.llama_branching import LlamaBranchingBackend  # heavy: only when labelling

    model = Path(options.label_with)
    top = np.sort(np.argsort(-prior, kind="stable")[: options.label_top]).astype(np.int32)
    keywords = [candidates[i].text for i in top.tolist()]
    cache = options.label_cache or (default_cache_dir().parent / "kb-labels")
    backend = LlamaBranchingBackend(model, labeller_settings(model, options.label_threads))
    try:
        table = label_all(backend, questions, keywords, cache, model_id(model), options.label_batch)
    finally:
        backend.close()
    return [
        TableRow(q, "property", f"llm:{model.name}", top, quantise(table[k].astype(np.float64)),
                 0.5, len(keywords))
        for k, q in enumerate(questions)
    ]  # fmt: skip
