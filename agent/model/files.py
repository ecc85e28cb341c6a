"""Finding the GGUF to load: the ``LLM20Q_MODEL_PATH`` setting, else the ``*.gguf`` in
``/kaggle_simulations/agent/models/``, ``./models/`` or the project's ``models/`` (of several, the
best one that answers in time by their cards, :func:`agent.model.card.best_model`), and the
settings calibrated by its card (:func:`calibrated_settings`).

Nothing is ever downloaded at run time (``llm20q fetch-model`` puts the default model in place at
set-up time). A missing file, or a folder with several GGUFs and no card that decides, is a
:class:`ModelNotFoundError` that says where we looked.
"""

from __future__ import annotations

from pathlib import Path

from agent.model.card import best_model, with_card
from agent.settings import AgentSettings, search_dirs


class ModelNotFoundError(FileNotFoundError):
    """No usable GGUF where the settings say to look."""


def model_search_dirs() -> list[Path]:
    """Folders searched for a GGUF when no path is set, in order."""
    return search_dirs("models")


def resolve_model_path(settings: AgentSettings) -> Path:
    """The GGUF to load, or a :class:`ModelNotFoundError` that says where we looked."""
    if settings.model_path is not None:
        path = settings.model_path.expanduser()
        if not path.is_file():
            raise ModelNotFoundError(f"LLM20Q_MODEL_PATH points to a missing file: {path}")
        return path
    for folder in model_search_dirs():
        found = sorted(folder.glob("*.gguf")) if folder.is_dir() else []
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            best = best_model(found)
            if best is not None:
                return best
            names = ", ".join(p.name for p in found)
            raise ModelNotFoundError(
                f"{folder} holds several GGUF files ({names}) and no model card chooses one: "
                "set LLM20Q_MODEL_PATH (or --model), or write their cards with "
                "`llm20q eval-answerer --calibrate --card`"
            )
    looked = ", ".join(str(d) for d in model_search_dirs())
    raise ModelNotFoundError(
        f"no *.gguf found (looked in {looked}); run `make setup` or set LLM20Q_MODEL_PATH"
    )


def calibrated_settings(settings: AgentSettings) -> AgentSettings:
    """``settings`` calibrated by the card of the model they resolve to (unchanged when there is
    no model or no card)."""
    try:
        model = resolve_model_path(settings)
    except ModelNotFoundError:
        return settings
    return with_card(settings, model)
