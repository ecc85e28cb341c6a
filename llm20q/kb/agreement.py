"""How far a knowledge table answers the way people do: the table scored against the panel.

``llm20q kb agreement --kb DIR [--panel FILE]`` reads the people's panel (:mod:`llm20q.panel`) and
asks the table each of its (thing, question) pairs, as the answerer reads it: the thing is matched
to a candidate as the planner matches a keyword (:meth:`KnowledgeBase.match`: exact entry, then
the judge's normalisation and plurals), and the table *answers* when its p(yes) is at least the
trust margin away from 0.5 (``AgentSettings().table_answer_margin``, the rule-first answerer's);
otherwise it is *silent*. A question is found by its text, as the answerer finds it
(:attr:`KnowledgeBase.question_ids`). A thing the lexicon lacks, or a question the table lacks, is
silent on every pair (both are listed). The tallies are :class:`llm20q.panel.Agreement`: agree,
disagree, silent, yes-for-no, informed agreement and no-information, overall, for the pairs
people answer yes and no apart (most pairs are a no, so a table that says no to everything
would look good overall), by question, by source and by the thing's group.

The *source* of an answer is :func:`answer_source`, the one place that says where a table answer
comes from. A table built with readings tags every answer (:class:`SourceTags`: ``sources`` per
entry and ``default_source`` per row in ``answers.npz``, their names in ``questions.json``'s
``answer_sources``: ``wordnet``, ``is``, ``gloss``, ``lex``, ``default``, ``llm``,
``unlabelled``; see :mod:`llm20q.kb.readings.rules`). An older table's source is read from the
question (``questions.json``: ``wordnet:...`` taxonomy rows, ``...+llm`` rows with LLM labels
merged in by ``kb merge``, ``llm`` property rows) and, for property rows, from whether the row
lists the candidate at all (an unlisted candidate gets the row's default: "unlabelled").

Shortcut: a pair's p(yes) is the table's stored value (no prior, no noise model), exactly what the
rule-first answerer reads.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from agent.planner.store import ANSWERS_FILE, QUESTIONS_FILE, KnowledgeBase
from agent.settings import AgentSettings
from llm20q.panel import Agreement, PanelPair, PeopleAnswer, score, score_by

NO_CANDIDATE = "no candidate"
NO_QUESTION = "no question"
UNLABELLED = "unlabelled"


def default_margin() -> float:
    """The answerer's trust margin: the table answers when |p(yes) - 0.5| >= this."""
    return AgentSettings().table_answer_margin


def table_says(p: float, margin: float) -> bool | None:
    """The table's answer for p(yes) ``p``: yes, no, or None (silent) inside the margin."""
    if abs(p - 0.5) < margin:
        return None
    return p >= 0.5


def question_source(source: str) -> str:
    """The family of a question's ``source`` field: ``wordnet``, ``wordnet+llm`` or ``llm``."""
    families = {part.split(":", 1)[0] for part in source.split("+") if part}
    has_wordnet, has_llm = "wordnet" in families, "llm" in families
    if has_wordnet and has_llm:
        return "wordnet+llm"
    if has_wordnet:
        return "wordnet"
    if has_llm:
        return "llm"
    return source or "unknown"


@dataclass(frozen=True)
class SourceTags:
    """The per-answer source codes a table built with readings stores."""

    names: tuple[str, ...]
    indptr: npt.NDArray[np.int64]
    indices: npt.NDArray[np.int32]
    codes: npt.NDArray[np.uint8]
    default_codes: npt.NDArray[np.uint8]

    @classmethod
    def load(cls, kb: KnowledgeBase) -> SourceTags | None:
        """The folder's tags, or None for a table that does not store them."""
        names = json.loads((kb.folder / QUESTIONS_FILE).read_text("utf-8")).get("answer_sources")
        if not names:
            return None
        with np.load(kb.folder / ANSWERS_FILE) as answers:
            if "sources" not in answers:
                return None
            return cls(
                tuple(names),
                np.asarray(answers["indptr"], dtype=np.int64),
                np.asarray(answers["indices"], dtype=np.int32),
                np.asarray(answers["sources"], dtype=np.uint8),
                np.asarray(answers["default_source"], dtype=np.uint8),
            )

    def rules_silent(self, kb: KnowledgeBase, thing: str, question: str) -> bool:
        """True when the table answers ``question`` about ``thing`` by a reading's default or
        not at all (where LLM labels are pooled in)."""
        candidate, row = kb.match(thing), kb.question_ids.get(question)
        if candidate is None or row is None:
            return True
        return self.of(kb, row, candidate) in ("default", "unlabelled")

    def of(self, kb: KnowledgeBase, question: int, candidate: int) -> str:
        start, end = self.indptr[question], self.indptr[question + 1]
        hit = np.flatnonzero(self.indices[start:end] == candidate)
        if len(hit):
            return self.names[int(self.codes[start + hit[0]])]
        if kb.questions[question].kind == "taxonomy" and kb.unknown[candidate]:
            return UNLABELLED
        return self.names[int(self.default_codes[question])]


