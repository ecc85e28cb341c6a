"""The plain LLM answerer reads a generated reply as a notebook does, in three prompt styles."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from agent.game import Round, SeatState
from agent.model.protocol import GenerateOptions
from agent.settings import AgentSettings
from llm20q.baseline import (
    ANSWER_TOKENS,
    AnswerStyle,
    BaselineAnswerer,
    load_baseline_prompts,
    read_yes_no,
)
from llm20q.eval.cli import partner_name
from llm20q.eval.games import parse_llm_partner
from tests.fakes import Generate, ScriptedBackend

ANSWER = GenerateOptions(ANSWER_TOKENS, seed=AgentSettings().seed, stop=("\n",))
STATE = SeatState(
    keyword="Giraffe",
    category="things",
    rounds=(Round("Is it a plant?", "no"), Round("Is it a living thing?")),
)


@pytest.mark.parametrize(
    ("reply", "word"),
    [("Yes.", "yes"), ("**no**", "no"), ("YES, it is", "yes"), ("Nope, not", None),
     ("I know! No.", "no"), ("", None)],
)  # fmt: skip
def test_any_spelling_of_yes_or_no_is_read(reply: str, word: str | None) -> None:
    assert read_yes_no(reply) == word


def test_each_style_puts_the_keyword_and_question_where_it_says(
    fake_backend: ScriptedBackend,
) -> None:
    prompts = load_baseline_prompts()
    settings = AgentSettings()
    zero = BaselineAnswerer(fake_backend, prompts, settings, "z", AnswerStyle.ZERO_SHOT)
    messages = zero.messages(STATE)
    assert messages[0].role == "system" and '"Giraffe"' in messages[0].content
    assert [m.content for m in messages[1:]] == ["Is it a plant?", "no", "Is it a living thing?"]
    few = BaselineAnswerer(fake_backend, prompts, settings, "f", AnswerStyle.FEW_SHOT)
    messages = few.messages(STATE)
    assert messages[-1].content == "Thing: Giraffe\nQuestion: Is it a living thing?"
    assert all("Is it a plant?" not in m.content for m in messages)  # the last question alone
    assert messages[-2].role == "assistant" and messages[-3].content.startswith("Thing: ")
    fake_backend.expect(
        Generate("z", "Is it a living thing?", "Yes, giraffes are animals.", ANSWER),
        Generate("f", "Thing: Giraffe", "I cannot say.", ANSWER),
    )
    assert zero.answer(STATE) == "yes"
    assert few.answer(STATE) == "no"  # neither word: the notebook's "no", counted
    assert few.stats.answer_fallbacks == 1 and zero.stats.answer_fallbacks == 0


def test_llm_partners_are_named_by_file_and_style(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    assert parse_llm_partner(f"llm:{model}") == (model, AnswerStyle.ZERO_SHOT)
    assert parse_llm_partner(f"llm:{model}:few-shot") == (model, AnswerStyle.FEW_SHOT)
    with pytest.raises(ValueError, match="no GGUF at"):
        parse_llm_partner(f"llm:{tmp_path}/absent.gguf:notebook")
    with pytest.raises(argparse.ArgumentTypeError, match="llm:GGUF"):
        partner_name("chatty")
    assert partner_name("llm-like") == "llm-like"
