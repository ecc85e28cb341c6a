"""Command-line pieces every ``llm20q`` command shares: the ``--model`` option, the agent's
settings from the parsed arguments, and JSON output. Standard library only at import time, so
``llm20q --help`` stays instant.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agent.settings import AgentSettings


def add_model_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", help="GGUF to load (default: LLM20Q_MODEL_PATH, else the one in models/)"
    )


def settings_from(args: argparse.Namespace, **overrides: Any) -> AgentSettings:
    """The agent's settings (environment, then ``--model``, then ``overrides``), calibrated by
    the model's card where they leave a value to its default."""
    from agent.model.files import calibrated_settings
    from agent.settings import load_settings

    if getattr(args, "model", None):
        overrides.setdefault("model_path", Path(args.model))
    return calibrated_settings(load_settings(**overrides))


def write_json(path: str | Path | None, payload: dict[str, Any], *, echo: bool = False) -> None:
    """Write ``payload`` as indented JSON to ``path`` (when given); ``echo`` also prints it."""
    text = json.dumps(payload, indent=2)
    if echo:
        print(text)
    if path:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text + "\n", encoding="utf-8")
        if not echo:
            print(f"JSON written to {target}")
