"""Prompt files in ``prompts/`` -> the chat messages each seat sends to the model.

Loading reads eight small text files (``string.Template`` syntax, ``$name`` placeholders, and
``answerer.examples.txt``: few-shot "keyword | question | answer" lines); every other function
here is pure. A seat's chat is rebuilt from the game's rounds on every turn and only ever grows at
the end (fixed system prompt first, nothing volatile before the history), so the backend finds
all earlier turns already in its KV cache.

The guesser seat has one chat for both of its turn types: its system prompt is the questioner's
followed by the guesser's. The answerer has three prompts (the ``answerer_prompt`` setting):
``direct`` (:func:`direct_answerer_chat`: a keyword-free system prompt, the few-shot turns, then
the last question with the keyword put in, :mod:`agent.policies.subject`; everything before the
question is the same for every keyword and game, so it stays cached), ``thing``
(:func:`thing_answerer_chat`: the same, each turn "Thing: ... / Question: ...") and ``chat``
(:func:`answerer_chat`: the keyword in the system prompt and the game's questions as history).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template

from agent.game import Round, TurnType
from agent.model.protocol import ChatMessage
from agent.policies.subject import keyword_question
from agent.settings import PROJECT_DIR

PROMPT_NAMES = ("questioner.system", "questioner.turn", "guesser.system", "guesser.turn",
                "answerer.system", "answerer.turn", "answerer.direct.system",
                "answerer.examples")  # fmt: skip


def default_prompts_dir() -> Path:
    return PROJECT_DIR / "prompts"


@dataclass(frozen=True)
class Example:
    """A few-shot turn: a question about "it", the keyword it is about, the right answer."""

    keyword: str
    question: str
    answer: str


@dataclass(frozen=True)
class PromptSet:
    """The prompt templates and the answerer's few-shot examples."""

    questioner_system: Template
    questioner_turn: Template
    guesser_system: Template
    guesser_turn: Template
    answerer_system: Template
    answerer_turn: Template
    answerer_direct_system: Template
    answerer_examples: tuple[Example, ...]


def parse_examples(text: str) -> tuple[Example, ...]:
    """``keyword | question | yes|no`` lines (``#`` comments, blank lines skipped)."""
    examples = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 3 or parts[2] not in ("yes", "no") or not all(parts):
            raise ValueError(
                f"answerer example line {number}: expected 'keyword | question | yes|no'"
            )
        examples.append(Example(*parts))
    return tuple(examples)


def read_prompt_files(folder: Path, names: Sequence[str]) -> list[str]:
    """The stripped text of ``<folder>/<name>.txt`` for each name; a clear error names a
    missing file."""
    texts: list[str] = []
    for name in names:
        path = folder / f"{name}.txt"
        if not path.is_file():
            raise FileNotFoundError(f"prompt file missing: {path}")
        texts.append(path.read_text(encoding="utf-8").strip())
    return texts


@lru_cache(maxsize=4)
def load_prompts(directory: Path | None = None) -> PromptSet:
    """Read ``<name>.txt`` for every prompt name."""
    *texts, examples = read_prompt_files(directory or default_prompts_dir(), PROMPT_NAMES)
    templates = [Template(text) for text in texts]
    return PromptSet(
        questioner_system=templates[0],
        questioner_turn=templates[1],
        guesser_system=templates[2],
        guesser_turn=templates[3],
        answerer_system=templates[4],
        answerer_turn=templates[5],
        answerer_direct_system=templates[6],
        answerer_examples=parse_examples(examples),
    )


def _wrong_guesses_note(guesses: Sequence[str]) -> str:
    return f" Wrong guesses so far: {', '.join(guesses)}." if guesses else ""


def _previous_guess_note(guess: str | None) -> str:
    return f' Your guess "{guess}" was wrong.' if guess else ""


