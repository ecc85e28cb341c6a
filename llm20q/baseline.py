"""A plain LLM-only baseline player, for evaluation: the same model, no rules, no planner.

Prompted like Kaggle's LLM 20 Questions starter notebook (``prompts/baseline.*.txt``): its system
prompt and few-shot turns (``baseline.fewshot.txt``, one turn a line, user first), then "Let's play
20 Questions. You are playing the role of ...", the game so far as alternating turns, and one
instruction for the turn. The chat is rebuilt from the observed game on every turn (the backend
still reuses the cached common prefix).

- :class:`BaselineGuesser` parses like the notebook: the question is the reply up to its first
  "?" (else the notebook's "Is it a person?"); the guess is the text between double asterisks,
  else the reply's first line (else a common thing: an empty guess would be an error).
- :class:`BaselineAnswerer` generates a short reply and reads it as a notebook does: the first
  "yes" or "no" in it, in any spelling ("Yes.", "**no**", "YES, it is"); a reply with neither is
  "no" (counted as a fallback). It has three prompt styles (:class:`AnswerStyle`) that span real
  partners: the notebook's, zero-shot (the keyword in the system prompt, the game's questions as
  turns) and few-shot ("Thing: ... / Question: ..." turns after worked examples, the last
  question alone). Reading the generated text, not the first token's yes/no probability, makes
  it work with any chat model (with Qwen2.5-Coder-1.5B the first-token read-out said "no" to all
  400 questions of 20 games, issue 19).
- :func:`make_baseline_seat` plays them in an :class:`agent.seat.Seat` with only the judge's
  legality (:func:`judge_legal`): repeated or oddly shaped questions and guesses are not replaced.

Shortcuts, against the notebook: the system prompt is a system message (the notebook sends it as a
user turn, Gemma having no system role); the answer instruction asks for a bare "yes" or "no"
instead of "**yes**".
Fallbacks are counted in :class:`BaselineStats`, so reports show how often the model's own text
was not usable.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path
from string import Template

from agent.game import (
    GUESS_LIMIT,
    QUESTION_LIMIT,
    SeatState,
    TurnType,
)
from agent.legal import fallback_guess
from agent.model.protocol import ChatBackend, ChatMessage, GenerateOptions
from agent.policies.prompts import (
    default_prompts_dir,
    few_shot_chat,
    load_prompts,
    read_prompt_files,
    thing_turn,
)
from agent.seat import Policies, Seat, fallback_action
from agent.settings import AgentSettings

log = logging.getLogger(__name__)

BASELINE_PROMPT_NAMES = ("system", "questioner", "ask", "guess", "answerer", "answer", "zeroshot")
_YES_NO = re.compile(r"\b(yes|no)\b", re.IGNORECASE)
ANSWER_TOKENS = 8  # a reply long enough for "Yes, it is." or "**No**"
_STARRED = re.compile(r"\*\*([^*]+)\*\*")
_QUESTION = re.compile(r".+?\?")
DEFAULT_QUESTION = "Is it a person?"  # the notebook's question when the model asked none


@dataclass(frozen=True)
class BaselinePrompts:
    """The six baseline prompt templates (``prompts/baseline.<name>.txt``)."""

    system: Template
    questioner: Template
    ask: Template
    guess: Template
    answerer: Template
    answer: Template
    zeroshot: Template
    fewshot: tuple[str, ...] = ()


@lru_cache(maxsize=4)
def load_baseline_prompts(directory: Path | None = None) -> BaselinePrompts:
    """Read ``baseline.<name>.txt`` for every name and the few-shot turns."""
    names = [f"baseline.{name}" for name in (*BASELINE_PROMPT_NAMES, "fewshot")]
    *texts, examples = read_prompt_files(directory or default_prompts_dir(), names)
    turns = [line.strip() for line in examples.splitlines()]
    system, questioner, ask, guess, answerer, answer, zeroshot = (Template(t) for t in texts)
    return BaselinePrompts(
        system, questioner, ask, guess, answerer, answer, zeroshot, tuple(t for t in turns if t)
    )


class AnswerStyle(str, Enum):
    """How a plain LLM answerer is prompted (see the module docstring)."""

    NOTEBOOK = "notebook"
    ZERO_SHOT = "zero-shot"
    FEW_SHOT = "few-shot"


def _opening(prompts: BaselinePrompts) -> list[ChatMessage]:
    """System prompt, then the few-shot turns (user first, then alternating)."""
    messages = [ChatMessage("system", prompts.system.substitute())]
    for index, turn in enumerate(prompts.fewshot):
        messages.append(ChatMessage("user" if index % 2 == 0 else "assistant", turn))
    return messages


@dataclass
class BaselineStats:
    """How often the baseline's own text could not be used (shared by its policies)."""

    questions: int = 0
    question_fallbacks: int = 0
    guesses: int = 0
    guess_fallbacks: int = 0
    answers: int = 0
    answer_fallbacks: int = 0  # replies with neither yes nor no


