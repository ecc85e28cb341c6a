"""KV-cache benchmark: what a hot cache saves, and whether self-play keeps every seat's cache.

Both parts play the plain LLM strategy with the LLM answerer (no planner, no rules), so every
turn goes through the model's cache.

1. The same 20-round game, played by a guesser seat against a fixed answer script, twice: with
   cache reuse (each token evaluated once) and without (every prompt evaluated from scratch).
   Greedy decoding makes both runs ask the same questions, so the ratios compare like with like.
2. One self-play episode of the official judge, four seats in one process on one backend: the
   prompt tokens evaluated a second time (``CallStats.reevaluated_tokens``: condensing, evictions,
   a last token again for its logits) over all tokens evaluated, overall and per turn.

Self-play's evaluated tokens over its final contexts is reported too, not as a target: tokens that
were evaluated once and then left the context are not waste (the answerer replaces its last
question every turn; condensing drops the oldest turns), so the ratio is split into what is
cached at the end, what left the context, and what was evaluated twice (:func:`reevaluation`).

Targets (checked, printed, and written to the JSON): with reuse, evaluated <= 1.02 x context;
time ratio <= 0.2; self-play tokens evaluated twice <= 2% of the evaluated tokens.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.game import Role
from agent.model.files import resolve_model_path
from agent.model.llama_backend import LlamaBackend
from agent.model.protocol import CallStats
from agent.runtime import make_seat
from agent.settings import AgentSettings, Strategy

# The answerer's replies in the scripted game: a fixed, mixed pattern.
ANSWER_SCRIPT = ("no", "yes", "no", "no", "yes", "yes", "no", "yes", "no", "no") * 2
ROUNDS = 20

TARGETS = {"reuse_tokens_per_context": 1.02, "time_ratio": 0.2, "selfplay_reevaluated_share": 0.02}


def reevaluation(calls: Sequence[CallStats], context_tokens: int) -> dict[str, Any]:
    """Tokens evaluated twice over ``calls`` (one backend's): in all, as a share of every token
    evaluated, per turn (calls that evaluated any twice, the worst one) and per session, and the
    evaluated tokens split into those cached at the end (``context_tokens``), those evaluated
    once that left the context, and those evaluated twice."""
    evaluated = sum(call.evaluated_tokens for call in calls)
    again = sum(call.reevaluated_tokens for call in calls)
    worst = max(calls, key=lambda call: call.reevaluated_tokens, default=None)
    sessions: dict[str, dict[str, int]] = {}
    for call in calls:
        row = sessions.setdefault(call.session, {"calls": 0, "evaluated": 0, "reevaluated": 0})
        row["calls"] += 1
        row["evaluated"] += call.evaluated_tokens
        row["reevaluated"] += call.reevaluated_tokens
    return {
        "evaluated_tokens": evaluated,
        "reevaluated_tokens": again,
        "reevaluated_share": round(again / evaluated, 4) if evaluated else 0.0,
        "turns": len(calls),
        "turns_with_reevaluation": sum(call.reevaluated_tokens > 0 for call in calls),
        "worst_turn": {
            "session": worst.session,
            "reevaluated_tokens": worst.reevaluated_tokens,
            "evaluated_tokens": worst.evaluated_tokens,
        }
        if worst is not None and worst.reevaluated_tokens
        else None,
        "cached_at_end": context_tokens,
        "left_context": evaluated - again - context_tokens,
        "sessions": sessions,
    }


@dataclass
class GameCost:
    evaluated_tokens: int
    context_tokens: int
    seconds: float
    reevaluated_tokens: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"evaluated_tokens": self.evaluated_tokens, "context_tokens": self.context_tokens,
                "seconds": round(self.seconds, 3),
                "reevaluated_tokens": self.reevaluated_tokens}  # fmt: skip


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
    return GameCost(
        backend.totals.evaluated_tokens,
        backend.context_tokens(),
        seconds,
        backend.totals.reevaluated_tokens,
    )


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
        "condensed_calls": backend.totals.condensed_calls,
        "evictions": backend.sessions.evictions,
        "reevaluation": reevaluation(backend.calls, backend.context_tokens()),
    }


def run(settings: AgentSettings, *, selfplay: bool = True, cold: bool = True) -> dict[str, Any]:
    """The scripted game with cache reuse (and without it unless ``cold`` is off: with a big
    model it is slow), then the self-play episode unless ``selfplay`` is off."""
    # The cache is what is measured: every turn goes through the model (no planner, no rules).
    settings = settings.model_copy(update={"strategy": Strategy.LLM, "answerer_rules": False})
    model = resolve_model_path(settings)
    results: dict[str, Any] = {"model": model.name}
    for name, reuse in (("reuse", True), ("no_reuse", False))[: 2 if cold else 1]:
        backend = LlamaBackend(model, settings, reuse_cache=reuse)
        results[name] = play_scripted_game(backend, settings).as_dict()
        backend.close()
    hot = results["reuse"]
    if cold:
        scratch = results["no_reuse"]
        results["token_ratio"] = round(hot["evaluated_tokens"] / scratch["evaluated_tokens"], 4)
        results["time_ratio"] = round(hot["seconds"] / scratch["seconds"], 4)
    results["reuse_tokens_per_context"] = round(hot["evaluated_tokens"] / hot["context_tokens"], 4)
    if selfplay:
        results["selfplay"] = selfplay_cost(settings, model)
        sp = results["selfplay"]
        results["selfplay_tokens_per_context"] = round(
            sp["evaluated_tokens"] / sp["context_tokens"], 4
        )
        results["selfplay_reevaluated_share"] = sp["reevaluation"]["reevaluated_share"]
    results["targets"] = {
        key: {"target": limit, "value": results[key], "met": results[key] <= limit}
        for key, limit in TARGETS.items()
        if key in results
    }
    return results