def guesser_chat(
    prompts: PromptSet,
    rounds: Sequence[Round],
    turn: TurnType,
    said: Mapping[str, str] | None = None,
) -> list[ChatMessage]:
    """The guesser seat's chat, ending with the instruction for ``turn`` (ask or guess).

    ``said`` maps an action the seat sent to the model's own words for it, so the chat shows the
    reply exactly as generated (and the KV cache holds exactly those tokens) even when the action
    was cleaned up or replaced by a fallback; the next user message then states the question
    actually asked and the guess actually made. Rounds without an entry (e.g. after a resync)
    show the observed text.
    """
    if turn is TurnType.ANSWER:
        raise ValueError("the guesser chat has no answer turns")
    said = said or {}
    system = prompts.questioner_system.substitute() + "\n\n" + prompts.guesser_system.substitute()
    messages = [ChatMessage("system", system)]
    wrong: list[str] = []
    for number, played in enumerate(rounds, start=1):
        ask_turn = prompts.questioner_turn.substitute(
            round=number, previous_guess=_previous_guess_note(wrong[-1] if wrong else None)
        )
        messages.append(ChatMessage("user", ask_turn))
        messages.append(ChatMessage("assistant", said.get(played.question, played.question)))
        if played.answer is None:
            raise ValueError(f"round {number} has no answer yet")
        guess_turn = prompts.guesser_turn.substitute(
            question=played.question, answer=played.answer, wrong_guesses=_wrong_guesses_note(wrong)
        )
        messages.append(ChatMessage("user", guess_turn))
        if played.guess is None:
            if number != len(rounds) or turn is not TurnType.GUESS:
                raise ValueError(f"round {number} has no guess")
            return messages
        messages.append(ChatMessage("assistant", said.get(played.guess, played.guess)))
        wrong.append(played.guess)
    if turn is TurnType.GUESS:
        raise ValueError("a guess turn needs a last round with an answer and no guess")
    ask_turn = prompts.questioner_turn.substitute(
        round=len(rounds) + 1, previous_guess=_previous_guess_note(wrong[-1] if wrong else None)
    )
    messages.append(ChatMessage("user", ask_turn))
    return messages


def answerer_chat(
    prompts: PromptSet, keyword: str, category: str, rounds: Sequence[Round]
) -> list[ChatMessage]:
    """The answerer seat's chat, ending with the question of the last round."""
    system = prompts.answerer_system.substitute(keyword=keyword, category=category or "thing")
    messages = [ChatMessage("system", system)]
    for played in rounds:
        turn = prompts.answerer_turn.substitute(keyword=keyword, question=played.question)
        messages.append(ChatMessage("user", turn))
        if played.answer is not None:
            messages.append(ChatMessage("assistant", played.answer))
    if len(messages) < 2 or messages[-1].role != "user":
        raise ValueError("an answer turn needs a last round with a question and no answer")
    return messages


def direct_answerer_chat(prompts: PromptSet, keyword: str, question: str) -> list[ChatMessage]:
    """The ``direct`` answerer prompt: system, few-shot turns, then ``question`` with the
    keyword put in ("Is a toaster found in a kitchen?")."""
    return few_shot_chat(prompts, keyword_question, question, keyword)


def thing_turn(question: str, keyword: str) -> str:
    """A user turn that names the thing, then asks the question as it was put."""
    return f"Thing: {keyword}\nQuestion: {question}"


def thing_answerer_chat(prompts: PromptSet, keyword: str, question: str) -> list[ChatMessage]:
    """The ``thing`` answerer prompt: system, the same few-shot examples, each turn
    "Thing: ... / Question: ..." (Qwen2.5-Coder-1.5B: 176/184 semantic triples right with the
    knowledge table, against 174 with the keyword put in, at their best thresholds)."""
    return few_shot_chat(prompts, thing_turn, question, keyword)


def few_shot_chat(
    prompts: PromptSet, turn: Callable[[str, str], str], question: str, keyword: str
) -> list[ChatMessage]:
    """The direct answerer's system prompt and few-shot examples, then ``question`` about
    ``keyword``; ``turn(question, keyword)`` writes each user turn (the answerer puts the keyword
    into the question; the knowledge labeller writes both side by side)."""
    messages = [ChatMessage("system", prompts.answerer_direct_system.substitute())]
    for example in prompts.answerer_examples:
        messages.append(ChatMessage("user", turn(example.question, example.keyword)))
        messages.append(ChatMessage("assistant", example.answer))
    messages.append(ChatMessage("user", turn(question, keyword)))
    return messages
