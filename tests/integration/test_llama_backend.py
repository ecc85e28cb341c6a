"""The real tiny GGUF through real llama-cpp-python: templates, KV reuse, yes/no, generation."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.model.llama_backend import LlamaBackend
from agent.model.protocol import ChatMessage, GenerateOptions
from agent.settings import AgentSettings

SYSTEM = ChatMessage("system", "You answer questions about the keyword: banana.")


@pytest.fixture(scope="module")
def backend(tiny_model_path: Path, tiny_settings: AgentSettings) -> LlamaBackend:
    return LlamaBackend(tiny_model_path, tiny_settings)


def test_smollm2_chatml_template_exact_string(backend: LlamaBackend) -> None:
    chat = [SYSTEM, ChatMessage("user", "Is it yellow?")]
    assert backend.render(chat, add_generation_prompt=True) == (
        "<|im_start|>system\nYou answer questions about the keyword: banana.<|im_end|>\n"
        "<|im_start|>user\nIs it yellow?<|im_end|>\n"
        "<|im_start|>assistant\n"
    )


def test_yes_probability_is_one_forward_pass(backend: LlamaBackend) -> None:
    chat = [SYSTEM, ChatMessage("user", "Is it a fruit? Answer yes or no.")]
    p = backend.yes_probability("yesno", chat)
    call = backend.calls[-1]
    assert 0.0 <= p <= 1.0
    assert call.generated_tokens == 0
    assert call.evaluated_tokens == call.prompt_tokens  # a fresh session: every token once
    assert backend.yes_token_ids and backend.no_token_ids
    assert set(backend.yes_token_ids).isdisjoint(backend.no_token_ids)


def test_later_turns_evaluate_only_new_tokens(backend: LlamaBackend) -> None:
    chat = [SYSTEM, ChatMessage("user", "Is it a fruit?")]
    backend.yes_probability("turns", chat)
    first = backend.calls[-1]
    chat += [ChatMessage("assistant", "yes"), ChatMessage("user", "Is it a vehicle?")]
    backend.yes_probability("turns", chat)
    second = backend.calls[-1]
    new_suffix = backend.tokenize(
        backend.render(chat, add_generation_prompt=True)[
            len(backend.render(chat[:2], add_generation_prompt=True)) :
        ]
    )
    assert second.reused_tokens == first.prompt_tokens
    assert second.evaluated_tokens == len(new_suffix) == second.prompt_tokens - first.prompt_tokens
    # a generated reply is replayed verbatim, so the next turn again costs only its new tokens
    ask = [*chat[:-1], ChatMessage("user", "Name a colour.")]
    reply = backend.generate("turns", ask, GenerateOptions(8))
    gen = backend.calls[-1]
    follow = [*ask, ChatMessage("assistant", reply), ChatMessage("user", "Is it sweet?")]
    backend.yes_probability("turns", follow)
    last = backend.calls[-1]
    cached = gen.prompt_tokens + gen.evaluated_tokens - (gen.prompt_tokens - gen.reused_tokens)
    assert last.reused_tokens == cached
    assert last.reused_tokens + last.evaluated_tokens == last.prompt_tokens


def test_sessions_keep_their_own_cache(backend: LlamaBackend) -> None:
    chats = {name: [ChatMessage("system", f"Seat {name} of a game."), ChatMessage("user", "Go.")]
             for name in ("p0", "p1", "p2", "p3")}  # fmt: skip
    first_prompt = {}
    for name, chat in chats.items():
        backend.yes_probability(name, chat)
        first_prompt[name] = backend.calls[-1].prompt_tokens
    for name, chat in chats.items():  # interleaved: every seat's cache survived the others
        chat += [ChatMessage("assistant", "no"), ChatMessage("user", "Again.")]
        backend.yes_probability(name, chat)
        call = backend.calls[-1]
        assert call.reused_tokens == first_prompt[name]
        assert call.evaluated_tokens == call.prompt_tokens - first_prompt[name]


def test_generation_is_bounded_and_stops(backend: LlamaBackend) -> None:
    chat = [ChatMessage("system", "You write long stories."), ChatMessage("user", "Tell a story.")]
    text = backend.generate("gen", chat, GenerateOptions(5, temperature=0.9, seed=7))
    assert backend.calls[-1].generated_tokens <= 5 and text
    stopped = backend.generate("gen", chat, GenerateOptions(40, stop=(" ",)))
    assert " " not in stopped
    ended = backend.generate("gen", chat, GenerateOptions(40, end_after=("e",)))
    assert ended.endswith("e") and ended.count("e") == 1


def test_sampling_is_seeded(tiny_model_path: Path, tiny_settings: AgentSettings) -> None:
    """The same chat, seed and temperature give the same text on a fresh context."""
    chat = [ChatMessage("system", "You write long stories."), ChatMessage("user", "Tell a story.")]
    texts = []
    for _ in range(2):
        fresh = LlamaBackend(tiny_model_path, tiny_settings)
        texts.append(fresh.generate("s", chat, GenerateOptions(12, temperature=0.9, seed=7)))
        fresh.close()
    assert texts[0] == texts[1] and texts[0]


def test_no_reuse_mode_evaluates_everything(
    tiny_model_path: Path, tiny_settings: AgentSettings
) -> None:
    cold = LlamaBackend(tiny_model_path, tiny_settings, reuse_cache=False)
    chat = [SYSTEM, ChatMessage("user", "Is it a fruit?")]
    cold.yes_probability("s", chat)
    cold.yes_probability("s", [*chat, ChatMessage("assistant", "yes"), ChatMessage("user", "Red?")])
    assert cold.calls[-1].reused_tokens == 0
    assert cold.calls[-1].evaluated_tokens == cold.calls[-1].prompt_tokens
