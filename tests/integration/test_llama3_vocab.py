"""The Llama 3 path: the real backend on the tiny Llama-architecture GGUF with Llama 3's tokenizer
and chat template (llm20q/tiny_llama3.py, built by `make setup`).

The token ids are Llama 3's own (measured on ggml-vocab-llama-bpe.gguf): a regression in how the
backend renders or tokenises (a doubled BOS, special tokens split into text, a lost blank line)
changes them. The model's greedy reply after the generation prompt is "Yes", ".", then
``<|eot_id|>`` by construction, so stopping at the end of turn is observable.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.game import Round, SeatState
from agent.model.llama_backend import LlamaBackend
from agent.model.protocol import ChatMessage, GenerateOptions
from agent.policies.llm import LlmAnswerer
from agent.policies.prompts import load_prompts
from agent.settings import AgentSettings
from llm20q import tiny_llama3
from llm20q.files import sha256_of
from llm20q.submission.tools import default_wheelhouse

BEGIN_OF_TEXT, START_HEADER, END_HEADER, EOT, BLANK_LINE = 128000, 128006, 128007, 128009, 271
SYSTEM, USER, ASSISTANT = 9125, 882, 78191  # the role names between the header tokens
YES, DOT = 9642, 13  # "Yes", "."


@pytest.fixture(scope="module")
def backend(llama3_model_path: Path) -> LlamaBackend:
    settings = AgentSettings(model_path=llama3_model_path, n_ctx=2048, n_seq_max=4, n_threads=1)
    return LlamaBackend(llama3_model_path, settings)


def header(role: int) -> list[int]:
    return [START_HEADER, role, END_HEADER, BLANK_LINE]


def test_the_vocabulary_is_llama3s(backend: LlamaBackend) -> None:
    assert backend.n_vocab == 128256
    assert backend.bos_token == "<|begin_of_text|>"
    assert backend.model.chat_template() == tiny_llama3.LLAMA3_CHAT_TEMPLATE


def test_rendered_prompt_has_llama3s_exact_token_ids(backend: LlamaBackend) -> None:
    chat = [ChatMessage("system", "You answer."), ChatMessage("user", "Is it a fruit?")]
    text = backend.render(chat, add_generation_prompt=True)
    assert text == (
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou answer.<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nIs it a fruit?<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\n"
    )
    you_answer = [2675, 4320, DOT]
    is_it_a_fruit = [3957, 433, 264, 14098, 30]
    assert backend.tokenize_prompt(text) == [
        BEGIN_OF_TEXT,
        *header(SYSTEM),
        *you_answer,
        EOT,
        *header(USER),
        *is_it_a_fruit,
        EOT,
        *header(ASSISTANT),
    ]


def test_yes_no_first_token_ids(backend: LlamaBackend) -> None:
    # YES_SPELLINGS = yes, Yes, YES, " yes", " Yes"; NO_SPELLINGS likewise
    assert backend.yes_token_ids == (9891, 9642, 14331, 10035, 7566)
    assert backend.no_token_ids == (2201, 2822, 9173, 912, 2360)
    chat = [ChatMessage("system", "You answer."), ChatMessage("user", "Is it a fruit?")]
    assert backend.yes_probability("yes-no", chat) > 0.99  # the model says "Yes" first


def test_generation_stops_at_eot_id(backend: LlamaBackend) -> None:
    chat = [ChatMessage("system", "You answer."), ChatMessage("user", "Is it red?")]
    reply = backend.generate("stop", chat, GenerateOptions(16))
    call = backend.calls[-1]
    assert reply == "Yes." and call.generated_tokens == 2 < 16
    assert backend.session_tokens("stop")[-3:] == [BLANK_LINE, YES, DOT]
    next_token = int(backend.context.last_logits().argmax())
    assert next_token == EOT and backend.model.is_end_of_generation(EOT)


def test_turn_two_reuses_turn_one_counted_in_tokens(backend: LlamaBackend) -> None:
    chat = [ChatMessage("system", "You answer."), ChatMessage("user", "Is it red?")]
    reply = backend.generate("turns", chat, GenerateOptions(16))
    first = backend.calls[-1]
    chat += [ChatMessage("assistant", reply), ChatMessage("user", "Is it big?")]
    backend.yes_probability("turns", chat)
    second = backend.calls[-1]
    assert second.reused_tokens == first.prompt_tokens + 2  # the prompt, "Yes" and "."
    is_it_big = [3957, 433, 2466, 30]
    new = [EOT, *header(USER), *is_it_big, EOT, *header(ASSISTANT)]
    assert backend.session_tokens("turns")[second.reused_tokens :] == new
    assert second.evaluated_tokens == len(new) == second.prompt_tokens - second.reused_tokens


def test_the_agents_answerer_plays_on_the_llama3_template(backend: LlamaBackend) -> None:
    settings = backend.settings
    answerer = LlmAnswerer(backend, load_prompts(), settings, session="answerer")
    state = SeatState(keyword="toaster", category="things", rounds=(Round("Is it red?"),))
    assert answerer.answer(state) == "yes"
    assert backend.calls[-1].prompt_tokens == len(backend.session_tokens("answerer"))


def test_the_model_is_rebuilt_byte_for_byte(llama3_model_path: Path, tmp_path: Path) -> None:
    again = tiny_llama3.build(tmp_path / "again.gguf", default_wheelhouse())
    assert sha256_of(again) == sha256_of(llama3_model_path)