def answer_source(
    kb: KnowledgeBase,
    question: int | None,
    candidate: int | None,
    tags: SourceTags | None = None,
) -> str:
    """Where the table's answer to ``question`` about ``candidate`` comes from (see the module
    docstring); :data:`NO_CANDIDATE` / :data:`NO_QUESTION` when the table has neither."""
    if candidate is None:
        return NO_CANDIDATE
    if question is None:
        return NO_QUESTION
    if tags is not None:
        return tags.of(kb, question, candidate)
    row = kb.questions[question]
    family = question_source(row.source)
    if row.kind == "property":
        listed, _ = kb.entries(question)
        if not np.any(listed == candidate):
            return UNLABELLED
    return family


@dataclass(frozen=True)
class PairResult:
    """The table's reading of one panel pair."""

    pair: PanelPair
    p_yes: float | None  # None: no candidate or no question
    said: bool | None
    source: str


@dataclass
class AgreementReport:
    """The table scored against the panel."""

    margin: float
    overall: Agreement
    by_question: dict[str, Agreement]
    by_source: dict[str, Agreement]
    by_group: dict[str, Agreement]
    by_people: dict[str, Agreement]  # "yes" and "no" pairs apart: a table that says no to all
    missing_things: list[str]
    missing_questions: list[str]
    results: list[PairResult] = field(repr=False)
    heading: str = ""  # the report's first line; default: the table's trust margin

    def title(self) -> str:
        return self.heading or f"table answers when |p(yes) - 0.5| >= {self.margin:g}"

    def disagreements(self) -> list[PairResult]:
        """Every pair where the table answers against the people's (not ``differs``) answer."""
        return [
            r
            for r in self.results
            if r.said is not None
            and r.pair.answer is not PeopleAnswer.DIFFERS
            and r.said != (r.pair.answer is PeopleAnswer.YES)
        ]

    def worst_questions(self) -> list[tuple[str, Agreement]]:
        """Questions by disagreements, then silences, most first (ties in panel order)."""
        return sorted(self.by_question.items(), key=lambda kv: (-kv[1].disagree, -kv[1].silent))

    def as_dict(self) -> dict[str, Any]:
        return {
            "margin": self.margin,
            "pairs": len(self.results),
            "overall": tally_dict(self.overall),
            "by_question": {k: tally_dict(v) for k, v in self.worst_questions()},
            "by_source": {k: tally_dict(v) for k, v in self.by_source.items()},
            "by_group": {k: tally_dict(v) for k, v in self.by_group.items()},
            "by_people": {k: tally_dict(v) for k, v in self.by_people.items()},
            "missing_things": self.missing_things,
            "missing_questions": self.missing_questions,
            "disagreements": [
                {
                    "thing": r.pair.thing,
                    "question": r.pair.question,
                    "people": r.pair.answer.value,
                    "p_yes": None if r.p_yes is None else round(r.p_yes, 3),
                    "source": r.source,
                }
                for r in self.disagreements()
            ],
        }


def read_pairs(kb: KnowledgeBase, pairs: Sequence[PanelPair], margin: float) -> list[PairResult]:
    """The table's p(yes), answer and source for every panel pair."""
    candidate = {p.thing: kb.match(p.thing) for p in pairs}
    questions = {p.question: kb.question_ids.get(p.question) for p in pairs}
    known = sorted({c for c in candidate.values() if c is not None})
    column = {c: i for i, c in enumerate(known)}
    rows = {
        q: kb.answer_probs(q)[known]
        for q in sorted({q for q in questions.values() if q is not None})
    }
    tags = SourceTags.load(kb)
    results = []
    for pair in pairs:
        c, q = candidate[pair.thing], questions[pair.question]
        p = None if c is None or q is None else float(rows[q][column[c]])
        said = None if p is None else table_says(p, margin)
        results.append(PairResult(pair, p, said, answer_source(kb, q, c, tags)))
    return results


def agreement_report(
    kb: KnowledgeBase, pairs: Sequence[PanelPair], margin: float | None = None
) -> AgreementReport:
    """Score the table ``kb`` against the panel ``pairs`` (``margin`` defaults to the
    answerer's, :func:`default_margin`)."""
    margin = default_margin() if margin is None else margin
    return report_from_results(
        pairs,
        read_pairs(kb, pairs, margin),
        margin,
        missing_things=sorted({p.thing for p in pairs if kb.match(p.thing) is None}),
        missing_questions=sorted({p.question for p in pairs if p.question not in kb.question_ids}),
    )


