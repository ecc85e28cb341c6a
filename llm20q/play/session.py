"""The agent a person plays against, and what both game loops share.

:func:`build_agent` makes the agent's seat with ``agent.runtime.make_seat`` (the same wiring as a
Kaggle seat: planner or LLM guesser, rule-first answerer) and a :class:`PlannerView` on the same
knowledge folder for the thinking panel. With no model, the backend refuses every call, the
planner never hands over to the LLM (``planner_fallback_threshold`` = 1), and the ask role only
takes questions the rules or the knowledge table can decide.

:class:`Loop` is the part of a game loop both roles share: the game so far (kept on the object
so that Ctrl-C or end of input can save it), drawing a frame, and reading keys and lines through
injectable readers (tests script them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from agent.game import Round
from agent.model.protocol import ChatBackend
from agent.planner.explain import PlannerView, Thinking, ViewMode
from agent.planner.knowledge import SharedKnowledge, shared_knowledge
from agent.policies.answerer import RuleFirstAnswerer
from agent.policies.base import AnswererPolicy
from agent.runtime import BackendProvider, LazyBackend, make_seat
from agent.seat import Seat
from agent.settings import AgentSettings, Strategy
from llm20q.play.game import PlayedGame
from llm20q.play.screen import Screen, frame

KeyReader = Callable[[Iterable[str]], str]
LineReader = Callable[[str], str]
CANDIDATES_SHOWN = 8
LEAVE_WORDS = ("q", "quit", "exit")  # typed at a prompt, they leave the game


class NoModelError(RuntimeError):
    """The game was started without a model and something asked for one."""


def no_model() -> ChatBackend:
    raise NoModelError("this game has no model (start it with --model GGUF)")


def no_llm_answerer() -> AnswererPolicy:
    raise NoModelError("only the rules and the table answer here")


@dataclass
class Agent:
    """The agent's seat and the read-only view of its planner."""

    seat: Seat
    settings: AgentSettings
    knowledge: SharedKnowledge
    view: PlannerView | None
    has_model: bool

    def thinking(self, rounds: tuple[Round, ...]) -> Thinking | None:
        if self.view is None:
            return None
        thinking = self.view.think(rounds, CANDIDATES_SHOWN)
        if self.settings.strategy is Strategy.LLM:
            return replace(thinking, mode=ViewMode.LLM)
        return thinking

    def information(self, rounds: tuple[Round, ...], question: str) -> float | None:
        return self.view.information(rounds, question) if self.view is not None else None

    @property
    def lexicon_size(self) -> int:
        return self.view.lexicon_size if self.view is not None else 0

    @property
    def answerer(self) -> RuleFirstAnswerer:
        """The seat's rule-first answerer (one that never calls the LLM when there is none)."""
        policy = self.seat.policies.answerer
        if isinstance(policy, RuleFirstAnswerer):
            return policy
        return RuleFirstAnswerer(self.knowledge, no_llm_answerer, self.settings.table_answer_margin)


def build_agent(
    settings: AgentSettings, has_model: bool, backend: BackendProvider | None = None
) -> Agent:
    """The agent's seat (``make_seat``) and the planner view; a clear error when neither a
    knowledge folder nor a model can play."""
    if not has_model:
        settings = settings.model_copy(update={"planner_fallback_threshold": 1.0})
        if settings.strategy is Strategy.LLM:
            raise ValueError("--strategy llm needs a model: pass --model GGUF")
    knowledge = shared_knowledge(settings)
    if not knowledge.available and not has_model:
        raise ValueError("no knowledge folder and no model: run `llm20q kb build` or pass --model")
    provider = backend or (LazyBackend(settings) if has_model else no_model)
    seat = make_seat("play", settings, provider)
    return Agent(seat, settings, knowledge, PlannerView.from_settings(settings), has_model)


class Loop:
    """State and screen shared by the two roles' game loops."""

    panel_title = "the agent's thinking"

    def __init__(
        self,
        agent: Agent,
        game: PlayedGame,
        screen: Screen,
        read_key: KeyReader,
        read_line: LineReader,
    ) -> None:
        self.agent = agent
        self.game = game
        self.screen = screen
        self.read_key = read_key
        self.read_line = read_line

    def draw(self, status: str) -> None:
        thinking = self.agent.thinking(self.game.agent_rounds)
        self.screen.show(
            frame(
                self.game,
                thinking,
                lexicon_size=self.agent.lexicon_size,
                status=status,
                panel_title=self.panel_title,
            )
        )
