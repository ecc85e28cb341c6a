"""Where the agent went wrong, once the person has told it the word.

For every answered round, the agent's own answerer says what it would have answered for that
word without a model: the rules (spelling questions) first, then the knowledge table when it is
confident (the same margin the rule-first answerer uses). An answer of the person that differs is
a contradiction: it pushed the posterior away from the word. Then: where the word stood in the
planner's posterior at the end (or that it is not in the lexicon at all), and whether the judge
would have accepted one of the agent's guesses.

Shortcut: guesses are compared with ``agent.game.judge_variants`` (the judge's matching written
from its code), so the review does not import kaggle_environments.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.game import judge_variants
from agent.kinds import rule_answer
from agent.planner.explain import PlannerView
from agent.policies.answerer import RuleFirstAnswerer
from llm20q.play.game import PlayedGame


@dataclass(frozen=True)
class Contradiction:
    round: int
    question: str
    answer: str
    expected: str
    source: str  # "rules" or "table"


def contradictions(
    game: PlayedGame, keyword: str, answerer: RuleFirstAnswerer
) -> list[Contradiction]:
    """Answers that differ from what the agent's rules or table say for ``keyword``."""
    found = []
    for number, played in enumerate(game.rounds, start=1):
        if played.answer not in ("yes", "no"):
            continue
        decided = rule_answer(played.question, keyword)
        source = "rules"
        if decided is None:
            decided = answerer.table_answer(played.question, keyword)
            source = "table"
        if decided is None:
            continue
        expected = "yes" if decided else "no"
        if expected != played.answer:
            found.append(Contradiction(number, played.question, played.answer, expected, source))
    return found


def review(
    game: PlayedGame, keyword: str, answerer: RuleFirstAnswerer, view: PlannerView | None
) -> list[str]:
    """Lines that tell the person where the agent went wrong for ``keyword``."""
    lines = []
    accepted = judge_variants(keyword)
    for number, played in enumerate(game.rounds, start=1):
        if played.guess and judge_variants(played.guess) & accepted:
            lines.append(f"round {number}: my guess {played.guess!r} would have counted.")
    found = contradictions(game, keyword, answerer)
    what = {"rules": "my spelling rules say", "table": "my table says"}
    for c in found:
        lines.append(
            f"round {c.round}: you answered {c.answer} to {c.question!r}; "
            f"{what[c.source]} {c.expected} for {keyword!r}."
        )
    if not found:
        lines.append("none of your answers contradicted my rules or my table.")
    if view is not None:
        standing = view.standing(game.agent_rounds, keyword)
        if standing is None:
            lines.append(
                f"{keyword!r} is not among my {view.lexicon_size:,} candidates: "
                "only the language model could have found it."
            )
        else:
            rank, probability = standing
            lines.append(
                f"at the end {keyword!r} was my candidate #{rank:,} "
                f"(probability {probability:.1%})."
            )
    return lines
