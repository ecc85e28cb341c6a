"""Property tests (hypothesis): whatever the judge hands a seat, the seat answers legally, and no
text inside a question changes an answer's form."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent.game import TurnType
from agent.legal import answer_word
from agent.model.chat_template import control_text_breaker
from agent.model.context import Condensed, condense, continued, kept_messages
from agent.model.loader import BackgroundLoader
from agent.model.protocol import ChatBackend, ChatMessage
from agent.policies.llm import LlmAnswerer, LlmGuesser
from agent.policies.prompts import load_prompts
from agent.runtime import make_seat
from agent.seat import Policies, Seat
from agent.settings import AgentSettings, AnswererPrompt, Strategy
from llm20q.fuzzing import (
    CONTROL_TOKENS,
    INJECTIONS,
    configurations,
    consistent_observations,
    illegal_reason,
    observations,
    texts,
)
from tests.fakes import Generate, ScriptedBackend, YesNo, one_line
from tests.unit.test_planner import ANIMALS, TABLE, THINGS, make_kb, save_kb

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_kb(make_kb(ANIMALS + THINGS, table=TABLE), tmp_path_factory.mktemp("kb"))


def no_model() -> ChatBackend:
    raise FileNotFoundError("no model in the unit tests")


def assert_legal(raw: Any, action: object) -> None:
    assert illegal_reason(raw, action) is None, (raw, action)


@FUZZ
@given(observations(), configurations(), st.sampled_from((Strategy.PLANNER, Strategy.LLM)))
def test_any_observation_gets_a_legal_action(
    kb_dir: Path, raw: Any, configuration: dict[str, Any], strategy: Strategy
) -> None:
    # rules, table, planner and every path without the model: the model does not load here
    config = AgentSettings(knowledge_dir=kb_dir, strategy=strategy, planner_uniform_mix=0.0)
    seat = make_seat("f", config, BackgroundLoader(no_model, background=False))
    assert_legal(raw, seat.act(raw, configuration))


@FUZZ
@given(consistent_observations(), st.floats(0.0, 1.0), st.text(max_size=80))
def test_model_output_of_any_kind_becomes_a_legal_action(
    raw: dict[str, Any], p_yes: float, reply: str
) -> None:
    settings = AgentSettings()
    backend = ScriptedBackend()
    turn = TurnType(raw["turnType"])
    if not raw["keyword"].strip() and turn is TurnType.ANSWER:
        pass  # an answerer without a keyword is an invalid observation: no model call
    elif turn is TurnType.ANSWER:
        backend.expect(YesNo("s/answerer", "", p_yes))
    else:
        tokens = settings.max_question_tokens if turn is TurnType.ASK else settings.max_guess_tokens
        end_after = ("?",) if turn is TurnType.ASK else ()
        backend.expect(Generate("s/guesser", "", reply, one_line(tokens, end_after=end_after)))
    prompts = load_prompts()
    seat = Seat(
        lambda: Policies(
            LlmGuesser(backend, prompts, settings, "s/guesser"),
            LlmAnswerer(backend, prompts, settings, "s/answerer"),
        )
    )
    action = seat.act(raw)
    assert_legal(raw, action)
    assert not backend.script


@FUZZ
@given(
    st.lists(texts | st.sampled_from(INJECTIONS), min_size=1, max_size=3),
    st.floats(0.0, 1.0),
)
def test_prompt_injection_never_changes_an_answers_form(
    questions: Sequence[str], p_yes: float
) -> None:
    backend = ScriptedBackend().expect(YesNo("a/answerer", "", p_yes))
    # The chat prompt passes the question verbatim (the direct one rewrites it around the keyword).
    settings = AgentSettings(answerer_rules=False, answerer_prompt=AnswererPrompt.CHAT)
    seat = make_seat("a", settings, lambda: backend)
    n = len(questions)
    raw = {"role": "answerer", "turnType": "answer", "questions": list(questions),
           "answers": ["yes"] * (n - 1), "guesses": ["x"] * (n - 1),
           "keyword": "Toaster"}  # fmt: skip
    assert seat.act(raw) == answer_word(p_yes, settings.yes_threshold)
    last = backend.calls[0].messages[-1].content
    assert questions[-1] in last  # the question reached the model as it was asked


@given(st.lists(st.text(max_size=6) | st.sampled_from(CONTROL_TOKENS), max_size=12))
def test_broken_up_control_texts_never_survive(parts: list[str]) -> None:
    breaks = control_text_breaker(CONTROL_TOKENS)
    text = breaks("".join(parts))
    assert not any(token in text for token in CONTROL_TOKENS)
    assert breaks(text) == text


def chat(rounds: int, data: st.DataObject) -> list[ChatMessage]:
    def size(most: int) -> int:
        return data.draw(st.integers(0, most))

    messages = [ChatMessage("system", "s" * (1 + size(50)))]
    for i in range(rounds):
        messages.append(ChatMessage("user", f"u{i}" + "x" * size(80)))
        messages.append(ChatMessage("assistant", f"a{i}" + "y" * size(80)))
    return [*messages, ChatMessage("user", "last" + "z" * size(80))]


def characters(messages: Sequence[ChatMessage]) -> int:
    return sum(len(m.content) for m in messages)


@given(st.data(), st.integers(0, 20), st.integers(1, 5), st.integers(50, 1500))
def test_condensing_keeps_the_system_prompt_and_the_latest_turns(
    data: st.DataObject, rounds: int, more: int, target: int
) -> None:
    messages = chat(rounds, data)
    kept, condensed = condense(messages, Condensed(), characters, target)
    assert kept[0] == messages[0] and kept[-1] == messages[-1]
    assert kept == kept_messages(messages, condensed)
    assert characters(kept) <= target or len(kept) == 2
    assert kept[1:] == messages[len(messages) - len(kept) + 1 :]  # a suffix: the latest turns
    # the next turns extend the same history: the same messages stay dropped
    later = [*messages[:-1], *chat(more, data)[1:]]
    assert continued(later, condensed) == condensed
    assert continued([messages[0], ChatMessage("user", "a new game")], condensed) == Condensed()
