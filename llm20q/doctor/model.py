"""Doctor checks of a GGUF as the agent runs it (:class:`agent.model.llama_backend.LlamaBackend`).

- load: llama.cpp loads it with the agent's settings (seconds, size, architecture);
- chat template: the GGUF carries one, it renders a chat, BOS is not doubled;
- yes/no tokens: every spelling the answerer reads is one token, and yes and no never share one;
- end of turn: the token the template ends a turn with is one llama.cpp stops generating at;
- speed: prompt and generation tokens/s on this machine (:mod:`llm20q.bench.speed`);
- 20 rounds: the longest chat of a game (20 rounds of questions and guesses as long as the
  settings allow) plus its reply fits ``n_ctx``;
- T4 memory: weights + KV cache + compute buffers + CUDA context against a 16 GB T4;
- slowest move: that longest chat evaluated from scratch plus a full question, at the measured
  speed, against Kaggle's 60 s per move.

Shortcuts: the memory figure is an estimate from the model's shape (f16 KV cache, a rough compute
buffer, a fixed CUDA context), not a measurement on a GPU; speed is measured on this machine,
which for a GPU model says little about the T4.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from agent.game import Round, TurnType
from agent.model.context import session_share
from agent.model.llama_backend import NO_SPELLINGS, YES_SPELLINGS, BackendError, LlamaBackend
from agent.model.protocol import ChatMessage
from agent.policies.prompts import answerer_chat, guesser_chat, load_prompts
from agent.settings import AgentSettings
from llm20q.doctor.checks import Check, fail, ok, warn

T4_USABLE_MIB = 15_360  # what nvidia-smi reports for a T4's 16 GB
CUDA_CONTEXT_MIB = 400
KAGGLE_MOVE_SECONDS = 60.0
ROUNDS = 20
MIB = 2**20


def model_shape(backend: LlamaBackend) -> dict[str, Any]:
    """Architecture numbers for the memory estimate, from llama.cpp's view of the GGUF."""
    model = backend.model
    shape: dict[str, Any] = {"architecture": model.metadata("general.architecture") or "?"}
    shape |= model.shape()
    arch, head_dim = shape["architecture"], shape["n_embd"] // max(1, shape["n_head"])
    for name, key, default in (
        ("n_ff", "feed_forward_length", 0),
        ("key_length", "attention.key_length", head_dim),
        ("value_length", "attention.value_length", head_dim),
    ):
        text = model.metadata(f"{arch}.{key}")
        shape[name] = int(text) if text and text.isdigit() else default
    return shape


def check_load(path: Path, settings: AgentSettings) -> tuple[Check, LlamaBackend | None]:
    started = time.perf_counter()
    try:
        backend = LlamaBackend(path, settings)
    except (BackendError, OSError) as error:
        return fail("load", str(error), "pass a GGUF that llama.cpp loads (--model)"), None
    seconds = time.perf_counter() - started
    shape = model_shape(backend)
    size = path.stat().st_size
    detail = (
        f"{path.name}: {size / MIB:,.1f} MiB, {shape['architecture']}, "
        f"{shape['n_layer']} layers, {backend.n_vocab:,} tokens; loaded in {seconds:.1f} s"
    )
    return ok("load", detail, seconds=round(seconds, 2), bytes=size, **shape), backend


def check_template(backend: LlamaBackend) -> Check:
    own = backend.model.chat_template()
    chat = [
        ChatMessage("system", "S1"),
        ChatMessage("user", "U1"),
        ChatMessage("assistant", "A1"),
        ChatMessage("user", "U2"),
    ]
    try:
        text = backend.render(chat, add_generation_prompt=True)
        tokens = backend.tokenize_prompt(text)
    except Exception as error:  # noqa: BLE001 - a broken template is the finding
        return fail(
            "chat template", f"does not render: {error}", "use a GGUF whose template renders"
        )
    missing = [m.content for m in chat if m.content not in text]
    doubled = tokens[:2] == [backend.model.bos, backend.model.bos]
    tail = text[text.rindex("U2") + 2 :]
    values = {"tokens": len(tokens), "generation_prompt": tail, "own_template": own is not None}
    if missing or doubled:
        what = f"drops {missing}" if missing else "starts with BOS twice"
        return fail(
            "chat template", f"the rendered chat {what}", "fix the GGUF's chat template", **values
        )
    detail = f"renders a 4-message chat in {len(tokens)} tokens, reply starts after {tail!r}"
    if own is None:
        return warn(
            "chat template",
            "the GGUF has none: the agent falls back to ChatML; " + detail,
            "use a GGUF with tokenizer.chat_template (a recent llama.cpp conversion)",
            **values,
        )
    return ok("chat template", detail, **values)