def questioner_messages(
    prompts: BaselinePrompts, state: SeatState, *, guessing: bool
) -> list[ChatMessage]:
    """The notebook's questioner chat: questions as the model's turns, answers as the user's,
    then the ask or guess instruction."""
    messages = [*_opening(prompts), ChatMessage("user", prompts.questioner.substitute())]
    for played in state.rounds:
        messages.append(ChatMessage("assistant", played.question))
        if played.answer is not None:
            messages.append(ChatMessage("user", played.answer))
    instruction = prompts.guess if guessing else prompts.ask
    messages.append(ChatMessage("user", instruction.substitute()))
    return messages


def answerer_messages(prompts: BaselinePrompts, state: SeatState) -> list[ChatMessage]:
    """The notebook's answerer chat: questions as the user's turns, answers as the model's, then
    the answer instruction."""
    names = {"keyword": state.keyword, "category": state.category or "thing"}
    messages = [*_opening(prompts), ChatMessage("user", prompts.answerer.substitute(names))]
    for played in state.rounds:
        messages.append(ChatMessage("user", played.question))
        if played.answer is not None:
            messages.append(ChatMessage("assistant", played.answer))
    messages.append(ChatMessage("user", prompts.answer.substitute(names)))
    return messages


def zero_shot_messages(prompts: BaselinePrompts, state: SeatState) -> list[ChatMessage]:
    """The keyword in the system prompt, then the game's questions and answers as turns."""
    names = {"keyword": state.keyword, "category": state.category or "thing"}
    messages = [ChatMessage("system", prompts.zeroshot.substitute(names))]
    for played in state.rounds:
        messages.append(ChatMessage("user", played.question))
        if played.answer is not None:
            messages.append(ChatMessage("assistant", played.answer))
    return messages


def few_shot_messages(state: SeatState) -> list[ChatMessage]:
    """Worked "Thing / Question" turns (the agent's examples), then the last question alone."""
    if not state.rounds:
        raise ValueError("an answer turn needs a question")
    return few_shot_chat(load_prompts(), thing_turn, state.rounds[-1].question, state.keyword)


def read_yes_no(text: str) -> str | None:
    """The first "yes" or "no" word of a reply, in any case or markup; None when neither."""
    match = _YES_NO.search(text.replace("*", " "))
    return match.group(1).lower() if match else None


def starred_or_whole(text: str) -> str:
    """The text between the first pair of double asterisks, else the first line of ``text``."""
    match = _STARRED.search(text)
    if match:
        return match.group(1)
    return next((line for line in text.splitlines() if line.strip()), "")


def first_question(text: str) -> str | None:
    """The notebook's parse: the shortest text up to a question mark, asterisks removed."""
    match = _QUESTION.search(text.replace("*", ""))
    return match.group().strip()[:QUESTION_LIMIT] if match else None


