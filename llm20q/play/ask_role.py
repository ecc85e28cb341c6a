"""``llm20q play --role ask``: the agent holds a keyword, the person asks and guesses.

Each round follows the judge's order: the person types a question, the agent's seat answers it
(the rule-first answerer: spelling rules, then the knowledge table, then the model), and the
person types a guess; Enter takes the default shown in the prompt (the planner's most probable
candidate, the top of the side panel). ``q`` (or ``quit``, ``exit``) at either prompt leaves, as
does Ctrl-D; a question that is only "q" is never played. Whether a guess (or a question: the
judge checks every guesser action) names the keyword is decided by kaggle-environments' own
``keyword_guessed``, with the judge's globals set to this keyword (:func:`judge_guessed`);
kaggle_environments is imported in the background while the person types, since it takes about
14 s.

Each answer records who really gave it (:func:`who_answered`): ``rules``, ``table``, ``model``,
or ``fallback`` when the seat played its safe answer because the model could not (failed, or out
of time). With no model, a question that neither the rules nor the table can decide is not
played: the agent says so and suggests questions it can answer for this keyword
(:meth:`AskRoleLoop.suggestions`, filtered through the answerer's own ``decide``).
"""

from __future__ import annotations

import difflib
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from itertools import islice

from agent.game import MAX_ROUNDS, judge_variants
from agent.rules import MULTIWORD_QUESTION, letter_question
from agent.seat import MoveSource
from llm20q.judge import judge_module
from llm20q.keywords import Keyword
from llm20q.play.game import PlayedGame, answered, asked, finished, guessed, observation
from llm20q.play.screen import Screen
from llm20q.play.session import LEAVE_WORDS, Agent, KeyReader, LineReader, Loop

SUGGESTIONS = 3
# always decided by the spelling rules: suggested when too few close table questions remain
SPELLING_QUESTIONS = (letter_question("a", "m"), MULTIWORD_QUESTION, letter_question("a", "f"))


def who_answered(
    decided: Mapping[str, int],
    decided_after: Mapping[str, int],
    played: Mapping[MoveSource, int],
    played_after: Mapping[MoveSource, int],
) -> str:
    """Who gave the answer the seat just played: ``rules``, ``table``, ``model`` or
    ``fallback``, from the answerer's ``decided_by`` and the seat's ``played_by`` counts before
    and after the move. The answerer counts a question it hands to the model before the model
    is called, so a move the seat had to play without it (a failed or late model) is a fallback
    whatever the answerer counted."""
    seat = next((name for name in played_after if played_after[name] > played.get(name, 0)), None)
    source = next((n for n in decided_after if decided_after[n] > decided.get(n, 0)), "")
    model_free = seat in (MoveSource.FALLBACK, MoveSource.TIME_SAVING)
    if model_free or source not in ("rules", "table", "llm"):
        return "fallback"
    return "model" if source == "llm" else source


def judge_guessed(keyword: Keyword, text: str) -> bool:
    """The official judge's own ``keyword_guessed`` for ``keyword`` (and its alternatives)."""
    judge = judge_module()
    judge.keyword, judge.category = keyword.keyword, keyword.category
    judge.alts = list(keyword.alts)
    return bool(judge.keyword_guessed(text))


def preload_judge() -> threading.Thread:
    """Import kaggle_environments in the background (the first guess then finds it loaded)."""
    thread = threading.Thread(target=judge_module, name="judge-import", daemon=True)
    thread.start()
    return thread