def check_yes_no(backend: LlamaBackend) -> Check:
    split = {s: backend.tokenize(s, special=False) for s in (*YES_SPELLINGS, *NO_SPELLINGS)}
    multi = {s: len(t) for s, t in split.items() if len(t) != 1}
    shared = set(backend.yes_token_ids) & set(backend.no_token_ids)
    values = {
        "yes": dict(zip(YES_SPELLINGS, backend.yes_token_ids, strict=False)),
        "no": dict(zip(NO_SPELLINGS, backend.no_token_ids, strict=False)),
        "multi_token": multi,
    }
    ids = ", ".join(f"{s!r} {t[0]}" for s, t in split.items() if len(t) == 1)
    if shared or YES_SPELLINGS[0] in multi or NO_SPELLINGS[0] in multi:
        return fail(
            "yes/no tokens",
            f"yes/no not separable: shared {sorted(shared)}, multi-token {multi}",
            "use a model whose vocabulary has single-token yes and no",
            **values,
        )
    if multi:
        return warn(
            "yes/no tokens",
            f"only the first token counts for {multi}; {ids}",
            "none needed if the model answers in the single-token spellings",
            **values,
        )
    return ok("yes/no tokens", f"all single tokens: {ids}", **values)


def check_end_of_turn(backend: LlamaBackend) -> Check:
    marker = "MARKER"
    chat = [ChatMessage("user", "Hi"), ChatMessage("assistant", marker)]
    text = backend.render(chat, add_generation_prompt=False)
    after = text[text.rindex(marker) + len(marker) :]
    tokens = backend.tokenize(after, special=True) if after else []
    if not tokens:
        return fail(
            "end of turn",
            "the template writes nothing after a reply",
            "use a GGUF whose template ends each turn with its end-of-turn token",
        )
    first = tokens[0]
    piece = backend.model.token_bytes(first, special=True).decode("utf-8", errors="replace")
    if not backend.model.is_end_of_generation(first):
        return fail(
            "end of turn",
            f"a turn ends with {piece!r} ({first}), which llama.cpp does "
            "not stop at: replies would run to max_tokens",
            "set the GGUF's tokenizer.ggml.eos_token_id (or eot_token_id) to that token",
            token=first,
        )
    return ok("end of turn", f"{piece!r} ({first}) ends a turn and stops generation", token=first)


def check_speed(path: Path, settings: AgentSettings) -> tuple[Check, dict[str, Any]]:
    from llm20q.bench.speed import measure

    result = measure(path, settings, prompt_tokens=128, gen_tokens=32, repeats=3)
    detail = (
        f"prompt {result['prompt_tokens_per_s']:,.1f} tok/s, generation "
        f"{result['gen_tokens_per_s']:,.1f} tok/s ({result['threads']} threads, this machine)"
    )
    return ok("speed", detail, **result), result


def _filler(backend: LlamaBackend, budget: int, start: str, word: str, end: str) -> str:
    count = budget
    while count > 0:
        text = start + word * count + end
        if len(backend.tokenize(text, special=False)) <= budget:
            return text
        count -= 1
    return start + end


def longest_chats(
    backend: LlamaBackend, settings: AgentSettings, prompts_dir: Path | None
) -> dict[str, int]:
    """Prompt tokens plus reply budget of the longest guesser and answerer calls of a game."""
    prompts = load_prompts(prompts_dir)
    question = _filler(backend, settings.max_question_tokens, "Is it ", "really ", "big?")
    guess = _filler(backend, settings.max_guess_tokens, "", "word ", "").strip()
    rounds = [Round(f"{question} ({n})", "yes", f"{guess} {n}") for n in range(1, ROUNDS + 1)]
    last = [*rounds[:-1], Round(rounds[-1].question, "yes")]

    def size(messages: list[ChatMessage]) -> int:
        return len(backend.tokenize_prompt(backend.render(messages, add_generation_prompt=True)))

    ask = size(guesser_chat(prompts, rounds[:-1], TurnType.ASK)) + settings.max_question_tokens
    guess_call = size(guesser_chat(prompts, last, TurnType.GUESS)) + settings.max_guess_tokens
    asked = [*rounds[:-1], Round(rounds[-1].question)]
    answer = size(answerer_chat(prompts, "a very long keyword", "things", asked)) + 1
    return {"guesser": max(ask, guess_call), "answerer": answer}


