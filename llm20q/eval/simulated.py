"""Simulated games, in process and without a model: the planner guesser against an answerer.

:func:`simulated_selfplay` plays one team per keyword (the official list or a keyword file, see
:mod:`llm20q.keywords`): seats built by ``agent.runtime.make_seat`` with a backend that must not
be used (:func:`no_model`), so the guesser is the planner and the answerer is the rule-first one
(or :class:`TableOnlyAnswerer`: rules, then the knowledge table, else "no"). Each guess is decided
by the official judge's own ``keyword_guessed`` (kaggle-environments' module, its keyword and
alternatives set as ``llm20q.judge.run_episode`` does), or by :func:`local_guessed`, the same
matching re-implemented with ``judge_variants`` (no kaggle_environments import).
``--baseline-answerer`` loads the model for a plain LLM answerer instead.

``python -m llm20q.eval.simulated --keywords official --count 100`` prints the results as JSON.
:func:`play` is also the game loop of the planner benchmark (:mod:`llm20q.bench.planner`).

Shortcut: one team only, and the judge's turn loop is mirrored in process (questions cut to 750
characters, guesses to 100; an answer other than yes/no ends the game) instead of running
``env.run``, which is 100x slower.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.game import GUESS_LIMIT, MAX_ROUNDS, QUESTION_LIMIT, SeatState, judge_variants
from agent.kinds import rule_answer
from agent.model.protocol import ChatBackend
from agent.planner.knowledge import SharedKnowledge, shared_knowledge
from agent.policies.answerer import RuleFirstAnswerer
from agent.policies.base import AnswererPolicy
from agent.policies.planner import PlannerGuesser
from agent.runtime import make_seat
from agent.seat import Seat
from agent.settings import AgentSettings
from llm20q.keywords import Keyword, pick_keywords
from llm20q.stats import median_p95_max

Guessed = Callable[[str], bool]


class NoModel:
    """A backend that must not be used: the planner and the rules should need no model."""

    def generate(self, *_args: object, **_kwargs: object) -> str:
        raise RuntimeError("the simulation has no model")

    def yes_probability(self, *_args: object, **_kwargs: object) -> float:
        raise RuntimeError("the simulation has no model")


def no_model() -> ChatBackend:
    return NoModel()


@dataclass
class GameResult:
    """One simulated game: the transcript and the milliseconds of every guesser move."""

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
        answer = answerer.act(obs("answerer", "answer")).lower()
        # The judge's own parsing: "yes" anywhere wins, then "no"; anything else ends the game.
        a.append("yes" if "yes" in answer else "no" if "no" in answer else "")
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
    from llm20q.judge import judge_module

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


def simulated_seats(
    settings: AgentSettings,
    table_only: bool,
    answerer_settings: AgentSettings | None = None,
    backend: Callable[[], ChatBackend] = no_model,
) -> tuple[Seat, Seat]:
    """A fresh (guesser, answerer) pair; ``table_only`` swaps in :class:`TableOnlyAnswerer`."""
    guesser = make_seat("g", settings, backend)
    answerer = make_seat("a", answerer_settings or settings, backend)
    if table_only:
        answerer.policies.answerer = TableOnlyAnswerer(shared_knowledge(settings))
    return guesser, answerer


def simulated_selfplay(
    settings: AgentSettings,
    keywords: Sequence[Keyword],
    *,
    official_judge: bool = True,
    table_only: bool = False,
    answerer_settings: AgentSettings | None = None,
    backend: Callable[[], ChatBackend] = no_model,
) -> dict[str, Any]:
    """Planner guesser vs an answerer (by default the rule-first one, same settings, no model)
    on each keyword, one team; the summary as a JSON-ready dict."""
    check = official_guessed if official_judge else local_guessed
    rows: list[GameResult] = []
    handed_over = 0
    started = time.perf_counter()
    for keyword in keywords:
        guesser, answerer = simulated_seats(settings, table_only, answerer_settings, backend)
        rows.append(play(guesser, answerer, keyword.keyword, check(keyword.keyword, keyword.alts)))
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
        "ms_per_move": median_p95_max(moves),
        "seconds": round(time.perf_counter() - started, 1),
        "handshake_answered_yes": sum(r.answers[:1] == ["yes"] for r in rows),
        "unsolved": [r.keyword for r in rows if not r.solved],
    }


# ------------------------------------------------------------------------------ command line
def add_settings_arguments(parser: argparse.ArgumentParser) -> None:
    """``--knowledge`` and ``--set`` (shared with the planner benchmark's command line)."""
    parser.add_argument("--knowledge", help="knowledge folder (default: the settings' search)")
    parser.add_argument("--set", action="append", default=[], help="setting=value (repeatable)")


def settings_from_arguments(args: argparse.Namespace, **fixed: Any) -> AgentSettings:
    """The settings (environment included) with the overrides of :func:`add_settings_arguments`,
    then ``fixed``."""
    overrides: dict[str, Any] = {}
    for item in args.set:
        name, equals, value = item.partition("=")
        if not equals:
            raise ValueError(f"--set {item!r}: expected setting=value")
        overrides[name.strip()] = value  # pydantic converts the text to the setting's type
    if args.knowledge:
        overrides["knowledge_dir"] = Path(args.knowledge)
    return AgentSettings(**{**overrides, **fixed})


def print_json(results: dict[str, Any], path: str | None) -> None:
    """Print ``results`` as indented JSON, and write the same text to ``path`` when given."""
    text = json.dumps(results, indent=2)
    if path:
        Path(path).write_text(text + "\n", encoding="utf-8")
    print(text)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m llm20q.eval.simulated``: :func:`simulated_selfplay`, results as JSON."""
    parser = argparse.ArgumentParser(
        prog="python -m llm20q.eval.simulated",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--keywords", default="official", help="'official' or a keyword file")
    parser.add_argument("--count", type=int, default=100, help="keywords (0 = all)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the keyword order")
    parser.add_argument(
        "--local-judge",
        action="store_true",
        help="match guesses locally (no kaggle_environments import)",
    )
    parser.add_argument(
        "--baseline-answerer",
        action="store_true",
        help="the answerer is the plain LLM one (loads the model)",
    )
    parser.add_argument(
        "--no-handshake", action="store_true", help="no Agent Alpha handshake (Bayesian mode only)"
    )
    add_settings_arguments(parser)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    settings = settings_from_arguments(
        args, **({"planner_handshake": False} if args.no_handshake else {})
    )
    # A seeded order, each keyword once: repeating one replays the same deterministic game.
    keywords = pick_keywords(args.keywords, None, args.seed)
    if args.count > 0:
        keywords = keywords[: args.count]
    answerer_settings = None
    backend: Callable[[], ChatBackend] = no_model
    if args.baseline_answerer:
        from agent.runtime import LazyBackend

        answerer_settings = settings.model_copy(update={"answerer_rules": False})
        backend = LazyBackend(settings)
    results = simulated_selfplay(
        settings,
        keywords,
        official_judge=not args.local_judge,
        answerer_settings=answerer_settings,
        backend=backend,
    )
    print_json(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
