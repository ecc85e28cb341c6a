"""Every tunable of the agent in one pydantic-settings class.

Values come from keyword arguments, then environment variables prefixed ``LLM20Q_`` (for example
``LLM20Q_MODEL_PATH=/models/llama3-8b.Q8_0.gguf``), then the defaults below. Nothing is read at import
time: call :func:`load_settings` (or construct :class:`AgentSettings`) when you need them.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Where Kaggle unpacks a submission; its models/ folder is searched before the working directory's.
KAGGLE_AGENT_DIR = Path("/kaggle_simulations/agent")
PROJECT_DIR = Path(__file__).resolve().parent.parent


class Strategy(str, Enum):
    """How the guesser seat chooses its questions and guesses."""

    PLANNER = "planner"
    LLM = "llm"


class AgentSettings(BaseSettings):
    """Settings for the backend, the prompts and the role policies."""

    model_config = SettingsConfigDict(env_prefix="LLM20Q_", extra="ignore", frozen=True)

    model_path: Path | None = Field(
        default=None,
        description="GGUF file to load. When unset, the single *.gguf in "
        "/kaggle_simulations/agent/models/, then ./models/, then <project>/models/ is used.",
    )
    n_ctx: int = Field(
        default=8192,
        ge=256,
        description="Context size in tokens, shared by every chat session (seat) of the process.",
    )
    n_seq_max: int = Field(
        default=4,
        ge=1,
        le=64,
        description="Chat sessions kept hot at once (one llama.cpp sequence each); "
        "self-play needs four, a Kaggle seat two.",
    )
    n_batch: int = Field(default=512, ge=8, description="Tokens per llama_decode call.")
    n_threads: int | None = Field(
        default=None, description="CPU threads for llama.cpp; all cores when unset."
    )
    n_gpu_layers: int = Field(
        default=-1,
        description="Layers offloaded to the GPU (-1 = all); ignored by a CPU build of llama.cpp.",
    )
    seed: int = Field(default=20, description="Seed for sampled generations.")
    temperature: float = Field(
        default=0.0,
        ge=0.0,
        description="Sampling temperature for questions and guesses (0 = greedy).",
    )
    max_question_tokens: int = Field(
        default=48, ge=4, description="Token budget for one generated question."
    )
    max_guess_tokens: int = Field(default=12, ge=2, description="Token budget for one guess.")
    yes_threshold: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="The answerer says yes when P(yes) from the first-token logits is at least this.",
    )
    strategy: Strategy = Field(
        default=Strategy.LLM,
        description="Guesser strategy: 'llm' chats with the model; 'planner' uses the keyword lexicon.",
    )
    verbose: bool = Field(default=False, description="Let llama.cpp log to stderr.")


def load_settings(**overrides: object) -> AgentSettings:
    """Settings from the environment, with explicit overrides winning."""
    return AgentSettings(**overrides)  # type: ignore[arg-type]
