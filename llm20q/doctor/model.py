"""Doctor checks of a GGUF as the agent runs it (:class:`agent.model.llama_backend.LlamaBackend`).

- load: llama.cpp loads it with the agent's settings (seconds, size, architecture);
- chat template: the GGUF carries one, it renders a chat, BOS is not doubled;
- yes/no tokens: every spelling the answerer reads is one token, and yes and no never share one;
- end of turn: the token the template ends a turn with is one llama.cpp stops generating at;
- 20 rounds: the longest chat of a game (20 rounds of questions and guesses as long as the
  settings allow) plus its reply fits ``n_ctx``;
- speed and slowest move: :mod:`llm20q.doctor.speed`;
- T4 memory: weights + KV cache + compute buffers + CUDA context against a 16 GB T4.

:func:`model_checks` yields each check as it finishes and tells ``progress`` what runs next, so
the command shows a line per check while it runs. :func:`check_load` is also what ``llm20q play``
runs on its ``--model`` before a game. Every detail is one line in plain words.

Shortcut: the memory figure is an estimate from the model's shape (f16 KV cache, a rough compute
buffer, a fixed CUDA context), not a measurement on a GPU.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from agent.game import Round, TurnType
from agent.model.context import session_share
from agent.model.llama_backend import NO_SPELLINGS, YES_SPELLINGS, BackendError, LlamaBackend
from agent.model.protocol import ChatMessage
from agent.policies.prompts import answerer_chat, guesser_chat, load_prompts
from agent.settings import AgentSettings
from llm20q.doctor.checks import Check, fail, ok, warn
from llm20q.doctor.speed import check_move_time, check_speed

T4_USABLE_MIB = 15_360  # what nvidia-smi reports for a T4's 16 GB
CUDA_CONTEXT_MIB = 400
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
    """Whether llama.cpp loads ``path`` with the agent's settings, and the loaded backend."""
    fix = "pass the path of a GGUF file that llama.cpp loads (--model)"
    if path.is_dir():
        return fail("load", f"{path} is a folder, not a GGUF file", fix), None
    if not path.exists():
        return fail("load", f"no such file: {path}", fix), None
    started = time.perf_counter()
    try:
        backend = LlamaBackend(path, settings)
    except (BackendError, OSError) as error:
        return fail("load", f"llama.cpp cannot load it: {error}", fix), None
    seconds = time.perf_counter() - started
    shape = model_shape(backend)
    size = path.stat().st_size
    detail = (
        f"llama.cpp loads {path.name} in {seconds:.1f} s: {size / MIB:,.1f} MiB, a "
        f"{shape['architecture']} model with {shape['n_layer']} layers and a "
        f"{backend.n_vocab:,}-token vocabulary"
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
            "chat template",
            f"the chat template does not render a conversation: {error}",
            "use a GGUF whose chat template renders",
        )
    missing = [m.content for m in chat if m.content not in text]
    doubled = tokens[:2] == [backend.model.bos, backend.model.bos]
    tail = text[text.rindex("U2") + 2 :]
    values = {"tokens": len(tokens), "generation_prompt": tail, "own_template": own is not None}
    if missing or doubled:
        what = f"loses the messages {missing}" if missing else "starts with BOS twice"
        return fail(
            "chat template",
            f"the chat template {what} when it renders a conversation",
            "fix the GGUF's chat template",
            **values,
        )
    detail = (
        f"renders a 4-message conversation in {len(tokens)} tokens; the model's replies start "
        f"after {tail!r}"
    )
    if own is None:
        return warn(
            "chat template",
            "the GGUF has no chat template, so the agent writes ChatML, which this model may "
            "not have learnt; it " + detail,
            "use a GGUF with tokenizer.chat_template (a recent llama.cpp conversion)",
            **values,
        )
    return ok("chat template", "the model's own chat template " + detail, **values)


def check_yes_no(backend: LlamaBackend) -> Check:
    split = {s: backend.tokenize(s, special=False) for s in (*YES_SPELLINGS, *NO_SPELLINGS)}
    multi = {s: len(t) for s, t in split.items() if len(t) != 1}
    shared = set(backend.yes_token_ids) & set(backend.no_token_ids)
    values = {
        "yes": dict(zip(YES_SPELLINGS, backend.yes_token_ids, strict=False)),
        "no": dict(zip(NO_SPELLINGS, backend.no_token_ids, strict=False)),
        "multi_token": multi,
    }
    count = len(split)
    if shared or YES_SPELLINGS[0] in multi or NO_SPELLINGS[0] in multi:
        why = (
            f"a reply's first token can mean both yes and no ({sorted(shared)})"
            if shared
            else "'yes' or 'no' is not one token in this vocabulary"
        )
        return fail(
            "yes/no tokens",
            f"the answerer cannot read this model's yes/no from one token: {why}",
            "use a model whose vocabulary has single-token yes and no",
            **values,
        )
    if multi:

        def first(spelling: str) -> str:
            piece = backend.model.token_bytes(split[spelling][0], special=False)
            return piece.decode("utf-8", errors="replace")

        firsts = ", ".join(
            f"{spelling!r} is {n} tokens, read by its first, {first(spelling)!r}"
            for spelling, n in multi.items()
        )
        return ok(
            "yes/no tokens",
            f"{count - len(multi)} of the {count} spellings of yes and no the answerer reads are "
            f"one token each ({firsts}; harmless unless the model replies in that spelling)",
            **values,
        )
    return ok(
        "yes/no tokens",
        f"all {count} spellings of yes and no the answerer reads (yes, Yes, YES, no...) are one "
        "token each, and no token stands for both",
        **values,
    )


