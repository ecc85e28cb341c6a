"""Labelling benchmark (``llm20q bench label``): labels per second, and the Python around decode.

One slice of the knowledge folder (the first ``questions`` property questions x the ``candidates``
of highest prior), labelled four ways, all with one llama.cpp thread per model:

1. **In process**, question by question: :func:`llm20q.kb.label.labeller.label_keywords` on a
   :class:`agent.model.llama_branching.LlamaBranchingBackend` (what each Ray actor runs). After
   each question, **raw llama.cpp** (llama-cpp-python's low-level ``_internals`` model and
   context, the same context parameters) evaluates exactly the token stream the labeller
   evaluated: the prefix tokens it did not reuse, then the same branch batches (the labeller's
   own tokenisation and packing, built before the clock starts) with ``llama_memory_seq_cp``,
   ``llama_decode``, the yes/no logits and ``llama_memory_seq_rm``. The two alternate, so load
   spikes hit both; ``labeller_vs_raw`` = raw time / labeller time (1.0: no Python overhead).
   Their P(yes) must agree (the same operations on the same cells). Both first label one
   untimed warm-up question.
2. **One label a call** (the first question only): ``yes_probability`` per keyword with the
   prefix cached, i.e. labelling without branches, for what branching buys.
3. **Ray, 1 actor** and 4. **Ray, 2 actors**: ``kb label``'s :func:`label_on_ray` on the same
   slice into fresh run folders; labels/s over the labelling phase (Ray start-up and model
   loads reported apart).

Shortcuts: one run of each on a shared machine (the in-process pair is interleaved, the Ray runs
are not); the slice is small, so Ray's rates include its per-shard overhead at this shard size.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import llama_cpp
import llama_cpp._internals as internals
import numpy as np

from agent.model.decoding import yes_share
from agent.model.files import resolve_model_path
from agent.model.llama_branching import LlamaBranchingBackend
from agent.model.protocol import ChatMessage
from agent.planner.knowledge import resolve_knowledge_dir
from agent.planner.store import KnowledgeBase
from agent.policies.prompts import load_prompts
from agent.settings import AgentSettings
from llm20q.kb.label.labeller import (
    SESSION,
    label_chat,
    label_keywords,
    label_turn,
    labeller_settings,
    model_id,
    prompt_digest,
)
from llm20q.kb.label.plan import LabelPlan, RunFolder, plan_candidates, plan_questions
from llm20q.kb.label.run import WorkerOptions, label_on_ray

TARGET_LABELLER_VS_RAW = 0.8
WARM_UP_QUESTION = "Is it alive?"  # labelled first by both, not timed


class RawLabeller:
    """llama.cpp through llama-cpp-python's thin internals, with the labeller's parameters."""

    def __init__(self, model: Path, settings: AgentSettings) -> None:
        self.model = internals.LlamaModel(
            path_model=str(model), params=llama_cpp.llama_model_default_params(), verbose=False
        )
        params = llama_cpp.llama_context_default_params()
        params.n_ctx = settings.n_ctx
        params.n_batch = params.n_ubatch = settings.n_batch
        params.n_seq_max = settings.n_seq_max
        params.kv_unified = True
        params.n_threads = params.n_threads_batch = settings.n_threads or 1
        params.no_perf = True
        params.flash_attn_type = llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED
        self.context = internals.LlamaContext(model=self.model, params=params, verbose=False)
        self.n_vocab = llama_cpp.llama_vocab_n_tokens(self.model.vocab)
        self.n_batch = settings.n_batch

    def batches(self, runs: Sequence[Sequence[tuple[Sequence[int], int, int]]]) -> list[Any]:
        """One filled ``llama_batch`` per decode: runs of (tokens, first position, seq id)."""
        made = []
        for decode in runs:
            batch = llama_cpp.llama_batch_init(self.n_batch, 0, 1)
            n = 0
            for tokens, start, seq in decode:
                for k, token in enumerate(tokens):
                    batch.token[n], batch.pos[n], batch.n_seq_id[n] = token, start + k, 1
                    batch.seq_id[n][0] = seq
                    batch.logits[n] = k == len(tokens) - 1
                    n += 1
            batch.n_tokens = n
            made.append(batch)
        return made

    def run(
        self,
        keep: int,
        prefix: Sequence[Any],
        groups: Sequence[tuple[Any, list[int]]],
        lanes: Sequence[int],
        ids: tuple[list[int], list[int]],
    ) -> list[float]:
        """The timed part: drop the cached prefix after ``keep``, decode the rest of it, share
        it with the lanes, decode each group and read its yes/no logits, drop the branches."""
        start = keep + sum(int(batch.n_tokens) for batch in prefix)
        ctx, memory = self.context.ctx, self.context.memory
        llama_cpp.llama_memory_seq_rm(memory, 0, keep, -1)
        for batch in prefix:
            if llama_cpp.llama_decode(ctx, batch) != 0:
                raise RuntimeError("raw llama_decode failed")
        for lane in lanes:
            llama_cpp.llama_memory_seq_cp(memory, 0, lane, -1, -1)
        out: list[float] = []
        yes, no = ids
        for batch, ends in groups:
            if llama_cpp.llama_decode(ctx, batch) != 0:
                raise RuntimeError("raw llama_decode failed")
            for end in ends:
                row = np.ctypeslib.as_array(
                    llama_cpp.llama_get_logits_ith(ctx, end), shape=(self.n_vocab,)
                )
                out.append(float(yes_share(row[yes], row[no])))
            for lane in lanes:
                llama_cpp.llama_memory_seq_rm(memory, lane, start, -1)
        for lane in lanes:
            llama_cpp.llama_memory_seq_rm(memory, lane, -1, -1)
        return out

    def close(self) -> None:
        self.context.close()  # type: ignore[no-untyped-call]
        self.model.close()  # type: ignore[no-untyped-call]


def _chunks(tokens: Sequence[int], size: int) -> list[list[int]]:
    return [list(tokens[i : i + size]) for i in range(0, len(tokens), size)]


def in_process(
    backend: LlamaBranchingBackend,
    raw: RawLabeller,
    questions: Sequence[str],
    candidates: Sequence[str],
) -> dict[str, Any]:
    """Labeller and raw llama.cpp, question by question, on the same token stream."""
    prompts = load_prompts()
    ids = (list(backend.yes_token_ids), list(backend.no_token_ids))
    agent_s: list[float] = []
    raw_s: list[float] = []
    diffs: list[float] = []
    tokens = 0
    for number, question in enumerate([WARM_UP_QUESTION, *questions]):
        started = time.perf_counter()
        probs = label_keywords(backend, question, candidates, len(candidates), prompts)
        agent_s.append(time.perf_counter() - started)
        call = backend.calls[-1]
        tokens += call.evaluated_tokens
        prefix_tokens = backend.session_tokens(SESSION)
        branches = backend.branch_prompt(label_chat(question, prompts), candidates).branches
        plan = backend.plan_branches(SESSION, len(prefix_tokens), [len(b) for b in branches])
        lanes = backend.branch_lanes(SESSION)
        start = len(prefix_tokens)
        keep = call.reused_tokens
        prefix = raw.batches(
            [
                [(c, keep + i * raw.n_batch, 0)]
                for i, c in enumerate(_chunks(prefix_tokens[keep:], raw.n_batch))
            ]
        )
        decodes = [
            [(branches[b], start, lane) for b, lane in zip(g, lanes[: len(g)], strict=True)]
            for g in plan
        ]
        ends = [list(np.cumsum([len(branches[b]) for b in g]) - 1) for g in plan]
        groups = list(zip(raw.batches(decodes), ends, strict=True))
        used = lanes[: max(len(g) for g in plan)]
        started = time.perf_counter()
        raw_probs = raw.run(keep, prefix, groups, used, ids)
        raw_s.append(time.perf_counter() - started)
        for batch in (*prefix, *(g[0] for g in groups)):
            llama_cpp.llama_batch_free(batch)
        diffs.append(float(np.max(np.abs(np.asarray(raw_probs) - probs))))
        if number == 0:  # warm-up: first decodes of a context allocate its compute buffers
            agent_s.pop()
            raw_s.pop()
            tokens = 0
    labels = len(questions) * len(candidates)
    return {
        "labels": labels,
        "evaluated_tokens": tokens,
        "tokens_per_label": round(tokens / labels, 2),
        "labeller_labels_per_s": round(labels / sum(agent_s), 2),
        "raw_labels_per_s": round(labels / sum(raw_s), 2),
        "labeller_vs_raw": round(sum(raw_s) / sum(agent_s), 3),
        "labeller_vs_raw_median_question": round(
            float(np.median(np.asarray(raw_s) / np.asarray(agent_s))), 3
        ),
        "max_probability_diff": max(diffs),
    }


def one_label_a_call(
    backend: LlamaBranchingBackend, question: str, candidates: Sequence[str]
) -> dict[str, Any]:
    """The same labels with one ``yes_probability`` call each (prefix cached, no branches)."""
    opening = label_chat(question)[:-1]
    started = time.perf_counter()
    for keyword in candidates:
        turn = ChatMessage("user", label_turn(question, keyword))
        backend.yes_probability("one-by-one", [*opening, turn])
    seconds = time.perf_counter() - started
    return {"labels": len(candidates), "labels_per_s": round(len(candidates) / seconds, 2)}


def on_ray(plan: LabelPlan, options: WorkerOptions, actors: int) -> dict[str, Any]:
    """``kb label``'s Ray run of the slice into a fresh folder."""
    with tempfile.TemporaryDirectory(prefix="llm20q-bench-label-") as folder:
        run = RunFolder(Path(folder))
        run.start(plan)
        started = time.perf_counter()
        stats = label_on_ray(plan, run, options, actors=actors, progress=False)
        return {**stats.as_dict(), "wall_s": round(time.perf_counter() - started, 2)}


