"""What the terminal shows: the rounds so far beside the agent's thinking, drawn with ``rich``.

:func:`frame` builds one screen (a pure function of the game and the planner's view);
:class:`Screen` clears the terminal and prints it. The side panel shows the mode (handshake,
Alpha, Bayesian, LLM), P(keyword outside the lexicon) and the top candidates with their
probabilities; the transcript shows each question's expected information in bits, as the planner
saw it when the question was asked, and who decided each answer.

Shortcut: only the last :data:`SHOWN_ROUNDS` rounds are drawn, so a 20-round game fits a
terminal of ordinary height; the saved game and ``llm20q replay`` keep them all.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from agent.game import MAX_ROUNDS
from agent.planner.explain import Thinking
from llm20q.play.game import PlayedGame, PlayRole

SHOWN_ROUNDS = 12
BAR_WIDTH = 12


def percent(probability: float) -> str:
    """Two significant digits, so that the tiny probabilities of a flat posterior still differ."""
    if probability >= 0.1:
        return f"{100 * probability:.0f}%"
    if probability < 1e-6:
        return "<0.0001%"
    return f"{100 * probability:.2g}%"


def _bits(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def transcript(game: PlayedGame) -> Table:
    """The rounds: question, answer (and who decided it), guess, expected information."""
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False)
    table.add_column("#", justify="right", width=2)
    table.add_column("question", ratio=1)
    table.add_column("answer", width=14 if game.role is PlayRole.ASK else 6)
    table.add_column("guess", max_width=22)
    table.add_column("bits", justify="right", width=4)
    first = max(0, len(game.rounds) - SHOWN_ROUNDS)
    if first:
        table.add_row("", Text(f"... {first} earlier rounds", style="dim"), "", "", "")
    for number, played in enumerate(game.rounds[first:], start=first + 1):
        answer = played.answer or ""
        if answer and game.role is PlayRole.ASK and played.answered_by:
            answer = f"{answer} ({played.answered_by})"
        style = "green" if played.answer == "yes" else "red" if played.answer == "no" else ""
        table.add_row(
            str(number),
            played.question,
            Text(answer, style=style),
            played.guess or "",
            _bits(played.bits),
        )
    return table


def thinking_panel(thinking: Thinking | None, title: str, lexicon_size: int) -> Panel:
    """Mode, P(outside the lexicon) and the top candidates with probability bars."""
    if thinking is None:
        body: RenderableType = Text("no knowledge folder: run `llm20q kb build`", style="dim")
        return Panel(body, title=title, border_style="cyan")
    head = Text.assemble(
        ("mode ", "dim"), (thinking.mode.value, "bold"),
        ("\noutside the lexicon ", "dim"), (percent(thinking.outside), "bold"),
    )  # fmt: skip
    table = Table.grid(padding=(0, 1))
    table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column(justify="right", width=7)
    table.add_column(width=BAR_WIDTH)
    for name, probability in thinking.candidates:
        filled = round(probability * BAR_WIDTH)
        table.add_row(name, percent(probability), Text("█" * filled, style="cyan"))
    footer = Text(f"top of {lexicon_size:,} candidates", style="dim")
    return Panel(Group(head, table, footer), title=title, border_style="cyan")


def frame(
    game: PlayedGame,
    thinking: Thinking | None,
    *,
    lexicon_size: int,
    status: str,
    panel_title: str,
) -> RenderableType:
    """One screen: title line, transcript beside the thinking panel, then the status line."""
    role = "you answer, the agent asks" if game.role is PlayRole.ANSWER else "you ask"
    played = sum(r.answer is not None for r in game.rounds)
    title = Text.assemble(
        ("llm20q play", "bold magenta"), f"  {role}  ", (f"round {played}/{MAX_ROUNDS}", "dim")
    )
    grid = Table.grid(expand=True, padding=(0, 1))
    grid.add_column(ratio=3)
    grid.add_column(ratio=2, min_width=30)
    grid.add_row(transcript(game), thinking_panel(thinking, panel_title, lexicon_size))
    return Group(title, grid, Text(status))


class Screen:
    """The terminal the game is drawn on."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(highlight=False)

    def show(self, renderable: RenderableType) -> None:
        if self.console.is_terminal:
            self.console.clear()
        self.console.print(renderable)

    def say(self, text: str, style: str = "") -> None:
        self.console.print(text, style=style, highlight=False, markup=False)
