"""``llm20q play --role ask``: the agent holds a keyword, the person asks and guesses.

Each round follows the judge's order: the person types a question, the agent's seat answers it
(the rule-first answerer: spelling rules, then the knowledge table, then the LLM), and the person
types a guess. Whether a guess (or a question: the judge checks every guesser action) names the
keyword is decided by kaggle-environments' own ``keyword_guessed``, with the judge's globals set
to this keyword (:func:`judge_guessed`); kaggle_environments is imported in the background while
the person types, since it takes about 14 s.

With no model, a question that neither the rules nor the table can decide is not played: the
agent says so and suggests the closest questions of its table.
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Callable

from agent.game import MAX_ROUNDS
from agent.rules import rule_answer
from llm20q.judge import judge_module
from llm20q.keywords import Keyword
from llm20q.play.game import PlayedGame, answered, asked, finished, guessed, observation
from llm20q.play.screen import Screen
from llm20q.play.session import Agent, KeyReader, LineReader, Loop

SUGGESTIONS = 3


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

    def _question(self, status: str) -> str:
        self.draw(status)
        text = self.read_line(f"Question {len(self.game.rounds) + 1}: ")
        if not text:
            return "Type a yes/no question (Ctrl-D or Ctrl-C to leave)."
        named = self.names_keyword(self.keyword, text)  # the judge checks questions too
        if not named and not self.agent.has_model and not self._decidable(text):
            return self._cannot_answer(text)
        before = self.game.agent_rounds
        self.game = asked(self.game, text, self.agent.information(before, text))
        if named:
            self.game = finished(self.game, "solved", solved=True)
            self.draw(f"Your question names it: {self.keyword.keyword}! Solved in round "
                      f"{len(self.game.rounds)}.")  # fmt: skip
            return ""
        counts = dict(self.agent.answerer.decided_by)
        answer = self.agent.seat.act(observation(self.game, "answer"))
        source = next(
            (name for name, n in self.agent.answerer.decided_by.items() if n > counts[name]),
            "fallback",
        )
        self.game = answered(self.game, answer, "LLM" if source == "llm" else source)
        return f"{answer.capitalize()}."

    def _decidable(self, question: str) -> bool:
        keyword = self.keyword.keyword
        if rule_answer(question, keyword) is not None:
            return True
        return self.agent.answerer.table_answer(question, keyword) is not None

    def _cannot_answer(self, question: str) -> str:
        kb = self.agent.knowledge.kb
        bank = list(kb.question_ids) if kb is not None else []
        close = difflib.get_close_matches(question, bank, n=SUGGESTIONS, cutoff=0.4)
        lines = [
            "I can't answer that without a model (start with --model GGUF). I answer spelling "
            "questions (first letter, alphabetical order, number of words) and my table's."
        ]
        lines.extend(f"  try: {q}" for q in close)
        return "\n".join(lines)

    def _guess(self, status: str) -> str:
        self.draw(status)
        text = self.read_line(f"Guess {len(self.game.rounds)}: ")
        if not text:
            return "Type a guess (the judge takes every guess; an empty one is an error)."
        self.game = guessed(self.game, text)
        if self.names_keyword(self.keyword, text):
            self.game = finished(self.game, "solved", solved=True)
            self.draw(f"Right, it is {self.keyword.keyword}! Solved in round "
                      f"{len(self.game.rounds)}.")  # fmt: skip
            return ""
        return f"No, it is not {text}."
