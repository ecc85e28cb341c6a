"""Fuzz benchmark: fuzzed observations through ``main.py``, loaded as kaggle-environments loads it.

The agent file is loaded by kaggle-environments' own ``build_agent`` (it executes the file on the
first call and calls its last callable, with the configuration as a ``Struct``), and is handed
``n`` observations and configurations drawn by hypothesis from :mod:`llm20q.fuzzing` (a fixed
seed), each structified as the judge does (a dict whose keys the judge's ``Struct`` cannot take,
e.g. "self", is handed over as it is and counted). One agent plays them all, so
its state machine resyncs on nearly every observation, with the real model (the tiny GGUF unless
``--model``) and knowledge folder behind it. Every observation is a new game for the model, so
each model call evaluates its whole chat: unless ``LLM20Q_N_CTX`` says otherwise, the agent runs
with ``n_ctx`` 2048 (each chat condensed to 1024 tokens) to keep 10,000 observations within
about an hour on two CPU cores.

Counted: exceptions that escaped the agent function (target 0), illegal actions (target 0; the
judge's rules, and ours for observations that validate), actions from ``main.py``'s last resort,
and the agent's fallbacks and time-saving decisions by cause (:mod:`agent.events`), with the
seconds per observation. The agent's one-line logs are silenced while it runs (they are counted).
"""

from __future__ import annotations

import io
import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from contextlib import redirect_stderr
from pathlib import Path
from typing import Any
from unittest.mock import patch

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed

from agent import events
from agent.runtime import process_backend
from agent.settings import AgentSettings
from llm20q.fuzzing import configurations, illegal_reason, observations
from llm20q.stats import median_p95_max

MAIN_PY_FALLBACK = "fallback main-py-error"  # the line main.py prints when it plays "yes"
FUZZ_N_CTX = 2048
PROGRESS_EVERY = 500  # observations between progress lines on stderr


def load_agent(main: Path) -> Callable[[Any, Any], Any]:
    """The agent function kaggle-environments makes of ``main`` (executed on the first call)."""
    from llm20q.judge import kaggle_environments

    agent, _ = kaggle_environments().agent.build_agent(str(main), {}, "llm_20_questions")
    return agent  # type: ignore[no-any-return]


def run(agent_settings: AgentSettings, *, main: str, n: int, seed: int = 0) -> dict[str, Any]:
    path = Path(main).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"agent file not found: {path}")
    # main.py reads its settings from the environment: set for this run only, so a caller (a
    # test session) does not pass them on to later agents or subprocesses.
    overrides = {"LLM20Q_N_CTX": os.environ.get("LLM20Q_N_CTX", str(FUZZ_N_CTX))}
    if agent_settings.model_path is not None:
        overrides["LLM20Q_MODEL_PATH"] = str(agent_settings.model_path)
    with patch.dict(os.environ, overrides):
        return _run(path, n, seed)


def _run(path: Path, n: int, seed: int) -> dict[str, Any]:
    from llm20q.judge import kaggle_environments

    structify = kaggle_environments().utils.structify
    agent = load_agent(path)
    counts: Counter[str] = Counter()
    illegal: Counter[str] = Counter()
    examples: list[str] = []
    seconds: list[float] = []
    before = Counter(events.COUNTS)
    quiet = logging.getLogger("agent")
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False

    @settings_for(n)
    @hypothesis_seed(seed)
    @given(observations(), configurations())
    def one(raw: Any, configuration: dict[str, Any]) -> None:
        counts["observations"] += 1
        if counts["observations"] % PROGRESS_EVERY == 0:
            print(f"fuzz: {counts['observations']}/{n}", file=sys.stderr, flush=True)
        try:
            observation = structify(raw) if isinstance(raw, dict) else raw
        except TypeError:  # a key such as "self" that the judge's own Struct cannot take
            observation = raw  # the judge could never send it; the agent gets the dict as it is
            counts["not_structified"] += 1
        stderr = io.StringIO()
        started = time.perf_counter()
        try:
            with redirect_stderr(stderr):
                action = agent(observation, structify(dict(configuration)))
        except Exception as error:  # noqa: BLE001 - counted: the target is none
            counts["escaped_exceptions"] += 1
            examples.append(f"{type(error).__name__}: {error}"[:200])
            return
        finally:
            seconds.append(time.perf_counter() - started)
        counts["main_py_last_resort"] += stderr.getvalue().count(MAIN_PY_FALLBACK)
        reason = illegal_reason(raw, action)
        if reason is not None:
            illegal[reason] += 1
            examples.append(f"{reason}: {action!r}"[:200])

    try:
        one()
    finally:
        quiet.propagate = True
    decisions = Counter(events.COUNTS)
    decisions.subtract(before)
    backend = process_backend()
    loaded = backend.loaded if backend is not None else None
    results: dict[str, Any] = {
        "main": str(path),
        "n_ctx": os.environ["LLM20Q_N_CTX"],
        "observations": counts["observations"],
        "not_structified": counts["not_structified"],
        "model_calls": len(getattr(loaded, "calls", ())),
        "escaped_exceptions": counts["escaped_exceptions"],
        "illegal_actions": sum(illegal.values()),
        "illegal_by_reason": dict(illegal),
        "main_py_last_resort": counts["main_py_last_resort"],
        "fallbacks_by_cause": by_cause(decisions, events.FALLBACK),
        "time_decisions_by_cause": by_cause(decisions, events.TIME),
        "seconds_per_observation": median_p95_max(seconds),
        "examples": examples[:10],
    }
    results["targets"] = {
        name: {"target": 0, "value": results[name], "met": results[name] == 0}
        for name in ("escaped_exceptions", "illegal_actions")
    }
    return results


def settings_for(n: int) -> Callable[[Any], Any]:
    """Hypothesis settings for ``n`` drawn examples: generation only (nothing fails, so nothing
    to shrink), no example database, no deadline or health checks."""
    return settings(
        max_examples=n,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def by_cause(decisions: Counter[tuple[str, str]], kind: str) -> dict[str, int]:
    return {cause: n for (noted, cause), n in sorted(decisions.items()) if noted == kind and n}
