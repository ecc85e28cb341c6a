"""LLM labelling of the property questions (``kb build --label-with MODEL.gguf``; build time only).

For every property question and each of the top-N candidates by prior, the backend's
``yes_probability`` gives p(yes). The chat is a fixed system prompt, then one user message with
the question first and the keyword last, so consecutive calls of one question share everything up
to the keyword and the backend only evaluates the few tokens after it (its KV-cache prefix
reuse). Progress is checkpointed per question (``<cache>/<question hash>.npy``, NaN = not yet
labelled, with a ``.json`` sidecar naming the model, prompt and keywords) after every batch, so an
interrupted build resumes where it stopped; a checkpoint made for another model, prompt or
keyword list is ignored.

:func:`property_rows` turns the labels into the property rows of the answer table (every
property question unlabelled, default 0.5, when no model is given).

Shortcut: candidates outside the top-N stay unlabelled (0.5 in the table); the model sees the
keyword without its WordNet sense.
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

from agent.model.protocol import ChatBackend, ChatMessage
from llm20q.kb.lexicon import Candidate
from llm20q.kb.options import BuildOptions
from llm20q.kb.output import TableRow, quantise
from llm20q.kb.questions import PROPERTY_QUESTIONS
from llm20q.kb.sources import default_cache_dir

log = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "You are the answerer in a game of 20 Questions. The secret keyword is a thing. "
    "Answer the question about the keyword truthfully, with yes or no only, for the keyword's "
    "most common meaning."
)
SESSION = "kb-label"


def user_message(question: str, keyword: str) -> str:
    """The user turn: question first (shared by every call of a question), keyword last."""
    return f"Question: {question}\nKeyword: {keyword}"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def label_question(
    backend: ChatBackend,
    question: str,
    keywords: Sequence[str],
    cache_dir: Path,
    model_id: str,
    batch_size: int = 64,
    progress: Callable[[int, int], None] | None = None,
) -> npt.NDArray[np.float32]:
    """p(yes) of ``question`` for every keyword, resuming from and updating its checkpoint."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    meta: dict[str, str | int] = {
        "question": question,
        "model": model_id,
        "prompt_sha256": _digest(SYSTEM_PROMPT, user_message("{q}", "{k}")),
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
    system = ChatMessage("system", SYSTEM_PROMPT)
    for start in range(0, len(todo), batch_size):
        for i in todo[start : start + batch_size].tolist():
            messages = (system, ChatMessage("user", user_message(question, keywords[i])))
            probs[i] = float(backend.yes_probability(SESSION, messages))
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
    backend: ChatBackend,
    questions: Sequence[str],
    keywords: Sequence[str],
    cache_dir: Path,
    model_id: str,
    batch_size: int = 64,
) -> npt.NDArray[np.float32]:
    """A (questions x keywords) float32 table of p(yes)."""
    table = np.empty((len(questions), len(keywords)), dtype=np.float32)
    started = time.monotonic()
    for q, question in enumerate(questions):
        table[q] = label_question(backend, question, keywords, cache_dir, model_id, batch_size)
        elapsed = time.monotonic() - started
        log.info("labelled %d/%d questions (%.0f s): %s", q + 1, len(questions), elapsed, question)
    return table


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
    from agent.model.llama_backend import LlamaBackend  # heavy import, only when labelling
    from agent.settings import load_settings

    model = Path(options.label_with)
    top = np.sort(np.argsort(-prior, kind="stable")[: options.label_top]).astype(np.int32)
    keywords = [candidates[i].text for i in top.tolist()]
    cache = options.label_cache or (default_cache_dir().parent / "kb-labels")
    backend = LlamaBackend(
        model,
        load_settings(model_path=model, n_seq_max=1, n_ctx=1024, n_threads=options.label_threads),
    )
    try:
        table = label_all(backend, questions, keywords, cache, model_id(model), options.label_batch)
    finally:
        close = getattr(backend, "close", None)
        if callable(close):
            close()
    return [
        TableRow(q, "property", f"llm:{model.name}", top, quantise(table[k].astype(np.float64)),
                 0.5, len(keywords))
        for k, q in enumerate(questions)
    ]  # fmt: skip
