"""Planner benchmark and simulated self-play: milliseconds per move, and how often it solves.

``run(settings)`` (``python -m agent bench planner``) plays simulated games of the planner guesser
against the rule-first answerer on the knowledge folder's own answers (rules for spelling
questions, the table for bank questions; no LLM: an unlabelled question is answered "no"), for
keywords drawn from the lexicon by prior, in both modes: Agent Alpha (handshake answered yes) and
Bayesian (no handshake, information gain over the bank). It reports the milliseconds of the ask
and guess moves (median, p95, max; the one-off load of the knowledge folder and the planner index
is reported apart) and checks the target: p95 <= 50 ms per move with >= 100k candidates.

``python -m bench.planner selfplay`` plays the official keyword list (or a file of keywords) the
same way, seats built by ``agent.runtime.make_seat``, and decides each guess with the official
judge's own ``keyword_guessed`` (kaggle-environments' module, its keyword and alternatives set as
``agent.harness.judge.run_episode`` does). Shortcut: one team only, and the judge's turn loop is
mirrored in process (questions cut to 750 characters, guesses to 100; an answer other than yes/no
ends the game) instead of running ``env.run``, which is 100x slower.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from agent.game import GUESS_LIMIT, MAX_ROUNDS, QUESTION_LIMIT, SeatState
from agent.knowledge.store import judge_variants
from agent.llm import ChatBackend
from agent.planner_policy import (
    PlannerGuesser,
    RuleFirstAnswerer,
    SharedKnowledge,
    shared_knowledge,
)
from agent.policies import AnswererPolicy
from agent.rules import rule_answer
from agent.runtime import make_seat
from agent.seat import Seat
from agent.settings import AgentSettings

TARGET_MS = 50.0
MIN_CANDIDATES = 100_000

Guessed = Callable[[str], bool]


class NoModel:
    """A backend that must not be used: the planner and the rules should need no model."""

    def generate(self, *args: object, **kwargs: object) -> str:
        raise RuntimeError("the simulation has no model")

    def yes_probability(self, *args: object, **kwargs: object) -> float:
        raise RuntimeError("the simulation has no model")


def no_model() -> ChatBackend:
    return NoModel()


@dataclass
class GameResult:
    keyword: str
    solved: bool
    rounds: int
    questions: list[str] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)
    ask_ms: list[float] = field(default_factory=list)
    guess_ms: list[float] = field(default_factory=list)


def play(guesser: Seat, answerer: Seat, keyword: str, guessed: Guessed) -> GameResult:
    """One team's game, the judge's turn order: ask, answer, guess, for up to 20 rounds."""
    result = GameResult(keyword, False, 0)
    q, a, g = result.questions, result.answers, result.guesses

    def obs(role: str, turn: str) -> dict[str, Any]:
        return {"role": role, "turnType": turn, "questions": list(q), "answers": list(a),
                "guesses": list(g), "keyword": keyword if role == "answerer" else "",
                "category": "things", "step": 3 * len(q)}  # fmt: skip

    for _ in range(MAX_ROUNDS):
        started = time.perf_counter()
        q.append(guesser.act(obs("guesser", "ask"))[:QUESTION_LIMIT])
        result.ask_ms.append(1000 * (time.perf_counter() - started))
        answer = answerer.act(obs("answerer", "answer"))
        a.append("yes" if "yes" in answer.lower() else "no" if "no" in answer.lower() else "")
        if not a[-1]:
            break
        started = time.perf_counter()
        g.append(guesser.act(obs("guesser", "guess"))[:GUESS_LIMIT])
        result.guess_ms.append(1000 * (time.perf_counter() - started))
        result.rounds = len(q)
        if guessed(g[-1]):
            result.solved = True
            break
    return result


def local_guessed(keyword: str, alts: Sequence[str] = ()) -> Guessed:
    """The judge's matching re-implemented with ``judge_variants`` (no kaggle_environments)."""
    accepted = set().union(*(judge_variants(k) for k in (keyword, *alts)))
    return lambda guess: bool(judge_variants(guess) & accepted)


def official_guessed(keyword: str, alts: Sequence[str] = ()) -> Guessed:
    """The official judge's own ``keyword_guessed`` for this keyword."""
    from agent.harness.judge import judge_module

    judge = judge_module()

    def check(guess: str) -> bool:
        judge.keyword, judge.alts = keyword, list(alts)
        return bool(judge.keyword_guessed(guess))

    return check


class TableOnlyAnswerer(RuleFirstAnswerer):
    """Rules, then the table with no margin; "no" when neither decides (no model)."""

    def __init__(self, knowledge: SharedKnowledge) -> None:
        super().__init__(knowledge, self._no_model, margin=0.0)

    @staticmethod
    def _no_model() -> AnswererPolicy:
        raise RuntimeError("the simulation has no model")

    def answer(self, state: SeatState) -> str:
        question = state.rounds[-1].question
        decided = rule_answer(question, state.keyword)
        if decided is None:
            decided = self.table_answer(question, state.keyword)
        return "yes" if decided else "no"


def _seats(
    settings: AgentSettings,
    table_only: bool,
    answerer_settings: AgentSettings | None = None,
    backend: Callable[[], ChatBackend] = no_model,
) -> tuple[Seat, Seat]:
    guesser = make_seat("g", settings, backend)
    answerer = make_seat("a", answerer_settings or settings, backend)
    if table_only:
        answerer.policies.answerer = TableOnlyAnswerer(shared_knowledge(settings))
    return guesser, answerer


