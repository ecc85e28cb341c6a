"""Prompt files -> chat messages, and chat templates rendered as exact strings."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.game import Round, TurnType
from agent.model.chat_template import CHATML_TEMPLATE, render_chat
from agent.model.protocol import ChatMessage
from agent.policies.prompts import (
    PROMPT_NAMES,
    answerer_chat,
    default_prompts_dir,
    guesser_chat,
    load_prompts,
)

# Meta-Llama-3-8B-Instruct's tokenizer.chat_template, as its GGUF conversions carry it.
LLAMA3_TEMPLATE = (
    "{% set loop_messages = messages %}{% for message in loop_messages %}"
    "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'"
    "+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
    "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}"
    "{% endif %}"
)

CHAT = [
    ChatMessage("system", "Be brief."),
    ChatMessage("user", "Is it red?"),
    ChatMessage("assistant", "yes"),
    ChatMessage("user", "Is it round?"),
]


def test_llama3_template_exact_string() -> None:
    text = render_chat(
        LLAMA3_TEMPLATE, CHAT, bos_token="<|begin_of_text|>", eos_token="<|eot_id|>",
        add_generation_prompt=True,
    )  # fmt: skip
    assert text == (
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nIs it red?<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\nyes<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nIs it round?<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\n"
    )


def test_chatml_fallback_template_exact_string() -> None:
    text = render_chat(
        CHATML_TEMPLATE, CHAT[:2], bos_token="", eos_token="", add_generation_prompt=True
    )
    assert text == (
        "<|im_start|>system\nBe brief.<|im_end|>\n"
        "<|im_start|>user\nIs it red?<|im_end|>\n"
        "<|im_start|>assistant\n"
    )


def test_every_prompt_file_exists_and_loads() -> None:
    for name in PROMPT_NAMES:
        assert (default_prompts_dir() / f"{name}.txt").is_file()
    prompts = load_prompts()
    assert "$" not in prompts.questioner_system.substitute()


def test_missing_prompt_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"questioner\.system\.txt"):
        load_prompts(tmp_path)


def test_guesser_chat_for_ask_and_guess_turns() -> None:
    prompts = load_prompts()
    first = guesser_chat(prompts, (), TurnType.ASK)
    assert [m.role for m in first] == ["system", "user"]
    assert "Round 1 of 20" in first[-1].content
    rounds = (Round("Is it alive?", "no", "rock"), Round("Is it metal?", "yes"))
    guess = guesser_chat(prompts, rounds, TurnType.GUESS)
    assert [m.role for m in guess] == ["system"] + ["user", "assistant"] * 3 + ["user"]
    assert guess[-1].content.startswith("Question asked: Is it metal?\nThe answer is: yes.")
    assert "Wrong guesses so far: rock." in guess[-1].content
    ask = guesser_chat(prompts, (*rounds[:1], Round("Is it metal?", "yes", "spoon")), TurnType.ASK)
    assert (
        ask[-1].content
        == 'Round 3 of 20. Your guess "spoon" was wrong. Ask your next yes-or-no question.'
    )
    assert (
        ask[5].content
        == 'Round 2 of 20. Your guess "rock" was wrong. Ask your next yes-or-no question.'
    )


def test_guesser_chat_replays_the_models_own_words() -> None:
    rounds = (Round("Is it alive?", "no", "rock"),)
    chat = guesser_chat(load_prompts(), rounds, TurnType.ASK, {"Is it alive?": "Is it alive? "})
    assert chat[2] == ChatMessage("assistant", "Is it alive? ")


def test_guesser_chat_only_grows_at_the_end() -> None:
    """Turn n's chat is a prefix of turn n+1's: what keeps the KV cache valid."""
    prompts = load_prompts()
    rounds: list[Round] = []
    previous = guesser_chat(prompts, rounds, TurnType.ASK)
    for i in range(5):
        rounds.append(Round(f"Is it thing {i}?", "no"))
        guess_chat = guesser_chat(prompts, rounds, TurnType.GUESS)
        assert guess_chat[: len(previous)] == previous
        rounds[-1] = Round(f"Is it thing {i}?", "no", f"guess {i}")
        previous = guesser_chat(prompts, rounds, TurnType.ASK)
        assert previous[: len(guess_chat)][:-1] == guess_chat[:-1]


def test_guesser_chat_rejects_inconsistent_rounds() -> None:
    with pytest.raises(ValueError):
        guesser_chat(load_prompts(), (Round("q"),), TurnType.GUESS)
    with pytest.raises(ValueError):
        guesser_chat(load_prompts(), (), TurnType.ANSWER)


def test_answerer_chat_holds_keyword_and_history() -> None:
    rounds = (Round("Is it alive?", "no", "rock"), Round("Is it metal?"))
    chat = answerer_chat(load_prompts(), "Hammer", "things", rounds)
    assert '"Hammer"' in chat[0].content
    assert [m.role for m in chat] == ["system", "user", "assistant", "user"]
    assert chat[2].content == "no" and "Is it metal?" in chat[3].content
