"""LLM labelling of the property questions (``kb build --label-with MODEL.gguf``; build time only).

For every property question and each of the top-N candidates by prior, the backend's
``yes_probability`` gives p(yes). The chat is a fixed system prompt, then one user message with
the question first and the keyword last, so consecutive calls of one question share everything up
to the keyword and the backend only evaluates the few tokens after it (its KV-cache prefix
reuse). Progress is checkpointed per question (``<cache>/<question hash>.npy``, NaN = not yet
labelled, with a ``.json`` sidecar naming the model, prompt and keywords) after every batch, so an
interrupted build resumes where it stopped; a checkpoint made for another model, prompt or
keyword list is ignored.

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

from agent.llm import ChatBackend, ChatMessage

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
