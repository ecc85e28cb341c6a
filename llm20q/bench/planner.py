"""Planner benchmark: milliseconds per planner move, against the target p95 <= 50 ms.

:func:`run` (``llm20q bench planner``) plays simulated games (:func:`llm20q.eval.simulated.play`)
of the planner guesser against the table-only answerer on the knowledge folder's own answers
(rules for spelling questions, the table for bank questions; no LLM: an unlabelled question is
answered "no"), for keywords drawn from the lexicon by prior, in both modes: Agent Alpha
(handshake answered yes) and Bayesian (no handshake, information gain over the bank). It reports
the milliseconds of the ask and guess moves (median, p95, max; the one-off load of the knowledge
folder and the planner index is reported apart) and checks the target: p95 <= 50 ms per move
with >= 100k candidates.

Shortcuts: wall-clock times on whatever else the machine is running; keywords come from the
lexicon itself (every one is a candidate), and guesses are matched by the local re-implementation
of the judge's matching.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from agent.planner.knowledge import shared_knowledge
from agent.settings import AgentSettings
from llm20q.eval.simulated import (
    add_settings_arguments,
    local_guessed,
    play,
    print_json,
    settings_from_arguments,
    simulated_seats,
)
from llm20q.stats import median_p95_max

TARGET_MS = 50.0
MIN_CANDIDATES = 100_000


def run(settings: AgentSettings, *, games: int = 20, seed: int = 0) -> dict[str, Any]:
    """Milliseconds per move over ``games`` simulated games in each mode (see the module
    docstring), with the ``targets`` entry the bench command checks."""
    knowledge = shared_knowledge(settings)
    if not knowledge.available:
        raise RuntimeError("no knowledge folder: run `llm20q kb build`")
    started = time.perf_counter()
    kb = knowledge.kb
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    index = knowledge.index
    index_s = time.perf_counter() - started
    if kb is None or index is None:
        raise RuntimeError(f"the knowledge folder {knowledge.folder} could not be loaded")
    rng = np.random.default_rng(seed)
    picks = rng.choice(index.n, size=games, replace=False, p=index.prior)
    keywords = [kb.candidates[i] for i in picks.tolist()]
    results: dict[str, Any] = {
        "knowledge": str(knowledge.folder),
        "candidates": index.n,
        "table_questions": len(kb.questions),
        "top_k": settings.planner_top_k,
        "load_seconds": round(load_s, 3),
        "index_seconds": round(index_s, 3),
        "games_per_mode": games,
    }
    worst = 0.0
    for mode, handshake in (("alpha", True), ("bayes", False)):
        mode_settings = settings.model_copy(update={"planner_handshake": handshake})
        ask: list[float] = []
        guess: list[float] = []
        solved: list[int] = []
        for keyword in keywords:
            guesser, answerer = simulated_seats(mode_settings, table_only=True)
            game = play(guesser, answerer, keyword, local_guessed(keyword))
            ask += game.ask_ms
            guess += game.guess_ms
            if game.solved:
                solved.append(game.rounds)
        results[mode] = {
            "ask_ms": median_p95_max(ask),
            "guess_ms": median_p95_max(guess),
            "moves": len(ask) + len(guess),
            "solved": f"{len(solved)}/{len(keywords)}",
            "mean_rounds_solved": round(statistics.mean(solved), 2) if solved else None,
        }
        worst = max(worst, results[mode]["ask_ms"]["p95"], results[mode]["guess_ms"]["p95"])
    results["targets"] = {
        "p95_ms_per_move": {
            "target": TARGET_MS,
            "value": worst,
            "met": worst <= TARGET_MS and index.n >= MIN_CANDIDATES,
        }
    }
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m llm20q.bench.planner``: :func:`run` with the knowledge folder and settings
    overrides the ``llm20q bench`` command does not offer."""
    parser = argparse.ArgumentParser(prog="python -m llm20q.bench.planner", description=__doc__)
    parser.add_argument("--games", type=int, default=20, help="games per mode")
    parser.add_argument("--seed", type=int, default=0, help="seed of the keyword draw")
    add_settings_arguments(parser)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    results = run(settings_from_arguments(args), games=args.games, seed=args.seed)
    print_json(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
