"""Writing a model's card (:class:`agent.model.card.ModelCard`) from measurements:
``llm20q eval-answerer --calibrate --card`` calibrates the yes threshold, then asks every triple
again at that threshold through the agent's own seat and records the accuracy by kind, the
seconds per answer (p95) and the prompt tokens per second of the answerer's calls. A person's
game loads the model a card vouches for (:func:`model_for_people`).

Shortcut: the card's name is the registry's name of the file (else the file's stem); the prompt
speed counts only the answerer's calls (prompt evaluation; generation is not exercised here).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agent.model.card import SEMANTIC_KINDS, ModelCard, read_card
from agent.model.files import ModelNotFoundError, resolve_model_path
from agent.model.protocol import CallStats
from agent.settings import AgentSettings
from llm20q.models.registry import spec_for_file


def semantic_accuracy(by_kind: dict[str, Any]) -> float | None:
    """Accuracy over the semantic kinds of an answerer report's ``by_kind``."""
    rows = [by_kind[k] for k in SEMANTIC_KINDS if k in by_kind]
    n = sum(r["n"] for r in rows)
    return round(sum(r["correct"] for r in rows) / n, 4) if n else None


def prompt_speed(calls: Sequence[CallStats]) -> float | None:
    """Prompt tokens evaluated per second over the answerer's calls."""
    answers = [c for c in calls if c.kind == "yes_probability" and c.evaluated_tokens]
    seconds = sum(c.seconds for c in answers)
    return round(sum(c.evaluated_tokens for c in answers) / seconds, 1) if seconds else None


def measured_card(
    model: Path,
    settings: AgentSettings,
    evaluation: dict[str, Any],
    loaded: object,
    commit: str,
) -> ModelCard:
    """The card of ``model`` from an answerer evaluation run at the calibrated threshold
    (``settings.yes_threshold``) on the ``loaded`` llama.cpp backend (its calls and yes/no token
    ids), keeping what an older card knew and this run does not."""
    calls: Sequence[CallStats] = getattr(loaded, "calls", ())
    spec = spec_for_file(model.name)
    old = read_card(model)
    base = old or ModelCard(name=spec.name if spec else model.stem, file=model.name)
    by_kind = evaluation["by_kind"]
    return base.updated(
        sha256=spec.sha256 if spec else base.sha256,
        chat_template=spec.template if spec else base.chat_template,
        yes_token_ids=tuple(getattr(loaded, "yes_token_ids", ())),
        no_token_ids=tuple(getattr(loaded, "no_token_ids", ())),
        yes_threshold=settings.yes_threshold,
        answerer_prompt=settings.answerer_prompt,
        accuracy_by_kind={k: v["accuracy"] for k, v in by_kind.items()},
        semantic_accuracy=semantic_accuracy(by_kind),
        answer_p95_seconds=round(evaluation["latency_ms"]["p95"] / 1000, 3),
        prompt_tokens_per_second=prompt_speed(calls),
        threads=settings.threads,
        measured=f"{datetime.date.today().isoformat()} {commit}",
    )


def model_for_people(settings: AgentSettings) -> Path | None:
    """The GGUF a person's game loads: the settings' model when they name one, else the model
    the agent resolves to when its card says it answers within the budget a person waits
    (:data:`agent.model.card.ANSWER_BUDGET_SECONDS`); None when no card vouches for one."""
    if settings.model_path is not None:
        return settings.model_path
    try:
        model = resolve_model_path(settings)
    except ModelNotFoundError:
        return None
    card = read_card(model)
    return model if card is not None and card.answers_in_time else None