def check_rounds(
    backend: LlamaBackend, settings: AgentSettings, prompts_dir: Path | None
) -> tuple[Check, dict[str, int]]:
    chats = longest_chats(backend, settings, prompts_dir)
    self_play = 2 * (chats["guesser"] + chats["answerer"])
    detail = (
        f"round {ROUNDS}: guesser {chats['guesser']:,} tokens, answerer "
        f"{chats['answerer']:,} (n_ctx {backend.n_ctx:,}; 4-seat self-play {self_play:,})"
    )
    values = {**chats, "n_ctx": backend.n_ctx, "self_play": self_play}
    if max(chats.values()) > backend.n_ctx:
        return fail(
            "20 rounds", detail, "raise LLM20Q_N_CTX (or shorten the prompts)", **values
        ), chats
    if self_play > backend.n_ctx:
        share = session_share(backend.n_ctx, 4)
        detail += (
            f": in self-play each seat's chat keeps to {share:,} tokens (older rounds condensed)"
        )
    return ok("20 rounds", detail, **values), chats


def check_memory(shape: dict[str, Any], settings: AgentSettings, n_vocab: int) -> Check:
    kv = (
        shape["n_layer"]
        * settings.n_ctx
        * shape["n_head_kv"]
        * (shape["key_length"] + shape["value_length"])
        * 2
    )
    compute = settings.n_batch * (n_vocab + 4 * max(shape["n_ff"], shape["n_embd"])) * 4
    parts = {
        "weights": shape["weight_bytes"] / MIB,
        "kv_cache": kv / MIB,
        "compute": compute / MIB,
        "cuda_context": CUDA_CONTEXT_MIB,
    }
    total = sum(parts.values())
    detail = (
        " + ".join(f"{name} {mib / 1024:.2f}" for name, mib in parts.items())
        + f" = {total / 1024:.2f} GiB of a T4's {T4_USABLE_MIB / 1024:.1f} GiB "
        f"(n_ctx {settings.n_ctx:,}, f16 KV; estimate)"
    )
    values = {**{f"{k}_mib": round(v) for k, v in parts.items()}, "total_mib": round(total)}
    if total > T4_USABLE_MIB:
        return fail(
            "T4 memory", detail, "use a smaller quantisation or lower LLM20Q_N_CTX", **values
        )
    if total > 0.9 * T4_USABLE_MIB:
        return warn("T4 memory", detail, "little headroom: lower LLM20Q_N_CTX", **values)
    return ok("T4 memory", detail, **values)


def check_move_time(speed: dict[str, Any], chats: dict[str, int], settings: AgentSettings) -> Check:
    prompt = chats["guesser"] - settings.max_question_tokens
    seconds = (
        prompt / speed["prompt_tokens_per_s"]
        + settings.max_question_tokens / speed["gen_tokens_per_s"]
    )
    detail = (
        f"{prompt:,}-token chat from scratch + {settings.max_question_tokens} generated "
        f"tokens: {seconds:.1f} s on this machine (Kaggle allows {KAGGLE_MOVE_SECONDS:.0f} s)"
    )
    if seconds > KAGGLE_MOVE_SECONDS:
        return warn(
            "slowest move",
            detail,
            "too slow here: play this model on a GPU (T4 build: "
            "build_submission.sh --cuda) or choose a smaller one",
            seconds=seconds,
        )
    return ok("slowest move", detail, seconds=round(seconds, 2))


def model_checks(
    path: Path, settings: AgentSettings, prompts_dir: Path | None = None
) -> list[Check]:
    """Every model check; when the model does not load, only that one."""
    load, backend = check_load(path, settings)
    if backend is None:
        return [load]
    try:
        checks = [load, check_template(backend), check_yes_no(backend), check_end_of_turn(backend)]
        rounds, chats = check_rounds(backend, settings, prompts_dir)
        n_vocab = backend.n_vocab
    finally:
        backend.close()
    speed, measured = check_speed(path, settings)
    memory = check_memory(load.values, settings, n_vocab)
    return [*checks, speed, rounds, memory, check_move_time(measured, chats, settings)]
