"""``llm20q eval-partners``: our guesser with every partner profile, on every keyword list, before
and after a change, in one command (one JSON, one plot, one table).

Each game is the in-process game loop of :mod:`llm20q.eval.simulated` (the judge's turn order,
the official judge's own ``keyword_guessed`` unless ``--local-judge``): our guesser seat (planner,
no model) with an answerer seat playing a :class:`llm20q.eval.partners.PartnerAnswerer`. Per game
it records whether and in how many rounds the keyword was found, and from the guesser policy's
P(protocol) after each round (``partner_trace``, see :class:`agent.policies.planner.
PlannerGuesser`): the round whose answer settled the mode the guesser played to the end
(``decision_round``), the round from which P(protocol) stayed beyond 0.9 or 0.1
(``confident_round``) and the last P(protocol). An agent without partner detection fixes its
mode from the handshake's answer: both rounds count as 1 and it has no P(protocol).

``--before REF`` also plays every game with the agent package of git commit REF: ``git archive``
writes REF's ``agent/`` and ``prompts/`` to a temporary folder beside a link to this workbench's
``llm20q/``, and this module runs there as a worker process (``python -m llm20q.eval.suite
--worker``), so the same games, partners and judge run against the old agent.
``--before-knowledge`` gives that side its own knowledge folder (e.g. one without a fitted prior).

Knowledge folds: when the knowledge folder holds ``folds.json`` (written by ``llm20q kb
fit-prior --folds K``), a keyword listed there is played with the fold folder whose prior was fit
without it, so the official list is never evaluated with a prior fit on its own words.

``--real-games N`` adds the real partners (after side only): N games of our guesser with the
plain LLM answerer in each of its zero-shot and few-shot prompts (rows
``llm-answerer:zero-shot`` and ``llm-answerer:few-shot``) and N games of the plain LLM
questioner with our answerer (:mod:`llm20q.baseline`, :data:`REAL_PAIRINGS`), with the model of
the settings (``make partners``: the 1.5B model, ``PARTNER_REAL_GAMES`` games).

Shortcut: games run one after another in one process per side (a few hundred milliseconds a
game: the guesser's planner moves and the official judge's matching).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from agent.game import judge_normalize
from agent.kinds import ALPHABETICAL, classify
from agent.model.protocol import ChatBackend
from agent.planner.store import KnowledgeBase
from agent.runtime import make_seat
from agent.settings import PROJECT_DIR, AgentSettings
from llm20q.baseline import AnswerStyle
from llm20q.eval.partner_panel import people_agreement
from llm20q.eval.partners import PartnerAnswerer, WordNetTruth
from llm20q.eval.profiles import partner_names, profile
from llm20q.eval.simulated import Guessed, local_guessed, no_model, official_guessed, play
from llm20q.eval.suite_report import partner_decision, summarise
from llm20q.kb.prior import FOLDS_FILE
from llm20q.kb.wordnet import DEFAULT_WORDNET_DIR, WordNet
from llm20q.keywords import Keyword, pick_keywords


@dataclass
class PartnerGame:
    """One game of our guesser with one partner."""

    keyword: str
    solved: bool
    rounds: int
    decision_round: int | None  # the mode played to the end was settled by this round's answer
    confident_round: int | None  # None: P(protocol) ended between 0.1 and 0.9
    final_p_protocol: float | None  # None: the agent has no partner detection
    alphabetical_questions: int
    handed_over: bool
    flipped: int
    coins: int


def knowledge_for(folder: Path, keyword: str) -> Path:
    """The knowledge folder to play ``keyword`` with: its fold's when ``folder`` holds folds."""
    folds = _folds(folder)
    if folds is None:
        return folder
    names, assigned = folds
    fold = assigned.get(judge_normalize(keyword))
    return folder / names[fold] if fold is not None else folder


@cache
def _folds(folder: Path) -> tuple[list[str], dict[str, int]] | None:
    path = folder / FOLDS_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data["folders"]), {k: int(v) for k, v in data["keywords"].items()}


def is_alphabetical(question: str) -> bool:
    return classify(question) is ALPHABETICAL


def play_with_partner(
    settings: AgentSettings,
    keyword: Keyword,
    partner: PartnerAnswerer,
    guessed: Guessed,
    backend: Callable[[], ChatBackend] = no_model,
) -> PartnerGame:
    """One game of our guesser (``settings``) with ``partner`` as the answerer."""
    guesser = make_seat("g", settings, backend)
    answerer = make_seat("a", settings, backend)
    answerer.policies.answerer = partner
    flipped, coins = partner.flipped, partner.coins
    result = play(guesser, answerer, keyword.keyword, guessed)
    policy = guesser.policies.guesser
    alphabetical = sum(map(is_alphabetical, result.questions))
    return PartnerGame(
        keyword=keyword.keyword,
        solved=result.solved,
        rounds=result.rounds,
        **partner_decision(policy),
        alphabetical_questions=alphabetical,
        handed_over=getattr(policy, "handed_over", 0) > 0,
        flipped=partner.flipped - flipped,
        coins=partner.coins - coins,
    )


