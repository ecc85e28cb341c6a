"""Labelling shards on Ray: one model per actor, each shard to the next free actor.

:func:`label_on_ray` starts Ray (a local one by default; ``address="auto"`` joins a running
cluster), creates ``actors`` :class:`LabelWorker` actors, each loading the GGUF once with
``threads`` llama.cpp threads (and ``gpus`` GPUs: all layers offloaded), and keeps two shards in
flight per actor so an actor never waits for the driver. The driver writes every finished shard
into the run folder at once (:class:`llm20q.kb.label.plan.RunFolder`), so killing the run loses
only the shards in flight: running it again labels the rest. SIGTERM stops the run cleanly (Ray
shut down, finished shards kept).

Workers import this project from the driver's checkout (``PYTHONPATH`` in the job's runtime
environment); on a cluster every node needs the project installed and the GGUF at the same path.

Shortcuts: no retries (an actor that dies fails the run; run it again to resume); a shard's
keywords travel with each call (a few hundred kB at most), the question prefix is evaluated once
per shard (then kept while the actor's next shard asks the same question).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import numpy as np
import numpy.typing as npt

from agent.settings import PROJECT_DIR
from llm20q.kb.label.plan import LabelPlan, RunFolder, Shard
from llm20q.progress import progress_bar

IN_FLIGHT_PER_ACTOR = 2
OBJECT_STORE_BYTES = 200 * 1024 * 1024  # local Ray: shards are small, keep RAM for the models


@dataclass(frozen=True)
class WorkerOptions:
    """How each actor loads the model."""

    model: Path
    threads: int = 1
    gpus: float = 0.0
    lanes: int = 32  # keywords a decode holds
    n_batch: int = 512  # tokens a decode holds


@dataclass(frozen=True)
class ShardResult:
    """What an actor returns for a shard."""

    probs: npt.NDArray[np.float32]
    seconds: float
    evaluated_tokens: int
    worker: int


class LabelWorker:
    """A Ray actor's state: the GGUF loaded once, labelling one shard per call."""

    def __init__(self, options: WorkerOptions, worker: int) -> None:
        from agent.model.llama_branching import LlamaBranchingBackend
        from agent.policies.prompts import load_prompts
        from llm20q.kb.label.labeller import labeller_settings

        settings = labeller_settings(
            options.model,
            options.threads,
            lanes=options.lanes,
            n_batch=options.n_batch,
            gpu_layers=-1 if options.gpus > 0 else 0,
        )
        self.backend = LlamaBranchingBackend(options.model, settings)
        self.prompts = load_prompts()
        self.worker = worker

    def label(self, question: str, keywords: list[str]) -> ShardResult:
        from llm20q.kb.label.labeller import label_keywords

        started = time.perf_counter()
        before = self.backend.totals.evaluated_tokens
        probs = label_keywords(self.backend, question, keywords, len(keywords), self.prompts)
        return ShardResult(
            probs,
            time.perf_counter() - started,
            self.backend.totals.evaluated_tokens - before,
            self.worker,
        )


@dataclass
class RunStats:
    """Counts and times of one :func:`label_on_ray` call (JSON-ready with ``as_dict``)."""

    actors: int
    threads_per_actor: int
    shards: int = 0
    labels: int = 0
    evaluated_tokens: int = 0
    ray_start_s: float = 0.0
    labelling_s: float = 0.0
    busy_s: dict[int, float] = field(default_factory=dict)
    labels_by_actor: dict[int, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        rate = self.labels / self.labelling_s if self.labelling_s else None
        return {
            "actors": self.actors,
            "threads_per_actor": self.threads_per_actor,
            "shards": self.shards,
            "labels": self.labels,
            "evaluated_tokens": self.evaluated_tokens,
            "tokens_per_label": round(self.evaluated_tokens / self.labels, 2)
            if self.labels
            else None,
            "ray_start_s": round(self.ray_start_s, 2),
            "labelling_s": round(self.labelling_s, 2),
            "labels_per_s": round(rate, 2) if rate else None,
            "actor_labels_per_busy_s": {
                str(w): round(self.labels_by_actor[w] / s, 2) for w, s in self.busy_s.items() if s
            },
        }


def _stop(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _start_ray(address: str | None, cpus: int) -> None:
    import ray

    runtime_env = {"env_vars": {"PYTHONPATH": str(PROJECT_DIR)}}
    if address:
        ray.init(address=address, runtime_env=runtime_env, log_to_driver=False)
    else:
        ray.init(
            num_cpus=max(cpus, os.cpu_count() or 1),
            include_dashboard=False,
            log_to_driver=False,
            object_store_memory=OBJECT_STORE_BYTES,
            runtime_env=runtime_env,
        )


def label_on_ray(
    plan: LabelPlan,
    run: RunFolder,
    options: WorkerOptions,
    *,
    actors: int = 2,
    address: str | None = None,
    progress: bool = True,
) -> RunStats:
    """Label every shard of ``plan`` not yet in ``run`` with ``actors`` Ray actors."""
    import ray
    from ray.exceptions import RayError

    stats = RunStats(actors=actors, threads_per_actor=options.threads)
    todo: deque[Shard] = deque(run.todo(plan))
    if not todo:
        return stats
    if actors < 1:
        raise ValueError("--actors must be at least 1")
    started = time.perf_counter()
    _start_ray(address, actors * options.threads)
    # after ray.init, which installs its own SIGTERM handler (it would exit without cleanup)
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        remote = ray.remote(num_cpus=options.threads, num_gpus=options.gpus)(LabelWorker)
        workers = [remote.remote(options, w) for w in range(actors)]  # type: ignore[attr-defined]
        stats.ray_start_s = time.perf_counter() - started
        pending: dict[Any, tuple[Shard, Any]] = {}

        def submit(worker: Any) -> None:
            shard = todo.popleft()
            keywords = list(plan.candidates[shard.start : shard.stop])
            ref = worker.label.remote(plan.questions[shard.question], keywords)
            pending[ref] = (shard, worker)

        for _ in range(IN_FLIGHT_PER_ACTOR):
            for worker in workers:
                if todo:
                    submit(worker)
        labelling = time.perf_counter()
        with progress_bar(len(todo) + len(pending), "label", "shard", shown=progress) as bar:
            while pending:
                ready, _ = ray.wait(list(pending), num_returns=1)
                shard, worker = pending.pop(ready[0])
                result: ShardResult = ray.get(ready[0])
                run.write(shard, result.probs)
                stats.shards += 1
                stats.labels += shard.size
                stats.evaluated_tokens += result.evaluated_tokens
                stats.busy_s[result.worker] = stats.busy_s.get(result.worker, 0.0) + result.seconds
                stats.labels_by_actor[result.worker] = (
                    stats.labels_by_actor.get(result.worker, 0) + shard.size
                )
                bar.update(1)
                if todo:
                    submit(worker)
        stats.labelling_s = time.perf_counter() - labelling
    except (KeyboardInterrupt, SystemExit):
        print(
            f"stopped after {stats.shards} shards this run; the same command resumes",
            file=sys.stderr,
        )
        raise
    except RayError as error:
        first = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
        raise RuntimeError(f"a labelling actor failed: {first}") from error
    finally:
        ray.shutdown()
        signal.signal(signal.SIGTERM, previous)
        sys.stderr.flush()
    return stats
