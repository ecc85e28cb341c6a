"""Games of the official judge: how often, and in how many rounds, team 1 finds the keyword.

Every game (:func:`evaluate_games`) is one episode of kaggle-environments' own ``llm_20_questions``
judge (:func:`llm20q.judge.run_episode`, keyword set for that game; the judge's
``keyword_guessed`` decides). Team 1 (seats 0 and 1) is the pairing under test:

- ``self``: this agent's guesser with this agent's answerer (seats from ``make_seat``);
- ``vs-baseline-answerer``: this agent's guesser with the plain LLM-only baseline answerer;
- ``vs-baseline-questioner``: the baseline guesser (questioner) with this agent's answerer;
- ``vs-partner``: this agent's guesser with a simulated partner answerer (``partner``, a profile
  of :mod:`llm20q.eval.partners`: WordNet's reading of the keyword, noise by question kind), or
  with a plain LLM answerer (``llm:GGUF[:style]``: :class:`llm20q.baseline.BaselineAnswerer`);
- ``baseline``: the LLM-only team, as Kaggle's starter notebook plays: the baseline questioner
  with the baseline answerer (notebook prompts), both on the same model; none of this agent.

The judge ends the episode as soon as either team guesses right or errs, so team 2 is a fixed
pair that can do neither: a guesser that always asks "Is it a thing?" and guesses a nonsense
word, and an answerer that always says "no". Only team 1 is reported (see
:mod:`llm20q.eval.report`). All seats of team 1 share one backend (the GGUF is loaded once,
before the first game, so load time is not in the latencies), and every game gets fresh seats.

Shortcut: latencies are wall times of the seat's ``act`` (what the judge waits for, measured by
:class:`llm20q.judge.TimedAgent`), not of the env's step.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.model.protocol import ChatBackend
from agent.policies.base import AnswererPolicy
from agent.runtime import LazyBackend, make_seat
from agent.seat import Seat
from agent.settings import AgentSettings
from llm20q.baseline import (
    AnswerStyle,
    BaselineAnswerer,
    BaselineStats,
    load_baseline_prompts,
    make_baseline_seat,
)
from llm20q.eval import PAIRINGS
from llm20q.judge import TimedAgent, judge_module, run_episode
from llm20q.keywords import Keyword
from llm20q.progress import progress_bar

LLM_PARTNER = "llm:"  # --partner llm:GGUF[:style]

# Team 2: never guesses right, never errs, so it never ends team 1's game.
DUMMY_QUESTION = "Is it a thing?"
DUMMY_GUESS = "zzxqv"


def dummy_guesser(observation: Any, _configuration: Any) -> str:
    return DUMMY_GUESS if getattr(observation, "turnType", "") == "guess" else DUMMY_QUESTION


def dummy_answerer(_observation: Any, _configuration: Any) -> str:
    return "no"


def llm_partner(
    settings: AgentSettings, spec: str, ours: Callable[[], ChatBackend], stats: BaselineStats
) -> AnswererPolicy:
    """The plain LLM answerer of ``--partner llm:GGUF[:style]`` (:class:`BaselineAnswerer`, style
    notebook, zero-shot or few-shot; default zero-shot) on that GGUF: our own backend when it is
    our model, else a second one loaded here."""
    from agent.model.files import ModelNotFoundError, resolve_model_path
    from agent.model.llama_backend import LlamaBackend

    target, style = parse_llm_partner(spec)
    try:
        ours_path: Path | None = resolve_model_path(settings)
    except ModelNotFoundError:
        ours_path = None
    if ours_path is not None and ours_path.resolve() == target.resolve():
        model: ChatBackend = ours()
    else:
        partner = settings.model_copy(update={"model_path": target, "n_seq_max": 2})
        model = LlamaBackend(target, partner)
    prompts = load_baseline_prompts()
    return BaselineAnswerer(model, prompts, settings, "llm-partner", style, stats)


def parse_llm_partner(spec: str) -> tuple[Path, AnswerStyle]:
    """``llm:GGUF[:style]`` -> (GGUF, style); ValueError in a person's words."""
    rest = spec.removeprefix(LLM_PARTNER)
    style = AnswerStyle.ZERO_SHOT
    head, _, tail = rest.rpartition(":")
    if head and tail in [s.value for s in AnswerStyle]:
        rest, style = head, AnswerStyle(tail)
    path = Path(rest).expanduser()
    if not path.is_file():
        styles = ", ".join(s.value for s in AnswerStyle)
        raise ValueError(f"--partner {spec}: no GGUF at {path} (llm:PATH[:STYLE], STYLE: {styles})")
    return path, style


def partner_answerer(
    settings: AgentSettings,
    name: str,
    ours: Callable[[], ChatBackend],
    stats: BaselineStats | None = None,
) -> AnswererPolicy:
    """The partner ``name``: a plain LLM (``llm:GGUF[:style]``, :func:`llm_partner`), else a
    simulated profile reading keywords in WordNet and questions from the knowledge folder of
    ``settings``."""
    if name.startswith(LLM_PARTNER):
        return llm_partner(settings, name, ours, stats or BaselineStats())
    from agent.planner.knowledge import resolve_knowledge_dir
    from agent.planner.store import KnowledgeBase
    from llm20q.eval.partners import PartnerAnswerer, WordNetTruth
    from llm20q.eval.profiles import profile
    from llm20q.kb.wordnet import WordNet

    folder = resolve_knowledge_dir(settings)
    if folder is None:
        raise ValueError("--pairing vs-partner needs a knowledge folder")
    return PartnerAnswerer(profile(name), WordNetTruth(WordNet.load(), KnowledgeBase.load(folder)))