def play_side(
    settings: AgentSettings,
    sources: Sequence[str],
    partners: Sequence[str],
    *,
    count: int,
    seed: int,
    official_judge: bool = True,
    wordnet_dir: Path = DEFAULT_WORDNET_DIR,
    progress: Callable[[str], None] | None = None,
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Every game of one side: ``{keyword source: {partner: [game, ...]}}``."""
    folder = settings.knowledge_dir
    if folder is None:
        raise ValueError("the partner suite needs a knowledge folder (--knowledge)")
    # Without a model, a hand-over to the LLM fails and the seat plays its fallback: counted in
    # ``handed_over``, not logged with a traceback per turn.
    logging.getLogger("agent.seat").setLevel(logging.CRITICAL)
    truth = WordNetTruth(WordNet.load(wordnet_dir), KnowledgeBase.load(folder))
    check = official_guessed if official_judge else local_guessed
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for source in sources:
        keywords = pick_keywords(source, None, seed)
        if count > 0:
            keywords = keywords[:count]
        out[source] = {}
        for name in partners:
            partner = PartnerAnswerer(profile(name), truth, seed)
            games = []
            started = time.perf_counter()
            for keyword in keywords:
                game_settings = settings.model_copy(
                    update={"knowledge_dir": knowledge_for(folder, keyword.keyword)}
                )
                check_kw = check(keyword.keyword, keyword.alts)
                games.append(asdict(play_with_partner(game_settings, keyword, partner, check_kw)))
            out[source][name] = games
            if progress is not None:
                solved = sum(g["solved"] for g in games)
                progress(
                    f"{source} / {name}: {solved}/{len(games)} solved "
                    f"({time.perf_counter() - started:.0f} s)"
                )
    return out


# ------------------------------------------------------------------------------ the old agent
@contextmanager
def agent_at(ref: str) -> Iterator[Path]:
    """A folder holding ``agent/`` and ``prompts/`` of git commit ``ref`` and a link to this
    workbench's ``llm20q/`` (removed afterwards)."""
    folder = Path(tempfile.mkdtemp(prefix="llm20q-agent-"))
    try:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", ref, "agent", "prompts"],
            cwd=PROJECT_DIR,
            capture_output=True,
            check=False,
        )
        if archive.returncode != 0:
            raise ValueError(
                f"git archive {ref}: {archive.stderr.decode(errors='replace').strip()}"
            )
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
        (folder / "llm20q").symlink_to(PROJECT_DIR / "llm20q", target_is_directory=True)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def worker_arguments(
    args: argparse.Namespace, knowledge: Path, overrides: Sequence[str]
) -> list[str]:
    """The worker's command line for one side."""
    argv = ["--worker", "--knowledge", str(knowledge), "--count", str(args.count),
            "--seed", str(args.seed), "--keywords", ",".join(args.sources),
            "--partners", ",".join(args.partners)]  # fmt: skip
    if args.local_judge:
        argv.append("--local-judge")
    for item in overrides:
        argv += ["--set", item]
    return argv


def play_before(args: argparse.Namespace, knowledge: Path) -> dict[str, Any]:
    """Every game of the ``before`` side, in a worker process running commit ``args.before``."""
    with agent_at(args.before) as folder, tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "before.json"
        env = {k: v for k, v in os.environ.items() if not k.startswith("LLM20Q_")}
        env["PYTHONPATH"] = str(folder)
        worker = worker_arguments(args, knowledge, args.before_set)
        command = [sys.executable, "-m", "llm20q.eval.suite", *worker, "--json", str(out)]
        done = subprocess.run(command, cwd=folder, env=env, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"the worker for {args.before} failed (exit {done.returncode})")
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return result


def absolute_sources(sources: Sequence[str]) -> list[str]:
    """Keyword sources with files made absolute (the worker runs in another folder)."""
    return [s if s == "official" else str(Path(s).resolve()) for s in sources]


# The real partners' rows: our guesser with the plain LLM answerer in each prompt style, and the
# plain LLM questioner with our answerer.
REAL_PAIRINGS: tuple[tuple[str, AnswerStyle | None], ...] = (
    ("llm-answerer:zero-shot", AnswerStyle.ZERO_SHOT),
    ("llm-answerer:few-shot", AnswerStyle.FEW_SHOT),
    ("llm-questioner", None),
)


