"""A model's card: what was measured about one GGUF, kept beside it in ``cards/<name>.json``.

The workbench writes a card by measurement (``llm20q eval-answerer --calibrate``: the calibrated
``yes_threshold``, the answerer's accuracy by kind of question, the seconds an answer takes, the
yes/no token ids the answerer reads, tokens per second here) and the agent reads it: the model
plays calibrated without environment variables, and a folder holding several GGUFs loads the best
one that answers in time (:func:`best_model`). The submission ships the card next to the model.

Shortcuts: a card is found by the GGUF's file name, not its hash (hashing a 1 GB file at every
start costs seconds); a card that cannot be read is ignored with a warning, never an error (the
agent must play without it).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.settings import AgentSettings, AnswererPrompt

log = logging.getLogger(__name__)

CARDS_DIR = "cards"
# A person waits at most this long for an answer (p95, one thread, this machine).
ANSWER_BUDGET_SECONDS = 3.0
SEMANTIC_KINDS = ("category", "physical", "use")


class ModelCard(BaseModel):
    """Measured facts about one GGUF (``file``); figures absent until measured are None."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    name: str = Field(description="The registry's name for the model (llm20q models).")
    file: str = Field(description="The GGUF's file name this card describes.")
    sha256: str = ""
    chat_template: str = ""
    yes_token_ids: tuple[int, ...] = ()
    no_token_ids: tuple[int, ...] = ()
    yes_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    answerer_prompt: AnswererPrompt | None = Field(
        default=None, description="The answerer prompt the threshold was calibrated with."
    )
    accuracy_by_kind: dict[str, float] = Field(default_factory=dict)
    semantic_accuracy: float | None = Field(
        default=None, description="Answerer accuracy on the semantic (category, physical, use) "
        "triples of data/ at the calibrated threshold."
    )  # fmt: skip
    answer_p95_seconds: float | None = None
    prompt_tokens_per_second: float | None = None
    threads: int | None = None
    measured: str = Field(default="", description="When and at which commit (date commit).")

    def updated(self, **changes: object) -> ModelCard:
        return self.model_validate({**self.model_dump(), **changes})

    @property
    def answers_in_time(self) -> bool:
        return (
            self.answer_p95_seconds is not None and self.answer_p95_seconds <= ANSWER_BUDGET_SECONDS
        )


def card_path(model: Path, name: str) -> Path:
    """Where the card called ``name`` of the GGUF ``model`` lives (``<folder>/cards/``)."""
    return model.parent / CARDS_DIR / f"{name}.json"


def read_card(model: Path) -> ModelCard | None:
    """The card of GGUF ``model`` from ``cards/`` beside it, or None."""
    folder = model.parent / CARDS_DIR
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            card = ModelCard.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, ValidationError) as error:
            log.warning("ignoring unreadable model card %s: %s", path, error)
            continue
        if card.file == model.name:
            return card
    return None


def write_card(model: Path, card: ModelCard) -> Path:
    path = card_path(model, card.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(card.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path


def best_model(models: Sequence[Path]) -> Path | None:
    """Of several GGUFs, the one whose card shows the best semantic accuracy among those that
    answer within :data:`ANSWER_BUDGET_SECONDS`; None when no card decides."""
    scored = []
    for model in models:
        card = read_card(model)
        if card is not None and card.answers_in_time and card.semantic_accuracy is not None:
            scored.append((card.semantic_accuracy, model.name, model))
    return max(scored)[2] if scored else None


def with_card(settings: AgentSettings, model: Path) -> AgentSettings:
    """``settings`` with the card's calibration (threshold and answerer prompt) where they leave
    it to the default (a value from the environment or a keyword argument always wins)."""
    card = read_card(model)
    if card is None:
        return settings
    measured = {"yes_threshold": card.yes_threshold, "answerer_prompt": card.answerer_prompt}
    update = {
        name: value
        for name, value in measured.items()
        if value is not None and name not in settings.model_fields_set
    }
    return settings.model_copy(update=update) if update else settings