def check_pairing(pairing: str) -> None:
    if pairing not in PAIRINGS:
        raise ValueError(f"unknown pairing {pairing!r}: choose one of {', '.join(PAIRINGS)}")


@dataclass
class GameRecord:
    """Team 1's result in one game."""

    index: int
    keyword: str
    solved: bool
    rounds: int
    seconds: float
    guesser_status: str
    answerer_status: str
    seat_errors: int
    last_guess: str | None
    guesser_policy: str
    answerer_policy: str
    # the game itself, for `llm20q replay`
    questions: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    guesses: tuple[str, ...] = ()


@dataclass
class GamesResult:
    """Every game of one pairing, team 1's turn times by turn type, and the baseline's
    fallback counts."""

    pairing: str
    records: list[GameRecord]
    durations: dict[str, list[float]]
    baseline: BaselineStats
    seconds: float


@dataclass
class TeamOne:
    """Team 1's two timed agents and the seats behind them."""

    guesser: TimedAgent
    answerer: TimedAgent
    seats: tuple[Seat, Seat]


def team_one(
    pairing: str,
    settings: AgentSettings,
    backend: Callable[[], ChatBackend],
    stats: BaselineStats,
    partner: AnswererPolicy | None = None,
) -> TeamOne:
    """Fresh seats for one game of ``pairing`` (``partner``: the answerer of ``vs-partner``)."""
    check_pairing(pairing)
    if (pairing == "vs-partner") != (partner is not None):
        raise ValueError("--pairing vs-partner needs --partner, and only it")
    guesser: Seat
    answerer: Seat
    if pairing in ("vs-baseline-questioner", "baseline"):
        guesser = make_baseline_seat("baseline-g", settings, backend, stats)
    else:
        guesser = make_seat("eval-g", settings, backend)
    if pairing in ("vs-baseline-answerer", "baseline"):
        answerer = make_baseline_seat("baseline-a", settings, backend, stats)
    else:
        answerer = make_seat("eval-a", settings, backend)
        if partner is not None:
            answerer.policies.answerer = partner
    return TeamOne(
        guesser=TimedAgent(lambda obs, _cfg: guesser.act(obs)),
        answerer=TimedAgent(lambda obs, _cfg: answerer.act(obs)),
        seats=(guesser, answerer),
    )


def _solved_by_question(questions: Sequence[str], guesses: Sequence[str]) -> bool:
    """The judge also ends a game when a *question* matches the keyword (its ``guesser_action``
    checks every guesser action): true when the last action was such a question."""
    return len(questions) > len(guesses) and bool(judge_module().keyword_guessed(questions[-1]))


def play_game(
    index: int,
    keyword: Keyword,
    pairing: str,
    settings: AgentSettings,
    backend: Callable[[], ChatBackend],
    stats: BaselineStats,
    durations: dict[str, list[float]],
    partner: AnswererPolicy | None = None,
) -> GameRecord:
    """One official episode with team 1 = ``pairing``; adds team 1's turn times to
    ``durations``."""
    team = team_one(pairing, settings, backend, stats, partner)
    episode = run_episode(
        [team.guesser, team.answerer, dummy_guesser, dummy_answerer], keyword, debug=False
    )
    result = episode.teams[0]
    solved = result.solved or _solved_by_question(result.questions, result.guesses)
    for agent in (team.guesser, team.answerer):
        for turn, seconds in agent.durations.items():
            durations.setdefault(turn, []).extend(seconds)
    return GameRecord(
        index=index,
        keyword=keyword.keyword,
        solved=solved,
        rounds=result.rounds,
        seconds=round(episode.seconds, 3),
        guesser_status=result.guesser_status,
        answerer_status=result.answerer_status,
        seat_errors=sum(seat.errors for seat in team.seats),
        last_guess=result.guesses[-1] if result.guesses else None,
        guesser_policy=type(team.seats[0].policies.guesser).__name__,
        answerer_policy=type(team.seats[1].policies.answerer).__name__,
        questions=result.questions,
        answers=result.answers,
        guesses=result.guesses,
    )


def evaluate_games(
    keywords: Sequence[Keyword],
    pairing: str,
    settings: AgentSettings,
    *,
    backend: LazyBackend | None = None,
    progress: bool = True,
    partner: str | None = None,
) -> GamesResult:
    """Play one game per keyword with team 1 = ``pairing`` (``partner``: the profile of
    ``vs-partner``)."""
    check_pairing(pairing)
    backend = backend or LazyBackend(settings)
    judge_module()  # the 14 s import of kaggle_environments, before the clock and the bar
    stats = BaselineStats()
    answerer = partner_answerer(settings, partner, backend, stats) if partner else None
    if pairing != "vs-partner":
        backend()  # load the GGUF once, before any turn is timed
    durations: dict[str, list[float]] = {}
    records: list[GameRecord] = []
    started = time.perf_counter()
    with progress_bar(len(keywords), pairing, "game", shown=progress) as bar:
        for index, keyword in enumerate(keywords, start=1):
            records.append(
                play_game(index, keyword, pairing, settings, backend, stats, durations, answerer)
            )
            bar.set_postfix(solved=sum(r.solved for r in records), refresh=False)
            bar.update(1)
    return GamesResult(pairing, records, durations, stats, time.perf_counter() - started)
