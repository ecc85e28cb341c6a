"""The text side of a loaded GGUF: tokenising, detokenising, the chat rendered with the GGUF's own
template, and the token ids that start "yes" and "no".

:class:`LlamaText` is the base of :class:`agent.model.llama_backend.LlamaBackend`: it reads what
it needs from the model handle once (:meth:`LlamaText.read_vocabulary`) and never touches the
context or the KV cache.

Shortcuts: a GGUF without a chat template gets ChatML; "yes"/"no" are read from the first token
of a few spellings only (a model that splits every spelling gets none, and fails to load).
"""

from __future__ import annotations

from collections.abc import Sequence

from agent.model.chat_template import CHATML_TEMPLATE, control_text_breaker, render_chat
from agent.model.llama_handles import HandleError, LlamaModel
from agent.model.protocol import ChatMessage

YES_SPELLINGS = ("yes", "Yes", "YES", " yes", " Yes")
NO_SPELLINGS = ("no", "No", "NO", " no", " No")


class BackendError(RuntimeError):
    """llama.cpp refused an operation (load, decode, tokenise)."""


class LlamaText:
    """Tokens and prompt text of one model (``model`` is given by the subclass)."""

    chat_template: str
    bos_token: str
    eos_token: str
    yes_token_ids: tuple[int, ...]
    no_token_ids: tuple[int, ...]

    @property
    def model(self) -> LlamaModel:
        raise NotImplementedError

    def read_vocabulary(self) -> None:
        """Read the template, BOS/EOS text and yes/no token ids from the loaded model."""
        model = self.model
        self.chat_template = model.chat_template() or CHATML_TEMPLATE
        self.bos_token = self._token_text(model.bos)
        self.eos_token = self._token_text(model.eos)
        self.yes_token_ids = self._first_token_ids(YES_SPELLINGS)
        self.no_token_ids = self._first_token_ids(NO_SPELLINGS)
        self._break_control_text = control_text_breaker(model.control_texts())

    def tokenize(self, text: str, *, add_bos: bool = False, special: bool = True) -> list[int]:
        try:
            return self.model.tokenize(text, add_bos=add_bos, special=special)
        except HandleError as error:
            raise BackendError(str(error)) from error

    def _token_text(self, token: int) -> str:
        return self.model.token_bytes(token, special=True).decode("utf-8", errors="replace")

    def detokenize(self, tokens: Sequence[int]) -> str:
        raw = b"".join(self.model.token_bytes(token, special=False) for token in tokens)
        return raw.decode("utf-8", errors="replace")

    def _first_token_ids(self, spellings: Sequence[str]) -> tuple[int, ...]:
        ids: list[int] = []
        for spelling in spellings:
            tokens = self.tokenize(spelling, special=False)
            if tokens and tokens[0] not in ids:
                ids.append(tokens[0])
        return tuple(ids)

    def render(self, messages: Sequence[ChatMessage], *, add_generation_prompt: bool) -> str:
        """The prompt text for a chat, rendered with the GGUF's own template (control tokens
        written inside the messages broken up)."""
        return render_chat(
            self.chat_template,
            [ChatMessage(m.role, self._break_control_text(m.content)) for m in messages],
            bos_token=self.bos_token,
            eos_token=self.eos_token,
            add_generation_prompt=add_generation_prompt,
        )

    def tokenize_prompt(self, text: str) -> list[int]:
        """The tokens of a rendered prompt, with BOS added only when the text lacks it."""
        # Templates that write the BOS token themselves (Llama 3) must not get a second one.
        add_bos = self.model.add_bos and not (self.bos_token and text.startswith(self.bos_token))
        return self.tokenize(text, add_bos=add_bos, special=True)