def report_from_results(
    pairs: Sequence[PanelPair],
    results: Sequence[PairResult],
    margin: float,
    missing_things: list[str],
    missing_questions: list[str],
    heading: str = "",
) -> AgreementReport:
    """The tallies of any answerer's ``results`` (one per pair: the table's, a partner's)."""
    said = {(r.pair.thing, r.pair.question): r.said for r in results}
    source = {(r.pair.thing, r.pair.question): r.source for r in results}

    def answer_of(pair: PanelPair) -> bool | None:
        return said[pair.thing, pair.question]

    return AgreementReport(
        margin=margin,
        overall=score(pairs, answer_of),
        by_question=score_by(pairs, answer_of, key=lambda p: p.question),
        by_source=score_by(pairs, answer_of, key=lambda p: source[p.thing, p.question]),
        by_group=score_by(pairs, answer_of, key=lambda p: p.group),
        by_people=score_by(
            [p for p in pairs if p.answer is not PeopleAnswer.DIFFERS],
            answer_of,
            key=lambda p: f"people say {p.answer.value}",
        ),
        missing_things=missing_things,
        missing_questions=missing_questions,
        results=list(results),
        heading=heading,
    )


# ------------------------------------------------------------------------------ printing
COLUMNS = (
    "agree", "disagree", "silent", "differs", "yes for no",
    "informed agr.", "agreement", "disagreement", "no info",
)  # fmt: skip
WIDTH = 160  # when the output is not a terminal (a log, a pipe): room for every column


def disagreement(tally: Agreement) -> float:
    """Disagreements over every scored pair (the complement of agreement and no-information)."""
    return tally.disagree / tally.scored if tally.scored else 0.0


def _cells(tally: Agreement) -> list[str]:
    return [
        str(tally.agree),
        str(tally.disagree),
        str(tally.silent),
        str(tally.differs),
        str(tally.yes_for_no),
        f"{tally.informed_agreement:.1%}",
        f"{tally.agreement:.1%}",
        f"{disagreement(tally):.1%}",
        f"{tally.no_information:.1%}",
    ]


def tally_dict(tally: Agreement) -> dict[str, float | int]:
    """A tally as JSON: its counts and every rate of the printed table."""
    return {
        **tally.as_dict(),
        "agreement": round(tally.agreement, 4),
        "disagreement": round(disagreement(tally), 4),
    }


def report_sections(report: AgreementReport) -> list[tuple[str, list[tuple[str, Agreement]]]]:
    """The report's tables: (title, [(row name, tally), ...]), overall first."""
    return [
        ("overall", [("all pairs", report.overall), *report.by_people.items()]),
        ("by source", list(report.by_source.items())),
        ("by group", list(report.by_group.items())),
        ("by question (most disagreements first)", report.worst_questions()),
    ]


def plain_lines(report: AgreementReport, disagreements: bool = False) -> list[str]:
    """The report as tab-separated lines (for scripts and logs)."""
    lines = [report.title()]
    for title, rows in report_sections(report):
        lines += ["", f"# {title}", "\t".join(("name", *COLUMNS))]
        lines += ["\t".join((name, *_cells(tally))) for name, tally in rows]
    lines += _missing_lines(report)
    if disagreements:
        lines += ["", "# disagreements", "thing\tquestion\tpeople\tp(yes)\tsource"]
        lines += [
            f"{r.pair.thing}\t{r.pair.question}\t{r.pair.answer.value}\t{r.p_yes:.2f}\t{r.source}"
            for r in report.disagreements()
        ]
    return lines


def _missing_lines(report: AgreementReport) -> list[str]:
    lines = []
    if report.missing_things:
        lines.append(
            f"{len(report.missing_things)} things not in the lexicon (silent on every question): "
            + ", ".join(report.missing_things)
        )
    if report.missing_questions:
        lines.append(
            f"{len(report.missing_questions)} questions not in the table (silent): "
            + " | ".join(report.missing_questions)
        )
    return lines


def print_rich(report: AgreementReport, disagreements: bool = False) -> None:
    """The report as rich tables on the terminal."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:
        console = Console(width=WIDTH)
    console.print(report.title(), highlight=False)
    for title, rows in report_sections(report):
        table = Table(title=title, title_justify="left")
        table.add_column("name", overflow="fold")
        for column in COLUMNS:
            table.add_column(column, justify="right")
        for name, tally in rows:
            table.add_row(name, *_cells(tally))
        console.print(table)
    for line in _missing_lines(report):
        console.print(line, highlight=False)
    if disagreements:
        table = Table(title="disagreements", title_justify="left")
        for column in ("thing", "question", "people", "p(yes)", "source"):
            table.add_column(column, overflow="fold")
        for r in report.disagreements():
            p = "" if r.p_yes is None else f"{r.p_yes:.2f}"
            table.add_row(r.pair.thing, r.pair.question, r.pair.answer.value, p, r.source)
        console.print(table)
