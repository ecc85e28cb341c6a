"""KV-cache benchmark: what a hot cache saves, and whether self-play keeps every seat's cache.

Both parts play the plain LLM strategy with the LLM answerer (no planner, no rules), so every
turn goes through the model's cache.

1. The same 20-round game, played by a guesser seat against a fixed answer script, twice: with
   cache reuse (each token evaluated once) and without (every prompt evaluated from scratch).
   Greedy decoding makes both runs ask the same questions, so the ratios compare like with like.
2. One self-play episode of the official judge, four seats in one process on one backend: the
   tokens evaluated against the tokens in the seats' final contexts.

Targets (checked, printed, and written to the JSON): with reuse, evaluated <= 1.02 x context;
time ratio <= 0.2; self-play evaluated <= 1.10 x context.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.game import Role
from agent.model.files import resolve_model_path
from agent.model.llama_backend import LlamaBackend
from agent.runtime import make_seat
from agent.settings import AgentSettings, Strategy

# The answerer's replies in the scripted game: a fixed, mixed pattern.
ANSWER_SCRIPT = ("no", "yes", "no", "no", "yes", "yes", "no", "yes", "no", "no") * 2
ROUNDS = 20

TARGETS = {"reuse_tokens_per_context": 1.02, "time_ratio": 0.2, "selfplay_tokens_per_context": 1.10}


@dataclass
class GameCost:
    evaluated_tokens: int
    context_tokens: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {"evaluated_tokens": self.evaluated_tokens, "context_tokens": self.context_tokens,
                "seconds": round(self.seconds, 3)}  # fmt: skip


def play_scripted_game(backend: LlamaBackend, settings: AgentSettings) -> GameCost:
    """A guesser seat plays ``ROUNDS`` rounds (ask + guess) against ``ANSWER_SCRIPT``."""
    seat = make_seat("bench", settings, lambda: backend)
    questions: list[str] = []
    answers: list[str] = []
    guesses: list[str] = []

    def observation(turn: str) -> dict[str, Any]:
        return {"role": "guesser", "turnType": turn, "questions": list(questions),
                "answers": list(answers), "guesses": list(guesses)}  # fmt: skip

    started = time.perf_counter()
    for answer in ANSWER_SCRIPT[:ROUNDS]:
        questions.append(seat.act(observation("ask")))
        answers.append(answer)
        guesses.append(seat.act(observation("guess")))
    seconds = time.perf_counter() - started
    assert seat.states[Role.GUESSER].resyncs == 0
    return GameCost(backend.totals.evaluated_tokens, backend.context_tokens(), seconds)


def selfplay_cost(settings: AgentSettings, model: Path) -> dict[str, Any]:
    """One official episode with four seats on one backend."""
    from agent.runtime import LazyBackend
    from llm20q.judge import run_episode, seat_agents
    from llm20q.keywords import Keyword

    lazy = LazyBackend(settings.model_copy(update={"model_path": model}))
    episode = run_episode(seat_agents(lazy, lazy.settings), Keyword("Toaster", "things"))
    backend = lazy()
    assert isinstance(backend, LlamaBackend)
    return {
        "evaluated_tokens": backend.totals.evaluated_tokens,
        "context_tokens": backend.context_tokens(),
        "seconds": round(episode.seconds, 3),
        "statuses": list(episode.statuses),
    }


def run(settings: AgentSettings, *, selfplay: bool = True) -> dict[str, Any]:
    # The cache is what is measured: every turn goes through the model (no planner, no rules).
    settings = settings.model_copy(update={"strategy": Strategy.LLM, "answerer_rules": False})
    model = resolve_model_path(settings)
    results: dict[str, Any] = {"model": model.name}
    for name, reuse in (("reuse", True), ("no_reuse", False)):
        backend = LlamaBackend(model, settings, reuse_cache=reuse)
        results[name] = play_scripted_game(backend, settings).as_dict()
        backend.close()
    hot, cold = results["reuse"], results["no_reuse"]
    results["token_ratio"] = round(hot["evaluated_tokens"] / cold["evaluated_tokens"], 4)
    results["time_ratio"] = round(hot["seconds"] / cold["seconds"], 4)
    results["reuse_tokens_per_context"] = round(hot["evaluated_tokens"] / hot["context_tokens"], 4)
    if selfplay:
        results["selfplay"] = selfplay_cost(settings, model)
        sp = results["selfplay"]
        results["selfplay_tokens_per_context"] = round(
            sp["evaluated_tokens"] / sp["context_tokens"], 4
        )
    results["targets"] = {
        key: {"target": limit, "value": results[key], "met": results[key] <= limit}
        for key, limit in TARGETS.items()
        if key in results
    }
    return results
