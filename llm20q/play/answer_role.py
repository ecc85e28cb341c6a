"""``llm20q play --role answer``: the person thinks of a thing, the agent asks and guesses.

Each round follows the judge's order: the agent asks, the person answers (``y``/``n``), the agent
guesses and the person says whether that is the thing (``y``/``n``). ``u`` takes back the last
answer (the question it answered is asked again), ``q`` (or Ctrl-D) leaves. The phase is read
from the game itself (a question waiting for an answer, an answered round waiting for a guess),
so a take-back needs no extra state. After 20 rounds the agent gives up, asks for the word and
says where it went wrong (:mod:`llm20q.play.review`).

The agent's seat gets the judge's observations (:func:`llm20q.play.game.observation`): a
take-back is a shorter game than its own record, which the seat's state machine treats as a
resync, as it would on Kaggle.

A person is not an Agent Alpha partner: the agent plays this role with
:data:`ANSWER_ROLE_SETTINGS` (no handshake question, so no alphabetical bisection either).
"""

from __future__ import annotations

from agent.game import MAX_ROUNDS
from llm20q.play.game import answered, asked, finished, guessed, observation, taken_back
from llm20q.play.review import review
from llm20q.play.session import LEAVE_WORDS, Loop

ANSWER_KEYS = "[y]es  [n]o  [u] take back  [q]uit"
# The settings a person's game overrides: never ask a person "Is it Agent Alpha?".
ANSWER_ROLE_SETTINGS: dict[str, object] = {"planner_handshake": False}


class AnswerRoleLoop(Loop):
    """The agent asks and guesses; the person answers."""

    def run(self) -> None:
        status = "Think of a thing (an object, a food, an animal...). I will ask."
        while not self.game.over:
            rounds = self.game.rounds
            if rounds and rounds[-1].answer is None:
                status = self._answer(status)
            elif rounds and rounds[-1].guess is None:
                status = self._guess()
            elif len(rounds) >= MAX_ROUNDS:
                self._give_up()
            else:
                self._ask()

    def _ask(self) -> None:
        before = self.game.agent_rounds
        question = self.agent.seat.act(observation(self.game, "ask"))
        self.game = asked(self.game, question, self.agent.information(before, question))

    def _answer(self, status: str) -> str:
        question = self.game.rounds[-1].question
        self.draw(f"{status}\nQ{len(self.game.rounds)}: {question}\nanswer: {ANSWER_KEYS}")
        key = self.read_key("ynuq")
        if key == "q":
            self.game = finished(self.game, "quit")
        elif key == "u":
            self.game = taken_back(self.game)
            return "Took back your last answer."
        else:
            self.game = answered(self.game, "yes" if key == "y" else "no", "person")
        return ""

    def _guess(self) -> str:
        guess = self.agent.seat.act(observation(self.game, "guess"))
        self.game = guessed(self.game, guess)
        self.draw(f"My guess: {guess}\nIs that it? {ANSWER_KEYS}")
        key = self.read_key("ynuq")
        if key == "y":
            self.game = finished(self.game, "solved", solved=True, keyword=guess)
            self.draw(f"I found it in {len(self.game.rounds)} rounds: {guess}!")
        elif key == "q":
            self.game = finished(self.game, "quit")
        elif key == "u":
            self.game = taken_back(self.game)
            return "Took back your last answer."
        return ""

    def _give_up(self) -> None:
        self.draw(f"{MAX_ROUNDS} rounds and I did not find it.")
        word = ""
        while not word:
            word = self.read_line("What was it? (q leaves) ")
        if word.lower() in LEAVE_WORDS:
            self.game = finished(self.game, "out of rounds")
            return
        self.game = finished(self.game, "out of rounds", keyword=word)
        lines = review(self.game, word, self.agent.answerer, self.agent.view)
        self.draw("Where I went wrong:\n" + "\n".join(f"- {line}" for line in lines))
