"""Doctor checks of how fast a model plays here: its speed, and its slowest move against Kaggle's
60 s.

- speed: prompt and generation tokens/s on this machine (:func:`llm20q.bench.speed.measure`),
  beside the machine's load (:class:`llm20q.bench.speed.Load`). With several threads and a
  llama.cpp built without OpenMP, generation is measured again with one thread: when one thread
  is faster, ggml's thread pool is spinning on busy cores (each thread waits at every barrier
  for one the kernel has not scheduled; up to 5x slower here), and the check warns; on busy
  cores it names the trap even when this measurement did not catch it. With one thread on busy
  cores it says why one is right.
- slowest move: the longest chat of a game (:func:`llm20q.doctor.model.longest_chats`) evaluated
  from scratch plus a full question, at the measured speed. Over 60 s on a CPU the model needs
  Kaggle's T4 (``gpu``); over 60 s on a GPU it fails.

Shortcut: speed is measured on this machine, which for a model meant for the T4 says little
about the T4; the load is the 1-minute load average when the measurement started.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from agent.settings import AgentSettings
from llm20q.bench.speed import Load, measure, openmp_build, runs_on_gpu
from llm20q.doctor.checks import Check, fail, gpu_only, ok, warn

KAGGLE_MOVE_SECONDS = 60.0
SPINNING_RATIO = 1.2  # one thread this much faster than several: the pool is spinning


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def speed_check(
    result: dict[str, Any], openmp: bool, on_gpu: bool, one_thread_gen: float | None
) -> Check:
    """The speed row from a measurement (``result`` of :func:`measure`, with its load), whether
    llama.cpp has OpenMP, runs on a GPU, and the one-thread generation speed when measured."""
    load = Load(result["load_average"], result["cores"])
    threads = int(result["threads"])
    busy = load.busy(threads)
    where = "GPU" if on_gpu else "CPU"
    detail = (
        f"prompt {result['prompt_tokens_per_s']:,.1f} tokens/s, generation "
        f"{result['gen_tokens_per_s']:,.1f} tokens/s on this machine's {where} with "
        f"{_plural(threads, 'thread')}; {load.text}"
        + (" (busy: other work slows these figures down)" if busy else "")
    )
    values = {**result, "busy": busy, "openmp": openmp, "on_gpu": on_gpu,
              "one_thread_gen_tokens_per_s": one_thread_gen}  # fmt: skip
    if one_thread_gen is not None:
        if one_thread_gen > SPINNING_RATIO * result["gen_tokens_per_s"]:
            return warn(
                "speed",
                f"{detail}. One thread generates {one_thread_gen:,.1f} tokens/s: this llama.cpp "
                f"is built without OpenMP, so its {threads} threads spin waiting for each other "
                "when the cores are busy",
                "set LLM20Q_N_THREADS=1 on this machine",
                **values,
            )
        detail += f"; one thread: {one_thread_gen:,.1f} tokens/s"
        if busy:
            detail += (
                f". This llama.cpp has no OpenMP: on busy cores its {threads} threads can spin "
                "waiting for each other (up to 5x slower than one); if moves slow down, set "
                "LLM20Q_N_THREADS=1"
            )
    elif busy and not openmp and not on_gpu and threads == 1:
        detail += (
            ". One thread is right here: this llama.cpp has no OpenMP, and more threads would "
            "spin waiting for each other on the busy cores"
        )
    return ok("speed", detail, **values)


def check_speed(path: Path, settings: AgentSettings) -> tuple[Check, dict[str, Any]]:
    """Measure (and, with several threads and no OpenMP, measure one thread too)."""
    result = measure(path, settings, prompt_tokens=128, gen_tokens=32, repeats=3)
    openmp, on_gpu = openmp_build(), runs_on_gpu(settings)
    one_thread_gen = None
    if result["threads"] > 1 and not openmp and not on_gpu:
        single = settings.model_copy(update={"n_threads": 1})
        one = measure(path, single, prompt_tokens=32, gen_tokens=16, repeats=1)
        one_thread_gen = float(one["gen_tokens_per_s"])
    return speed_check(result, openmp, on_gpu, one_thread_gen), result


def check_move_time(
    speed: dict[str, Any], guesser_tokens: int, settings: AgentSettings, on_gpu: bool
) -> Check:
    """The slowest move at ``speed``: the longest guesser chat (``guesser_tokens``, its reply
    included) evaluated from scratch."""
    generated = settings.max_question_tokens
    prompt = guesser_tokens - generated
    seconds = prompt / speed["prompt_tokens_per_s"] + generated / speed["gen_tokens_per_s"]
    load = Load(speed["load_average"], speed["cores"])
    where = "GPU" if on_gpu else "CPU"
    detail = (
        f"the slowest move (a {prompt:,}-token chat read from scratch, then {generated} tokens "
        f"written) takes about {seconds:,.0f} s on this machine's {where} at the speed above "
        f"({load.text}); Kaggle allows {KAGGLE_MOVE_SECONDS:.0f} s a move"
    )
    values = {"seconds": round(seconds, 2), "prompt_tokens": prompt, "on_gpu": on_gpu}
    if seconds <= KAGGLE_MOVE_SECONDS:
        return ok("slowest move", detail, **values)
    busy = " with busy cores" if load.busy(int(speed["threads"])) else ""
    summary = (
        f"about {seconds:,.0f} s on this machine's {where}{busy}, where Kaggle allows "
        f"{KAGGLE_MOVE_SECONDS:.0f} s a move"
    )
    if on_gpu:
        slow = fail(
            "slowest move",
            detail + ", even on a GPU",
            "choose a smaller model or quantisation, or lower LLM20Q_N_CTX",
            **values,
        )
    else:
        slow = gpu_only(
            "slowest move",
            detail + ": this model needs Kaggle's T4",
            "submit the GPU build (build_submission.sh --cuda), or choose a smaller model",
            **values,
        )
    return replace(slow, summary=summary)