class AskRoleLoop(Loop):
    """The person asks and guesses; the agent answers."""

    panel_title = "what the planner would guess"

    def __init__(
        self,
        agent: Agent,
        game: PlayedGame,
        screen: Screen,
        read_key: KeyReader,
        read_line: LineReader,
        keyword: Keyword,
        names_keyword: Callable[[Keyword, str], bool] = judge_guessed,
    ) -> None:
        super().__init__(agent, game, screen, read_key, read_line)
        self.keyword = keyword
        self.names_keyword = names_keyword  # the judge's own matching (tests may use a copy)

    def run(self) -> None:
        status = "I am thinking of a thing. Ask yes/no questions, then guess after each answer."
        while not self.game.over:
            rounds = self.game.rounds
            if rounds and rounds[-1].guess is None:
                status = self._guess(status)
            elif len(rounds) >= MAX_ROUNDS:
                self.game = finished(self.game, "out of rounds")
                self.draw(f"Out of rounds: it was {self.keyword.keyword}.")
            else:
                status = self._question(status)

    def _leaves(self, text: str) -> bool:
        if text.lower() not in LEAVE_WORDS:
            return False
        self.game = finished(self.game, "quit")
        return True

    def _question(self, status: str) -> str:
        self.draw(status)
        text = self.read_line(f"Question {len(self.game.rounds) + 1} (q leaves): ")
        if not text:
            return "Type a yes/no question (q, Ctrl-D or Ctrl-C leaves)."
        if self._leaves(text):
            return ""
        named = self.names_keyword(self.keyword, text)  # the judge checks questions too
        if not named and not self.agent.has_model and not self.decidable(text):
            return self._cannot_answer(text)
        before = self.game.agent_rounds
        self.game = asked(self.game, text, self.agent.information(before, text))
        if named:
            self.game = finished(self.game, "solved", solved=True)
            self.draw(f"Your question names it: {self.keyword.keyword}! Solved in round "
                      f"{len(self.game.rounds)}.")  # fmt: skip
            return ""
        answerer, seat = self.agent.answerer, self.agent.seat
        decided, played = dict(answerer.decided_by), Counter(seat.played_by)
        answer = seat.act(observation(self.game, "answer"))
        by = who_answered(decided, answerer.decided_by, played, seat.played_by)
        self.game = answered(self.game, answer, by)
        if by == "fallback":
            return f"{answer.capitalize()}. (My fallback answer: the model could not answer it.)"
        return f"{answer.capitalize()}."

    def decidable(self, question: str) -> bool:
        """Whether the answerer decides ``question`` for this keyword without a model (its own
        ``decide``: the spelling rules, then the knowledge table)."""
        source, _ = self.agent.answerer.decide(question, self.keyword.keyword)
        return source != "llm"

    def suggestions(self, question: str) -> list[str]:
        """:data:`SUGGESTIONS` questions not asked yet that this agent answers for this keyword
        without a model: the table's questions closest to ``question`` (all but one), then
        spelling questions, which always get an answer and split the candidates well."""
        kb = self.agent.knowledge.kb
        asked_ = {r.question.lower() for r in self.game.rounds} | {question.lower()}
        bank = [q for q in (kb.question_ids if kb is not None else ()) if q.lower() not in asked_]
        close = difflib.get_close_matches(question, bank, n=len(bank), cutoff=0.4)
        found = list(islice((q for q in close if self.decidable(q)), SUGGESTIONS - 1))
        spelling = [q for q in SPELLING_QUESTIONS if q.lower() not in asked_ and self.decidable(q)]
        return (found + spelling)[:SUGGESTIONS]

    def _cannot_answer(self, question: str) -> str:
        lines = [
            "I can't answer that without a model (start with --model GGUF). I answer spelling "
            "questions (first letter, alphabetical order, number of words) and my table's."
        ]
        lines.extend(f"  try: {q}" for q in self.suggestions(question))
        return "\n".join(lines)

    def default_guess(self) -> str:
        """The planner's most probable candidate not guessed yet ("" without a planner)."""
        thinking = self.agent.thinking(self.game.agent_rounds)
        wrong = set().union(*(judge_variants(r.guess) for r in self.game.rounds if r.guess))
        names = (name for name, _ in thinking.candidates) if thinking is not None else ()
        return next((name for name in names if not judge_variants(name) & wrong), "")

    def _guess(self, status: str) -> str:
        self.draw(status)
        default = self.default_guess()
        choices = f"Enter: {default}, q leaves" if default else "q leaves"
        text = self.read_line(f"Guess {len(self.game.rounds)} ({choices}): ") or default
        if not text:
            return "Type a guess (the judge takes every guess; an empty one is an error)."
        if self._leaves(text):
            return ""
        self.game = guessed(self.game, text)
        if self.names_keyword(self.keyword, text):
            self.game = finished(self.game, "solved", solved=True)
            self.draw(f"Right, it is {self.keyword.keyword}! Solved in round "
                      f"{len(self.game.rounds)}.")  # fmt: skip
            return ""
        return f"No, it is not {text}."
