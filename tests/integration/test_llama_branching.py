"""Branching on the real tiny GGUF: many fills of one prompt slot, one shared prefix."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.model.llama_backend import BackendError
from agent.model.llama_branching import LlamaBranchingBackend
from agent.model.protocol import SLOT, ChatMessage
from agent.settings import AgentSettings

WORDS = ["toaster", "apple", "fire truck", "dog", "river"]


def chat(keyword: str, question: str = "Is it found in a kitchen?") -> list[ChatMessage]:
    return [
        ChatMessage("system", "Answer yes or no about the keyword."),
        ChatMessage("user", f"Question: {question}\nKeyword: {keyword}"),
    ]


def backend_with(path: Path, lanes: int, n_batch: int = 512) -> LlamaBranchingBackend:
    settings = AgentSettings(
        model_path=path, n_ctx=1024, n_seq_max=lanes + 1, n_batch=n_batch, n_threads=1
    )
    return LlamaBranchingBackend(path, settings)


def test_branches_on_the_sessions_own_sequence_equal_whole_prompts(tiny_model_path: Path) -> None:
    """No free sequence: each branch runs after the prefix on the session's own sequence, in
    the same cells as the whole prompt's, so P(yes) is bit-identical."""
    backend = backend_with(tiny_model_path, lanes=0)
    branched = backend.yes_probabilities("label", chat(SLOT), WORDS)
    first = backend.calls[-1]
    backend.yes_probability("whole", chat("x"))  # caches the prefix: then only the branch part
    whole = [backend.yes_probability("whole", chat(w)) for w in WORDS]
    assert branched == whole
    assert len(set(branched)) > 1  # the keyword matters
    branch_tokens = sum(len(b) for b in backend.branch_prompt(chat(SLOT), WORDS).branches)
    prefix = first.prompt_tokens - branch_tokens
    assert first.evaluated_tokens == first.prompt_tokens and prefix > 10
    assert [call.evaluated_tokens for call in backend.calls[-len(WORDS) :]] == [
        len(b) for b in backend.branch_prompt(chat(SLOT), WORDS).branches
    ]


def test_many_lanes_share_the_prefix(tiny_model_path: Path) -> None:
    backend = backend_with(tiny_model_path, lanes=4)
    whole = [backend.yes_probability("whole", chat(w)) for w in WORDS]
    branched = backend.yes_probabilities("label", chat(SLOT), WORDS)
    # ggml's sums round differently by batch shape and by where the cells sit in the cache
    # (measured up to 0.05 with this model): close, not bit-identical
    assert max(abs(a - b) for a, b in zip(branched, whole, strict=True)) < 0.1
    call = backend.calls[-1]
    prompt = backend.branch_prompt(chat(SLOT), WORDS)
    prefix = len(backend.session_tokens("label"))
    assert call.kind == "yes_probabilities" and call.reused_tokens == 0
    assert call.evaluated_tokens == prefix + sum(len(b) for b in prompt.branches)
    # every branch is its keyword (with the space before it) and the end of the prompt
    tail = backend.tokenize("<|im_end|>\n<|im_start|>assistant\n")
    assert all(branch[-len(tail) :] == tail for branch in prompt.branches)
    assert max(len(b) for b in prompt.branches) <= len(tail) + 3
    groups = backend.plan_branches("label", prefix, [len(b) for b in prompt.branches])
    assert [len(g) for g in groups] == [3, 2]  # 5 sequences: "whole", "label" and 3 free
    # the same question again: only the last prefix token (for its logits) is evaluated again
    again = backend.yes_probabilities("label", chat(SLOT), WORDS[:2])
    assert again == pytest.approx(branched[:2], abs=0.1)
    assert backend.calls[-1].reused_tokens == prefix - 1
    # another question: the system prompt stays cached
    backend.yes_probabilities("label", chat(SLOT, "Is it alive?"), WORDS[:2])
    assert backend.calls[-1].reused_tokens > 5
    # the branch sequences are free again: a plain session still works
    assert 0.0 <= backend.yes_probability("other", chat("toaster")) <= 1.0


def test_the_slot_must_appear_once(tiny_model_path: Path) -> None:
    backend = backend_with(tiny_model_path, lanes=2)
    with pytest.raises(BackendError, match="exactly once"):
        backend.yes_probabilities("label", chat("toaster"), ["x"])
    assert backend.yes_probabilities("label", chat(SLOT), []) == []
