"""Render a chat with a GGUF's own Jinja chat template (``tokenizer.chat_template``).

Pure: template text + messages -> prompt text. We render the way Hugging Face and
llama-cpp-python do (sandboxed Jinja, ``trim_blocks``/``lstrip_blocks``, ``raise_exception``), so
the prompt matches what the model was tuned on. Shortcut: only the variables chat templates of
instruct models commonly read are provided (messages, bos/eos tokens, add_generation_prompt).

The prompt is tokenised with special tokens parsed (the template's own delimiters must become
control tokens), so a message that contains a control token's text (``<|im_end|>``,
``<|eot_id|>``: an opponent's question may) would open or close turns of its own:
:func:`control_text_breaker` gives the function that breaks such text up in message contents
(a space after its first character), so it is tokenised as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import NoReturn

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from agent.model.protocol import ChatMessage

# Used when a GGUF carries no chat template: ChatML, the format of SmolLM2, Qwen and many others.
CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def control_text_breaker(control_texts: Iterable[str]) -> Callable[[str], str]:
    """A function that breaks up every occurrence of ``control_texts`` (two characters or more)
    in a text, so that tokenising it with special tokens parsed yields none of them."""
    texts = sorted({text for text in control_texts if len(text) >= 2}, key=len, reverse=True)
    if not texts:
        return str
    pattern = re.compile("|".join(re.escape(text) for text in texts))

    def breaks(text: str) -> str:
        # Breaking one occurrence may complete another ("<<|im_end|>|im_end|>"): repeat.
        while True:
            broken = pattern.sub(lambda match: match[0][0] + " " + match[0][1:], text)
            if broken == text:
                return text
            text = broken

    return breaks


def _raise_exception(message: str) -> NoReturn:
    raise jinja2.exceptions.TemplateError(message)


def _strftime_now(fmt: str) -> str:
    return datetime.now().strftime(fmt)


@lru_cache(maxsize=8)
def _compile(template: str) -> jinja2.Template:
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    env.globals["raise_exception"] = _raise_exception
    env.globals["strftime_now"] = _strftime_now
    return env.from_string(template)


def render_chat(
    template: str,
    messages: Sequence[ChatMessage],
    *,
    bos_token: str,
    eos_token: str,
    add_generation_prompt: bool,
) -> str:
    """The prompt text for ``messages``; with ``add_generation_prompt`` it ends where the
    assistant's reply begins."""
    return _compile(template).render(
        messages=[message.as_dict() for message in messages],
        bos_token=bos_token,
        eos_token=eos_token,
        add_generation_prompt=add_generation_prompt,
    )
