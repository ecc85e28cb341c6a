"""Context benchmark: 20 rounds of 750-character questions never overflow the context.

Seats of the plain LLM strategy with the LLM answerer on its chat prompt (every turn goes through
the model, and every chat carries the game's history) play
20 rounds in which every question is 750 characters long (the judge's limit), on the real GGUF
with the agent's context settings:

- ``kaggle_guesser`` and ``kaggle_answerer``: one seat alone in its process, as on Kaggle;
- ``selfplay``: four seats (two guessers, two answerers) on one backend, as in self-play.

The guessers' observations carry the long questions as the judge recorded them, so their chats
hold them twice a round (as the question asked and in the guess turn); the answerers get them
as the questions to answer. Measured per setup: tokens per session at round 20 and each
session's share of the context, the peak of tokens cached over all sessions, calls that condensed
a history and the prompt tokens they evaluated again, evictions, fallbacks and errors. Targets:
the peak stays within ``n_ctx``, and no move falls back because of the context.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from agent import events
from agent.game import QUESTION_LIMIT
from agent.model.files import resolve_model_path
from agent.model.llama_backend import LlamaBackend
from agent.runtime import make_seat
from agent.seat import Seat
from agent.settings import AgentSettings, AnswererPrompt, Strategy

ROUNDS = 20
ANSWERS = ("no", "yes", "no", "no", "yes")


PARAGRAPH = (
    "usually found in a kitchen or a garage, made of metal, wood or plastic, bigger than a shoebox "
    "but small enough to carry with one hand, used every day by most people at home or at work, "
    "sold in ordinary shops, older than the internet, powered by electricity or by hand, and known "
    "to children as well as to adults"
)


def long_question(number: int) -> str:
    """A distinct English question of exactly ``QUESTION_LIMIT`` characters."""
    filler = PARAGRAPH.split()
    words = [filler[(number * 7 + i) % len(filler)] for i in range(200)]
    head = f"Round {number}: is it something {' '.join(words)}"
    return head[: QUESTION_LIMIT - 1] + "?"


def observation(role: str, turn: str, rounds: int, **extra: Any) -> dict[str, Any]:
    """The judge's observation ``rounds`` rounds in, for ``turn`` (lists in the judge's order)."""
    done = rounds if turn == "ask" else rounds - 1
    answered = rounds if turn == "guess" else done
    return {"role": role, "turnType": turn,
            "questions": [long_question(n) for n in range(1, rounds + 1)],
            "answers": [ANSWERS[n % len(ANSWERS)] for n in range(answered)],
            "guesses": [f"guess {n}" for n in range(done)], **extra}  # fmt: skip


def play_rounds(backend: LlamaBackend, seats: dict[str, Seat], rounds: int = ROUNDS) -> int:
    """Every seat plays ``rounds`` rounds of its role (names starting "g" guess, "a" answer);
    returns the peak of tokens cached over all sessions, checked after every move."""
    peak = 0
    for number in range(1, rounds + 1):
        for name, seat in seats.items():
            if name.startswith("g"):
                seat.act(observation("guesser", "ask", number - 1))
                peak = max(peak, backend.context_tokens())
                seat.act(observation("guesser", "guess", number))
            else:
                seat.act(observation("answerer", "answer", number, keyword="Toaster"))
            peak = max(peak, backend.context_tokens())
    return peak


def measure(settings: AgentSettings, roles: tuple[str, ...]) -> dict[str, Any]:
    """One backend, one seat per role name ("g..." guessers, "a..." answerers), 20 rounds."""
    backend = LlamaBackend(resolve_model_path(settings), settings)
    seats = {name: make_seat(name, settings, lambda: backend) for name in roles}
    before = Counter(events.COUNTS)
    started = time.perf_counter()
    peak = play_rounds(backend, seats)
    seconds = time.perf_counter() - started
    decisions = Counter(events.COUNTS)
    decisions.subtract(before)
    sessions = {
        f"{name}/{'guesser' if name.startswith('g') else 'answerer'}": len(
            backend.session_tokens(f"{name}/{'guesser' if name.startswith('g') else 'answerer'}")
        )
        for name in roles
    }
    result = {
        "n_ctx": backend.n_ctx,
        "session_share": backend.sessions.share(),
        "tokens_per_session_at_round_20": sessions,
        "peak_cached_tokens": peak,
        "condensed_calls": backend.totals.condensed_calls,
        "condensed_reevaluated_tokens": backend.totals.condensed_tokens,
        "evaluated_tokens": backend.totals.evaluated_tokens,
        "evictions": backend.sessions.evictions,
        "errors": sum(seat.errors for seat in seats.values()),
        "decisions": {f"{kind} {cause}": n for (kind, cause), n in sorted(decisions.items()) if n},
        "seconds": round(seconds, 1),
    }
    backend.close()
    return result


def context_fallbacks(result: dict[str, Any]) -> int:
    """Moves that fell back because of the context: errors (a prompt that did not fit)."""
    return int(result["errors"]) + int(result["decisions"].get("fallback policy-error", 0))


def run(settings: AgentSettings) -> dict[str, Any]:
    # Every turn goes through the model: the context is what is measured. The chat answerer
    # prompt carries the game's history (the direct one, the default, only the last question).
    settings = settings.model_copy(
        update={
            "strategy": Strategy.LLM,
            "answerer_rules": False,
            "answerer_prompt": AnswererPrompt.CHAT,
        }
    )
    results: dict[str, Any] = {"question_characters": QUESTION_LIMIT, "rounds": ROUNDS}
    for name, roles in {
        "kaggle_guesser": ("g0",),
        "kaggle_answerer": ("a1",),
        "selfplay": ("g0", "a1", "g2", "a3"),
    }.items():
        results[name] = measure(settings, roles)
    setups = ("kaggle_guesser", "kaggle_answerer", "selfplay")
    results["targets"] = {
        "peak_within_n_ctx": {
            "target": "<= n_ctx",
            "value": [results[s]["peak_cached_tokens"] for s in setups],
            "met": all(results[s]["peak_cached_tokens"] <= results[s]["n_ctx"] for s in setups),
        },
        "context_fallbacks": {
            "target": 0,
            "value": sum(context_fallbacks(results[s]) for s in setups),
            "met": all(context_fallbacks(results[s]) == 0 for s in setups),
        },
    }
    return results