def check_end_of_turn(backend: LlamaBackend) -> Check:
    marker = "MARKER"
    chat = [ChatMessage("user", "Hi"), ChatMessage("assistant", marker)]
    text = backend.render(chat, add_generation_prompt=False)
    after = text[text.rindex(marker) + len(marker) :]
    tokens = backend.tokenize(after, special=True) if after else []
    if not tokens:
        return fail(
            "end of turn",
            "the chat template writes nothing after a reply, so llama.cpp cannot tell where "
            "one ends",
            "use a GGUF whose template ends each turn with its end-of-turn token",
        )
    first = tokens[0]
    piece = backend.model.token_bytes(first, special=True).decode("utf-8", errors="replace")
    if not backend.model.is_end_of_generation(first):
        return fail(
            "end of turn",
            f"a reply ends with {piece!r} (token {first}), which llama.cpp does not stop at: "
            "every reply would run to its token limit",
            "set the GGUF's tokenizer.ggml.eos_token_id (or eot_token_id) to that token",
            token=first,
        )
    return ok(
        "end of turn",
        f"a reply ends with {piece!r} (token {first}), where llama.cpp stops writing",
        token=first,
    )


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
    sizes = (
        f"the longest guesser chat of a {ROUNDS}-round game is {chats['guesser']:,} tokens and "
        f"the longest answerer chat {chats['answerer']:,}"
    )
    values = {**chats, "n_ctx": backend.n_ctx, "self_play": self_play}
    if max(chats.values()) > backend.n_ctx:
        return fail(
            "20 rounds",
            f"a full game does not fit the model's context of {backend.n_ctx:,} tokens: {sizes}",
            "raise LLM20Q_N_CTX (or shorten the prompts)",
            **values,
        ), chats
    detail = f"a full game fits the model's context of {backend.n_ctx:,} tokens: {sizes}"
    if self_play > backend.n_ctx:
        share = session_share(backend.n_ctx, 4)
        detail += (
            f" (in self-play four seats share it: each has {share:,} tokens and what the others "
            "leave unused, and condenses its older rounds beyond that)"
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
    names = {"weights": "weights", "kv_cache": "KV cache", "compute": "compute buffers",
             "cuda_context": "CUDA"}  # fmt: skip
    detail = (
        f"about {total / 1024:.2f} GiB of a T4's {T4_USABLE_MIB / 1024:.1f} GiB ("
        + ", ".join(f"{names[name]} {mib / 1024:.2f}" for name, mib in parts.items())
        + f"; an estimate from the model's shape, for a context of {settings.n_ctx:,} tokens)"
    )
    values = {**{f"{k}_mib": round(v) for k, v in parts.items()}, "total_mib": round(total)}
    if total > T4_USABLE_MIB:
        return fail(
            "T4 memory",
            f"does not fit: {detail}",
            "use a smaller quantisation or lower LLM20Q_N_CTX",
            **values,
        )
    if total > 0.9 * T4_USABLE_MIB:
        return warn("T4 memory", f"fits with little room: {detail}", "lower LLM20Q_N_CTX", **values)
    return ok("T4 memory", f"fits: {detail}", **values)


Progress = Callable[[str], None]  # told what runs next, in a few words


def model_checks(
    path: Path,
    settings: AgentSettings,
    prompts_dir: Path | None = None,
    progress: Progress = lambda _: None,
) -> Iterator[Check]:
    """Every model check, each as it finishes; when the model does not load, only that one."""
    progress(f"loading {path.name}")
    load, backend = check_load(path, settings)
    yield load
    if backend is None:
        return
    try:
        progress("reading the chat template and the vocabulary")
        yield check_template(backend)
        yield check_yes_no(backend)
        yield check_end_of_turn(backend)
        progress("measuring the longest chats of a 20-round game")
        rounds, chats = check_rounds(backend, settings, prompts_dir)
        n_vocab = backend.n_vocab
    finally:
        backend.close()
    yield rounds
    progress("measuring speed (a 128-token prompt and 32 generated tokens, 3 times)")
    speed, measured = check_speed(path, settings)
    yield speed
    yield check_memory(load.values, settings, n_vocab)
    yield check_move_time(measured, chats["guesser"], settings, speed.values["on_gpu"])
