"""The hand-written source of the people's panel, and the CSV it generates.

``data/people_panel_source.txt`` is written and reviewed by hand; ``data/people_panel.csv`` (what
:mod:`llm20q.panel` reads) is generated from it:
``python -m llm20q.panel_source [SOURCE] [CSV]`` (``--check``: fail if the CSV is out of date;
``--review [KEY ...]``: print each question's yes and differs lists, to review a question across
every thing).

The source is plain text, ``#`` starts a comment. A question line gives a short key and the
table's exact question text::

    ? device = Is it a device?

A thing line gives the thing, its group, then the keys of the questions people answer *yes*,
with ``~`` before the keys where people *differ*; every question not named is a *no*::

    toaster | appliance | made device ~machine appliance kitchen electricity

Every thing is answered on every question (so the CSV has things x questions rows, in source
order). An unknown key, a key named twice on one line, a thing twice, or a question text twice
is an error naming the line.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from llm20q.panel import DEFAULT_PANEL, HEADER, PanelError, PeopleAnswer

DEFAULT_SOURCE = DEFAULT_PANEL.with_name("people_panel_source.txt")
DIFFERS_MARK = "~"


@dataclass(frozen=True)
class PanelThing:
    """One thing of the source: its group and its answer to every question key."""

    name: str
    group: str
    answers: dict[str, PeopleAnswer]


@dataclass(frozen=True)
class PanelSource:
    """Questions (key -> table text, in source order) and things (in source order)."""

    questions: dict[str, str]
    things: list[PanelThing]


def parse_source(text: str, name: str = "<source>") -> PanelSource:
    """Read a panel source (see the module docstring); :class:`PanelError` names the line."""
    questions: dict[str, str] = {}
    things: list[PanelThing] = []
    seen_things: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        where = f"{name}:{number}"
        if not line:
            continue
        if line.startswith("?"):
            key, equals, question = line[1:].partition("=")
            key, question = key.strip(), question.strip()
            if not equals or not key or not question:
                raise PanelError(f"{where}: expected '? key = question text'")
            if key in questions or question in questions.values():
                raise PanelError(f"{where}: question {key!r} ({question!r}) is given twice")
            questions[key] = question
            continue
        fields = [f.strip() for f in line.split("|")]
        if len(fields) != 3 or not fields[0] or not fields[1]:
            raise PanelError(f"{where}: expected 'thing | group | yes keys ~differs keys'")
        thing, group, keys = fields
        if thing.lower() in seen_things:
            raise PanelError(f"{where}: {thing!r} is given twice")
        seen_things.add(thing.lower())
        answers = dict.fromkeys(questions, PeopleAnswer.NO)
        named: set[str] = set()
        for token in keys.split():
            key = token.removeprefix(DIFFERS_MARK)
            if key not in questions:
                raise PanelError(f"{where}: unknown question key {key!r}")
            if key in named:
                raise PanelError(f"{where}: {key!r} is named twice")
            named.add(key)
            differs = token.startswith(DIFFERS_MARK)
            answers[key] = PeopleAnswer.DIFFERS if differs else PeopleAnswer.YES
        things.append(PanelThing(thing, group, answers))
    if not questions or not things:
        raise PanelError(f"{name}: no questions or no things")
    return PanelSource(questions, things)


def read_source(path: Path | str = DEFAULT_SOURCE) -> PanelSource:
    path = Path(path)
    if not path.is_file():
        raise PanelError(f"{path}: no such panel source")
    return parse_source(path.read_text(encoding="utf-8"), str(path))


def panel_csv(source: PanelSource) -> str:
    """The panel CSV text: one row per (thing, question), things then questions in source order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for thing in source.things:
        for key, question in source.questions.items():
            writer.writerow((thing.name, thing.group, question, thing.answers[key].value))
    return out.getvalue()


def review_lines(source: PanelSource, keys: Sequence[str] = ()) -> list[str]:
    """Per question (``keys``, default all): the things people answer yes, and where they differ
    (a column of the panel, for reviewing one question across every thing)."""
    lines = []
    for key in keys or list(source.questions):
        if key not in source.questions:
            raise PanelError(f"unknown question key {key!r}")
        yes = [t.name for t in source.things if t.answers[key] is PeopleAnswer.YES]
        differs = [t.name for t in source.things if t.answers[key] is PeopleAnswer.DIFFERS]
        lines += [
            f"{key}: {source.questions[key]} (yes {len(yes)}, differs {len(differs)})",
            f"  yes: {', '.join(yes)}",
            f"  differs: {', '.join(differs)}",
        ]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m llm20q.panel_source``: write (or ``--check``) the panel CSV."""
    parser = argparse.ArgumentParser(prog="python -m llm20q.panel_source", description=__doc__)
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_PANEL)
    parser.add_argument("--check", action="store_true", help="fail if the CSV is out of date")
    parser.add_argument(
        "--review",
        nargs="*",
        metavar="KEY",
        help="print each question's yes and differs lists (all questions, or these keys)",
    )
    args = parser.parse_args(argv)
    try:
        source = read_source(args.source)
        if args.review is not None:
            print("\n".join(review_lines(source, args.review)))
            return 0
    except PanelError as error:
        print(error, file=sys.stderr)
        return 2
    text = panel_csv(source)
    if args.check:
        current = args.csv.read_text(encoding="utf-8") if args.csv.is_file() else ""
        if current != text:
            print(f"{args.csv} is out of date: run python -m llm20q.panel_source", file=sys.stderr)
            return 1
        return 0
    args.csv.write_text(text, encoding="utf-8")
    pairs = len(source.things) * len(source.questions)
    print(f"wrote {args.csv}: {len(source.things)} things x {len(source.questions)} questions")
    print(f"= {pairs} pairs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