def run(
    settings: AgentSettings, *, questions: int = 4, candidates: int = 256, lanes: int = 32
) -> dict[str, Any]:
    """Every measurement on one slice (see the module docstring)."""
    model = resolve_model_path(settings).resolve()
    folder = resolve_knowledge_dir(settings)
    if folder is None:
        raise RuntimeError("no knowledge folder: run `llm20q kb build` (or set knowledge_dir)")
    kb = KnowledgeBase.load(folder)
    chosen_questions = plan_questions(kb, "property", questions)
    chosen, _ = plan_candidates(kb, candidates)
    label_settings = labeller_settings(model, 1, lanes=lanes)
    backend = LlamaBranchingBackend(model, label_settings)
    raw = RawLabeller(model, label_settings)
    try:
        results: dict[str, Any] = {
            "model": model.name,
            "knowledge": str(folder),
            "questions": len(chosen_questions),
            "candidates": len(chosen),
            "threads_per_model": 1,
            "lanes": lanes,
            "cpu_count": os.cpu_count(),
            "llama_cpp_python": llama_cpp.__version__,
            "in_process": in_process(backend, raw, chosen_questions, chosen),
            "one_label_a_call": one_label_a_call(backend, chosen_questions[0], chosen),
        }
    finally:
        backend.close()
        raw.close()
    plan = LabelPlan(model_id(model), prompt_digest(), chosen_questions, chosen, len(chosen) // 2)
    options = WorkerOptions(model, threads=1, lanes=lanes)
    results["ray_1_actor"] = on_ray(plan, options, 1)
    results["ray_2_actors"] = on_ray(plan, options, 2)
    raw_rate = results["in_process"]["raw_labels_per_s"]
    results["ray_1_actor_vs_raw"] = round(results["ray_1_actor"]["labels_per_s"] / raw_rate, 3)
    results["ray_2_actors_vs_1"] = round(
        results["ray_2_actors"]["labels_per_s"] / results["ray_1_actor"]["labels_per_s"], 3
    )
    results["one_label_a_call_vs_branching"] = round(
        results["one_label_a_call"]["labels_per_s"]
        / results["in_process"]["labeller_labels_per_s"],
        3,
    )
    ratio = results["in_process"]["labeller_vs_raw"]
    results["targets"] = {
        "labeller_vs_raw": {
            "target": TARGET_LABELLER_VS_RAW,
            "value": ratio,
            "met": ratio >= TARGET_LABELLER_VS_RAW,
        }
    }
    return results