def play_real(
    settings: AgentSettings, sources: Sequence[str], games: int, seed: int
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Our guesser with the plain LLM answerer (zero-shot and few-shot prompts), and the plain
    LLM questioner with our answerer (``games`` keywords per source, the model of
    ``settings``)."""
    from agent.runtime import LazyBackend
    from llm20q.baseline import BaselineStats, make_baseline_seat

    backend = LazyBackend(settings)
    stats = BaselineStats()
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for source in sources:
        out[source] = {name: [] for name, _ in REAL_PAIRINGS}
        folder = settings.knowledge_dir
        for keyword in pick_keywords(source, games, seed):
            game_settings = settings
            if folder is not None:
                game_settings = settings.model_copy(
                    update={"knowledge_dir": knowledge_for(folder, keyword.keyword)}
                )
            check = local_guessed(keyword.keyword, keyword.alts)
            for pairing, style in REAL_PAIRINGS:
                if style is not None:
                    guesser = make_seat("g", game_settings, backend)
                    answerer = make_baseline_seat("b", game_settings, backend, stats, style)
                else:
                    guesser = make_baseline_seat("b", game_settings, backend, stats)
                    answerer = make_seat("a", game_settings, backend)
                result = play(guesser, answerer, keyword.keyword, check)
                policy = guesser.policies.guesser
                decision = (
                    partner_decision(policy)
                    if style is not None
                    else dict.fromkeys(("decision_round", "confident_round", "final_p_protocol"))
                )
                out[source][pairing].append(
                    asdict(
                        PartnerGame(
                            keyword=keyword.keyword,
                            solved=result.solved,
                            rounds=result.rounds,
                            **decision,
                            alphabetical_questions=sum(map(is_alphabetical, result.questions)),
                            handed_over=getattr(policy, "handed_over", 0) > 0,
                            flipped=0,
                            coins=0,
                        )
                    )
                )
    return out


def run_suite(args: argparse.Namespace) -> dict[str, Any]:
    """Both sides (``before`` when ``args.before``), summaries and games, JSON-ready."""
    started = time.perf_counter()
    knowledge = Path(args.knowledge).resolve()
    games: dict[str, dict[str, dict[str, list[dict[str, Any]]]]] = {}
    if args.before:
        before_knowledge = Path(args.before_knowledge or knowledge).resolve()
        games[f"before ({args.before})"] = play_before(args, before_knowledge)
    settings = settings_with(knowledge, args.set)
    if getattr(args, "model", None):
        settings = settings.model_copy(update={"model_path": Path(args.model)})
    after = play_side(
        settings,
        args.sources,
        args.partners,
        count=args.count,
        seed=args.seed,
        official_judge=not args.local_judge,
        progress=lambda line: print(f"[after] {line}", file=sys.stderr),
    )
    agreement: dict[str, dict[str, Any]] = {}
    if args.real_games > 0:
        for source, pairings in play_real(
            settings, args.sources, args.real_games, args.seed
        ).items():
            after[source].update(pairings)
        from agent.model.files import resolve_model_path

        agreement = people_agreement(resolve_model_path(settings))
    games["after"] = after
    summaries = {
        side: {
            source: {name: summarise(rows) for name, rows in by_partner.items()}
            for source, by_partner in by_source.items()
        }
        for side, by_source in games.items()
    }
    from llm20q.eval.report import git_sha

    return {
        "sources": list(args.sources),
        "partners": {name: profile(name).description for name in args.partners},
        "count": args.count,
        "seed": args.seed,
        "knowledge": str(knowledge),
        "before": args.before,
        "settings": settings.model_dump(mode="json"),
        "git_sha": git_sha(),
        "seconds": round(time.perf_counter() - started, 1),
        "summaries": summaries,
        "people_agreement": agreement,
        "games": games,
    }


def worker_main(argv: Sequence[str] | None = None) -> int:
    """``python -m llm20q.eval.suite --worker ...``: one side's games as JSON."""
    parser = argparse.ArgumentParser(prog="python -m llm20q.eval.suite")
    parser.add_argument("--worker", action="store_true", required=True)
    parser.add_argument("--knowledge", type=Path, required=True)
    parser.add_argument("--keywords", required=True)
    parser.add_argument("--partners", required=True)
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--local-judge", action="store_true")
    parser.add_argument("--set", action="append", default=[])
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args(argv)
    settings = settings_with(args.knowledge, args.set)
    games = play_side(
        settings,
        args.keywords.split(","),
        args.partners.split(","),
        count=args.count,
        seed=args.seed,
        official_judge=not args.local_judge,
        progress=lambda line: print(f"[worker] {line}", file=sys.stderr),
    )
    args.json.write_text(json.dumps(games) + "\n", encoding="utf-8")
    return 0


def settings_with(knowledge: Path, overrides: Sequence[str]) -> AgentSettings:
    """Default settings with ``knowledge_dir`` and ``name=value`` overrides (unknown names are
    ignored, as an older agent's settings ignore newer fields)."""
    values: dict[str, Any] = {}
    for item in overrides:
        name, equals, value = item.partition("=")
        if not equals:
            raise ValueError(f"--set {item!r}: expected setting=value")
        values[name.strip()] = value
    return AgentSettings(knowledge_dir=knowledge.resolve(), **values)


def partner_list(text: str | None) -> list[str]:
    return partner_names([p for p in (text or "").split(",") if p])


if __name__ == "__main__":
    sys.exit(worker_main())
