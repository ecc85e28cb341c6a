"""The people's panel: everyday things x broad questions, answered by ordinary usage.

A panel file (default ``data/people_panel.csv``) is a CSV with the header
``thing,group,question,answer``: one row per (thing, question) pair, ``group`` the thing's kind
(food, tool, appliance, animal, plant, place, vehicle, clothing, ...), ``answer`` what a person
(or a chat LLM answering honestly in 20 Questions) says: ``yes``, ``no`` or ``differs`` (people
give both answers). Question texts are the knowledge table's own, so a table, a partner or an
answerer can be scored pair by pair.

:func:`score` compares any answerer with the panel. Pairs the panel marks ``differs`` are left
out (neither answer is wrong); of the others, an answer that matches counts as *agree*, one that
does not as *disagree*, and no answer (``None``: a table with no information, a partner that
cannot decide) as *silent*. ``informed agreement`` = agree / (agree + disagree) and
``no information`` = silent / (agree + disagree + silent).

:func:`fold` splits the things into two halves by a hash of their name, so a weight fit on one
half can be reported on the other.

Shortcut: one answer per pair (the panel's majority reading); "differs" is not weighed.
"""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

DEFAULT_PANEL = Path(__file__).resolve().parent.parent / "data" / "people_panel.csv"
HEADER = ("thing", "group", "question", "answer")


class PeopleAnswer(str, Enum):
    """What people answer to one question about one thing."""

    YES = "yes"
    NO = "no"
    DIFFERS = "differs"


@dataclass(frozen=True)
class PanelPair:
    """One labelled (thing, question) pair."""

    thing: str
    group: str
    question: str
    answer: PeopleAnswer


class PanelError(ValueError):
    """A panel file that cannot be read as one (the message names the file and line)."""


def read_panel(path: Path | str = DEFAULT_PANEL) -> list[PanelPair]:
    """Every pair of the panel file, checked: the header, the answers, no pair twice."""
    path = Path(path)
    if not path.is_file():
        raise PanelError(f"{path}: no such panel file")
    pairs: list[PanelPair] = []
    seen: set[tuple[str, str]] = set()
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != HEADER:
            raise PanelError(f"{path}:1: the header must be {','.join(HEADER)}, got {header}")
        for line, row in enumerate(reader, start=2):
            if not row or not "".join(row).strip():
                continue
            if len(row) != len(HEADER):
                raise PanelError(f"{path}:{line}: {len(HEADER)} fields expected, got {len(row)}")
            thing, group, question, answer = (field.strip() for field in row)
            if not thing or not question:
                raise PanelError(f"{path}:{line}: empty thing or question")
            try:
                people = PeopleAnswer(answer.lower())
            except ValueError:
                raise PanelError(
                    f"{path}:{line}: answer {answer!r} is not one of yes, no, differs"
                ) from None
            key = (thing.lower(), question)
            if key in seen:
                raise PanelError(f"{path}:{line}: ({thing!r}, {question!r}) is labelled twice")
            seen.add(key)
            pairs.append(PanelPair(thing, group, question, people))
    if not pairs:
        raise PanelError(f"{path}: no labelled pairs")
    return pairs


def fold(thing: str) -> int:
    """0 or 1: the half of the panel ``thing`` belongs to (stable across runs and machines)."""
    return hashlib.sha256(thing.lower().encode("utf-8")).digest()[0] & 1


@dataclass(frozen=True)
class Agreement:
    """How one answerer's answers compare with the panel's."""

    agree: int = 0
    disagree: int = 0
    silent: int = 0
    differs: int = 0  # pairs the panel leaves open (not scored)
    yes_for_no: int = 0  # disagreements where the answerer said yes and people say no

    @property
    def scored(self) -> int:
        return self.agree + self.disagree + self.silent

    @property
    def informed_agreement(self) -> float:
        informed = self.agree + self.disagree
        return self.agree / informed if informed else 0.0

    @property
    def no_information(self) -> float:
        return self.silent / self.scored if self.scored else 0.0

    @property
    def agreement(self) -> float:
        """Agreement over every scored pair (silence counts as a miss)."""
        return self.agree / self.scored if self.scored else 0.0

    def add(self, people: PeopleAnswer, said: bool | None) -> Agreement:
        """This tally with one more pair."""
        if people is PeopleAnswer.DIFFERS:
            return replace(self, differs=self.differs + 1)
        if said is None:
            return replace(self, silent=self.silent + 1)
        if said == (people is PeopleAnswer.YES):
            return replace(self, agree=self.agree + 1)
        return replace(
            self, disagree=self.disagree + 1, yes_for_no=self.yes_for_no + int(bool(said))
        )

    def as_dict(self) -> dict[str, float | int]:
        return {
            "agree": self.agree,
            "disagree": self.disagree,
            "silent": self.silent,
            "differs": self.differs,
            "yes_for_no": self.yes_for_no,
            "informed_agreement": round(self.informed_agreement, 4),
            "no_information": round(self.no_information, 4),
        }


Answerer = Callable[[PanelPair], "bool | None"]


def score(pairs: Iterable[PanelPair], answer_of: Answerer) -> Agreement:
    """The agreement of ``answer_of`` (True yes, False no, None silent) with the panel."""
    tally = Agreement()
    for pair in pairs:
        tally = tally.add(pair.answer, answer_of(pair))
    return tally


def score_by(
    pairs: Iterable[PanelPair], answer_of: Answerer, key: Callable[[PanelPair], str]
) -> dict[str, Agreement]:
    """:func:`score` per value of ``key`` (a question, a group, a source), in first-seen order."""
    tallies: dict[str, Agreement] = defaultdict(Agreement)
    for pair in pairs:
        name = key(pair)
        tallies[name] = tallies[name].add(pair.answer, answer_of(pair))
    return dict(tallies)


def things(pairs: Iterable[PanelPair]) -> Mapping[str, str]:
    """Each thing of the panel and its group, in file order."""
    out: dict[str, str] = {}
    for pair in pairs:
        out.setdefault(pair.thing, pair.group)
    return out