def _stats(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {"median": 0.0, "p95": 0.0, "max": 0.0}
    arr = np.asarray(values)
    return {
        "median": round(float(np.median(arr)), 2),
        "p95": round(float(np.percentile(arr, 95)), 2),
        "max": round(float(arr.max()), 2),
    }


def run(settings: AgentSettings, *, games: int = 20, seed: int = 0) -> dict[str, Any]:
    """Milliseconds per move over simulated games in both modes (see the module docstring)."""
    knowledge = shared_knowledge(settings)
    if not knowledge.available:
        raise RuntimeError("no knowledge folder: run `python -m agent kb build`")
    started = time.perf_counter()
    kb = knowledge.kb()
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    index = knowledge.index()
    index_s = time.perf_counter() - started
    assert kb is not None and index is not None
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
            guesser, answerer = _seats(mode_settings, table_only=True)
            game = play(guesser, answerer, keyword, local_guessed(keyword))
            ask += game.ask_ms
            guess += game.guess_ms
            if game.solved:
                solved.append(game.rounds)
        results[mode] = {
            "ask_ms": _stats(ask),
            "guess_ms": _stats(guess),
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


# --------------------------------------------------------------------------- simulated self-play


def selfplay(
    settings: AgentSettings,
    keywords: Sequence[tuple[str, Sequence[str]]],
    *,
    official_judge: bool = True,
    table_only: bool = False,
    answerer_settings: AgentSettings | None = None,
    backend: Callable[[], ChatBackend] = no_model,
) -> dict[str, Any]:
    """Planner guesser vs an answerer (by default the rule-first one, same settings, no model)
    on each keyword, one team."""
    rows: list[GameResult] = []
    handed_over = 0
    started = time.perf_counter()
    for keyword, alts in keywords:
        guesser, answerer = _seats(settings, table_only, answerer_settings, backend)
        check = official_guessed if official_judge else local_guessed
        rows.append(play(guesser, answerer, keyword, check(keyword, alts)))
        policy = guesser.policies.guesser
        if isinstance(policy, PlannerGuesser):
            handed_over += policy.handed_over > 0
    solved = [r.rounds for r in rows if r.solved]
    moves = [ms for r in rows for ms in r.ask_ms + r.guess_ms]
    return {
        "keywords": len(rows),
        "solved": len(solved),
        "solved_rate": round(len(solved) / max(1, len(rows)), 4),
        "mean_rounds_solved": round(statistics.mean(solved), 2) if solved else None,
        "median_rounds_solved": statistics.median(solved) if solved else None,
        "games_handed_to_llm": handed_over,
        "ms_per_move": _stats(moves),
        "seconds": round(time.perf_counter() - started, 1),
        "handshake_answered_yes": sum(r.answers[:1] == ["yes"] for r in rows),
        "unsolved": [r.keyword for r in rows if not r.solved],
    }


def _keywords(source: str, count: int, seed: int) -> list[tuple[str, Sequence[str]]]:
    if source == "official":
        from agent.harness.official import official_keywords

        found: list[tuple[str, Sequence[str]]] = [(k.keyword, k.alts) for k in official_keywords()]
    else:
        lines = Path(source).read_text(encoding="utf-8").splitlines()
        found = [(line.strip(), ()) for line in lines if line.strip()]
    random.Random(seed).shuffle(found)
    return found[:count] if count > 0 else found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.planner", description=__doc__)
    parser.add_argument("command", choices=["bench", "selfplay"])
    parser.add_argument("--knowledge", help="knowledge folder (default: the settings' search)")
    parser.add_argument("--keywords", default="official", help="'official' or a file, one a line")
    parser.add_argument("--count", type=int, default=100, help="keywords (0 = all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--games", type=int, default=20, help="bench: games per mode")
    parser.add_argument("--no-handshake", action="store_true", help="Bayesian mode only")
    parser.add_argument("--local-judge", action="store_true", help="skip kaggle_environments")
    parser.add_argument(
        "--baseline-answerer",
        action="store_true",
        help="selfplay: the answerer is the plain LLM one (loads the model)",
    )
    parser.add_argument("--set", action="append", default=[], help="setting=value (repeatable)")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    overrides: dict[str, Any] = dict(item.split("=", 1) for item in args.set)
    if args.knowledge:
        overrides["knowledge_dir"] = Path(args.knowledge)
    if args.no_handshake:
        overrides["planner_handshake"] = False
    settings = AgentSettings(**overrides)
    if args.command == "bench":
        results = run(settings, games=args.games, seed=args.seed)
    else:
        keywords = _keywords(args.keywords, args.count, args.seed)
        answerer_settings = None
        backend: Callable[[], ChatBackend] = no_model
        if args.baseline_answerer:
            from agent.runtime import LazyBackend

            answerer_settings = settings.model_copy(update={"answerer_rules": False})
            backend = LazyBackend(settings)
        results = selfplay(
            settings,
            keywords,
            official_judge=not args.local_judge,
            answerer_settings=answerer_settings,
            backend=backend,
        )
    text = json.dumps(results, indent=2)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
