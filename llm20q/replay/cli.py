"""Command-line wiring of ``llm20q replay`` and ``llm20q fetch-js``.

Only argparse set-up at import time; numpy (the planner view) and kaggle_environments (for
``--html``, about 14 s) are imported when the command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a self-play episode, an eval report or a terminal game")
    parser.add_argument(
        "--html",
        help="write an HTML replay here (kaggle-environments' player, JavaScript inlined: "
        "it opens offline)",
    )
    parser.add_argument(
        "--game", type=int, default=1, help="with --html: which game of the file (default 1)"
    )
    parser.add_argument(
        "--top", type=int, default=5, help="candidates printed per round (default 5)"
    )


def run(args: argparse.Namespace) -> int:
    from agent.planner.explain import PlannerView
    from agent.settings import load_settings
    from llm20q.replay.printer import format_transcript
    from llm20q.replay.transcripts import load_transcripts

    path = Path(args.file)
    transcripts = load_transcripts(path)
    view = PlannerView.from_settings(load_settings())
    for transcript in transcripts:
        print(format_transcript(transcript, view, args.top))
        print()
    if args.html:
        out = write_html(path, args.game, Path(args.html))
        print(f"HTML replay written to {out}")
    return 0


def write_html(path: Path, game: int, out: Path) -> Path:
    """The offline HTML replay of game ``game`` (1-based) of ``path``."""
    from llm20q.replay.html import episode_env, offline_html, transcript_env
    from llm20q.replay.transcripts import kind_of, load_transcripts, read_json

    payload = read_json(path)
    if kind_of(payload) == "episode":
        env = episode_env(payload)  # both teams are in the env's own steps
    else:
        transcripts = load_transcripts(path)
        if not 1 <= game <= len(transcripts):
            raise ValueError(f"--game {game}: {path} holds {len(transcripts)} game(s)")
        chosen = transcripts[game - 1]
        if not chosen.recorded:
            raise ValueError(f"{path} keeps game {game}'s result only: nothing to replay")
        env = transcript_env(chosen)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(offline_html(env), encoding="utf-8")
    return out


def add_fetch_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dest", help="target folder (default vendor/js in the project)")


def run_fetch(args: argparse.Namespace) -> int:
    from llm20q.replay.assets import ASSETS_DIR, fetch_assets

    paths = fetch_assets(Path(args.dest) if args.dest else ASSETS_DIR)
    print(f"player JavaScript ready in {paths[0].parent} ({len(paths)} files, sha256 checked)")
    return 0