class BaselineGuesser:
    """Questions and guesses generated by the model from the notebook's prompts."""

    def __init__(
        self,
        backend: ChatBackend,
        prompts: BaselinePrompts,
        settings: AgentSettings,
        session: str,
        stats: BaselineStats | None = None,
    ) -> None:
        self.backend = backend
        self.prompts = prompts
        self.settings = settings
        self.session = session
        self.stats = stats or BaselineStats()

    def _generate(self, state: SeatState, *, guessing: bool, max_tokens: int) -> str:
        return self.backend.generate(
            self.session,
            questioner_messages(self.prompts, state, guessing=guessing),
            GenerateOptions(
                max_tokens,
                temperature=self.settings.temperature,
                seed=self.settings.seed,
                stop=("\n",),
            ),
        )

    def ask(self, state: SeatState) -> str:
        raw = self._generate(state, guessing=False, max_tokens=self.settings.max_question_tokens)
        self.stats.questions += 1
        question = first_question(raw)
        if question is None:
            self.stats.question_fallbacks += 1
            return DEFAULT_QUESTION
        return question

    def guess(self, state: SeatState) -> str:
        raw = self._generate(state, guessing=True, max_tokens=self.settings.max_guess_tokens)
        self.stats.guesses += 1
        guess = starred_or_whole(raw).strip()[:GUESS_LIMIT].strip()
        if not guess:
            self.stats.guess_fallbacks += 1
            return fallback_guess(state.wrong_guesses)
        return guess


class BaselineAnswerer:
    """Yes or no read from a short generated reply, prompted in one :class:`AnswerStyle`."""

    def __init__(
        self,
        backend: ChatBackend,
        prompts: BaselinePrompts,
        settings: AgentSettings,
        session: str,
        style: AnswerStyle = AnswerStyle.NOTEBOOK,
        stats: BaselineStats | None = None,
    ) -> None:
        self.backend = backend
        self.prompts = prompts
        self.settings = settings
        self.session = session
        self.style = style
        self.stats = stats or BaselineStats()

    def messages(self, state: SeatState) -> list[ChatMessage]:
        if self.style is AnswerStyle.ZERO_SHOT:
            return zero_shot_messages(self.prompts, state)
        if self.style is AnswerStyle.FEW_SHOT:
            return few_shot_messages(state)
        return answerer_messages(self.prompts, state)

    def answer(self, state: SeatState) -> str:
        reply = self.backend.generate(
            self.session,
            self.messages(state),
            GenerateOptions(ANSWER_TOKENS, temperature=0.0, seed=self.settings.seed, stop=("\n",)),
        )
        self.stats.answers += 1
        word = read_yes_no(reply)
        if word is None:
            self.stats.answer_fallbacks += 1
            return "no"
        return word


def judge_legal(turn: TurnType, action: str, state: SeatState) -> str:
    """Only the judge's own legality: a non-empty question or guess, an answer of yes or no.
    Unlike :func:`agent.seat.legal_or_fallback`, repeated or oddly shaped questions and guesses
    are played as the baseline wrote them."""
    if not action.strip() or (turn is TurnType.ANSWER and action not in ("yes", "no")):
        return fallback_action(turn, state)
    return action


def make_baseline_seat(
    name: str,
    settings: AgentSettings,
    backend: Callable[[], ChatBackend],
    stats: BaselineStats | None = None,
    style: AnswerStyle = AnswerStyle.NOTEBOOK,
) -> Seat:
    """A baseline seat whose sessions are named ``<name>/guesser`` and ``<name>/answerer``."""
    shared = stats if stats is not None else BaselineStats()

    def make_policies() -> Policies:
        model = backend()
        prompts = load_baseline_prompts()
        return Policies(
            guesser=BaselineGuesser(model, prompts, settings, f"{name}/guesser", shared),
            answerer=BaselineAnswerer(model, prompts, settings, f"{name}/answerer", style, shared),
        )

    return Seat(make_policies, legalize=judge_legal)
