"""Every tunable of the agent in one pydantic-settings class.

Values come from keyword arguments, then environment variables prefixed ``LLM20Q_`` (for example
``LLM20Q_MODEL_PATH=/models/llama3-8b.Q8_0.gguf``), then the defaults below. Nothing is read at
import time: call :func:`load_settings` (or construct :class:`AgentSettings`) when you need them.
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Where Kaggle unpacks a submission; its models/ folder is searched before the working directory's.
KAGGLE_AGENT_DIR = Path("/kaggle_simulations/agent")
PROJECT_DIR = Path(__file__).resolve().parent.parent


def search_dirs(name: str) -> list[Path]:
    """Where run-time data called ``name`` is looked for, in order and without repeats: beside a
    Kaggle submission, in the working directory, in the project."""
    unique: list[Path] = []
    for folder in (KAGGLE_AGENT_DIR / name, Path.cwd() / name, PROJECT_DIR / name):
        if folder.resolve() not in [d.resolve() for d in unique]:
            unique.append(folder)
    return unique


class Strategy(str, Enum):
    """How the guesser seat chooses its questions and guesses."""

    PLANNER = "planner"
    LLM = "llm"


class AnswererPrompt(str, Enum):
    """How the LLM answerer puts a question to the model."""

    DIRECT = "direct"
    THING = "thing"
    CHAT = "chat"


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
        le=256,
        description="Chat sessions kept hot at once (one llama.cpp sequence each); "
        "self-play needs four, a Kaggle seat two (the knowledge labeller: one per keyword of a "
        "decode, plus one; llama.cpp allows 256).",
    )
    n_batch: int = Field(default=512, ge=8, description="Tokens per llama_decode call.")
    n_threads: int | None = Field(
        default=None, description="CPU threads for llama.cpp; all cores when unset."
    )
    n_gpu_layers: int = Field(
        default=-1,
        description="Layers offloaded to the GPU (-1 = all); ignored by a CPU build of llama.cpp.",
    )
    flash_attn: bool = Field(
        default=False,
        description="Flash attention in llama.cpp (worth turning on for CUDA builds); set "
        "explicitly rather than left to llama.cpp's 'auto', so P(yes) is reproducible.",
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
        description="The answerer says yes when P(yes) from the first-token logits is at least "
        "this.",
    )
    answerer_prompt: AnswererPrompt = Field(
        default=AnswererPrompt.DIRECT,
        description="LLM answerer prompt: 'direct' asks the last question alone with the keyword "
        "put in ('Is a toaster found in a kitchen?') after a few worked examples; 'thing' asks "
        "it as 'Thing: toaster / Question: Is it found in a kitchen?' after the same examples "
        "(a model's card may choose it: agent/model/card.py); 'chat' names "
        "the keyword in the system prompt and keeps the game's questions as chat history.",
    )
    strategy: Strategy = Field(
        default=Strategy.PLANNER,
        description="Guesser strategy: 'planner' plays from the knowledge folder (Agent Alpha "
        "bisection or Bayesian questions, the LLM only for keywords outside the lexicon); 'llm' "
        "chats with the model. 'planner' without a knowledge folder plays 'llm' (with a warning).",
    )
    knowledge_dir: Path | None = Field(
        default=None,
        description="Knowledge folder (llm20q kb build). When unset, the first of "
        "/kaggle_simulations/agent/knowledge/, ./knowledge/, <project>/knowledge/ holding "
        "lexicon.npz is used.",
    )
    answerer_rules: bool = Field(
        default=True,
        description="Answer spelling questions by code (agent.rules) and bank questions from the "
        "knowledge table before asking the LLM; False = the plain LLM answerer.",
    )
    table_answer_margin: float = Field(
        default=0.25,
        ge=0.0,
        le=0.5,
        description="The answerer trusts the knowledge table when |p(yes) - 0.5| >= this.",
    )
    planner_handshake: bool = Field(
        default=True,
        description="Ask 'Is it Agent Alpha?' first and bisect alphabetically when it gets a yes.",
    )
    planner_noise_table: float = Field(
        default=0.2,
        ge=0.0,
        lt=0.5,
        description="Answer noise of table (bank) questions (fit with llm20q eval-partners on a "
        "tuning slice of the official list).",
    )
    planner_noise_lexical: float = Field(
        default=0.35,
        ge=0.0,
        lt=0.5,
        description="Answer noise of spelling questions (alphabetical, letters, word count) put "
        "to a partner that does not speak the protocol (fit like planner_noise_table).",
    )
    planner_noise_alpha: float = Field(
        default=1e-4,
        gt=0.0,
        lt=0.5,
        description="Answer noise in Agent Alpha mode (above 0: one bad answer is survivable).",
    )
    planner_protocol_prior: float = Field(
        default=0.5,
        ge=0.0,
        lt=1.0,
        description="Prior probability that the partner speaks the Agent Alpha protocol (before "
        "its answer to the handshake); 0 = never play Agent Alpha.",
    )
    planner_handshake_false_yes: float = Field(
        default=0.3,
        gt=0.0,
        lt=1.0,
        description="Probability that a partner who does not speak the protocol still answers "
        "yes to the handshake.",
    )
    planner_partner_value: float = Field(
        default=4.0,
        ge=0.0,
        description="Bits of keyword information one bit about the partner's kind is worth at the "
        "start of a game (scaled by the rounds left): how readily the planner spends a round "
        "checking a partner that said yes to the handshake; 0 = never check.",
    )
    planner_endgame_rounds: int = Field(
        default=0,
        ge=0,
        le=20,
        description="In the Bayesian mode, from this many rounds before the end, ask the question "
        "that most raises the chance that one of the remaining guesses is right, instead of the "
        "most informative one (0 = never).",
    )
    planner_yes_bias_grid: tuple[float, ...] = Field(
        default=(0.0, 0.1, 0.2, 0.35, 0.5, 0.7, 0.85),
        min_length=1,
        description="The partner's own P(yes | the true answer is no) beyond the per-question "
        "noise, a latent value on this grid learned from its answers during the game (small "
        "LLMs lean to yes: a zero-shot 1.5B partner says yes to 90% of a game's questions); "
        "(0.0,) = no partner bias.",
    )
    planner_yes_bias_prior: tuple[float, ...] = Field(
        default=(0.28, 0.22, 0.18, 0.12, 0.1, 0.06, 0.04),
        min_length=1,
        description="Prior weights of planner_yes_bias_grid (normalised; same length).",
    )
    planner_bayes_spelling: bool = Field(
        default=False,
        description="Ask first-letter, letter-range and word-count questions to a partner that "
        "does not speak the protocol (plain LLMs answer them poorly).",
    )
    planner_top_k: int = Field(
        default=10_000,
        ge=16,
        description="Most probable candidates the information gain is computed over.",
    )
    planner_uniform_mix: float = Field(
        default=0.3,
        ge=0.0,
        le=1.0,
        description="Weight of a uniform prior mixed into the lexicon's (bounds the rounds any "
        "listed keyword needs).",
    )
    planner_outside_prior: float = Field(
        default=0.1,
        ge=0.0,
        lt=1.0,
        description="Prior probability that the keyword is not in the lexicon.",
    )
    planner_fallback_threshold: float = Field(
        default=0.9,
        gt=0.0,
        le=1.0,
        description="The LLM takes over questions and guesses when P(outside the lexicon) "
        "exceeds this (in the Agent Alpha mode only when no coined string is left).",
    )
    planner_coined: bool = Field(
        default=True,
        description="In the Agent Alpha mode, weigh compounds of the lexicon's words that it "
        "does not list ('compost bin') inside the alphabetical interval against its candidates.",
    )
    context_keep: float = Field(
        default=0.6,
        gt=0.0,
        le=1.0,
        description="A chat that outgrows its session's share of the context (n_ctx divided by "
        "the sessions holding a sequence) drops its oldest turns until it fills at most this "
        "fraction of the share (the kept turns are evaluated again, once every few rounds).",
    )
    time_margin_seconds: float = Field(
        default=0.2,
        ge=0.0,
        description="Seconds of each move's actTimeout kept back for the judge (at least; see "
        "time_margin_share).",
    )
    time_margin_share: float = Field(
        default=0.1,
        ge=0.0,
        lt=0.5,
        description="Share of each move's actTimeout kept back for the judge (at least; see "
        "time_margin_seconds).",
    )
    overage_reserve_share: float = Field(
        default=0.25,
        ge=0.0,
        le=1.0,
        description="Share of the overage left (remainingOverageTime) that moves never plan to "
        "spend; the rest is spread evenly over the seat's moves left in the game.",
    )
    first_call_seconds: float = Field(
        default=1.0,
        gt=0.0,
        description="Seconds a model call is expected to take before any call was measured (a "
        "move starts no call it cannot finish).",
    )
    background_load: bool = Field(
        default=True,
        description="Load the model in a background thread from the first move on (the planner "
        "and the rules play meanwhile); False loads it on first use, in the move.",
    )
    verbose: bool = Field(default=False, description="Let llama.cpp log to stderr.")

    @property
    def threads(self) -> int:
        """The CPU threads llama.cpp runs with: ``n_threads``, else every core."""
        return self.n_threads or max(1, os.cpu_count() or 1)


def load_settings(**overrides: object) -> AgentSettings:
    """Settings from the environment, with explicit overrides winning."""
    return AgentSettings(**overrides)  # type: ignore[arg-type]
