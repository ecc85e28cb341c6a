"""A plain LLM partner scored against the people's panel (``kb agreement --partner llm:...``).

The same report as the table's (:mod:`llm20q.kb.agreement`), with the answers coming from a plain
LLM answerer (:class:`llm20q.baseline.BaselineAnswerer`, the partner of ``llm20q eval --partner``,
spec parsed by :func:`llm20q.baseline.parse_llm_partner`) instead of the table. Each pair is put
to the partner as the first question of a game about the thing (no earlier rounds), and the
partner always answers (never silent). ``--things N --seed S`` takes a sample of the panel's
things (:func:`sample_pairs`) with every question for each.

Answers are cached (:class:`AnswerCache`, one JSON-lines file per (model identity, style), the
model identity being :func:`llm20q.kb.label.labeller.model_id`: name, size and a digest of the
file's ends), keyed by (thing, question), so a rerun, or a run on more things, only asks what is
new. Each line is written as soon as the answer is read: a killed run loses one answer.

Shortcuts: the cache is keyed by the model identity and style, not by the prompt files (after a
prompt change, use another ``--cache`` folder); answers are generated greedily (temperature 0),
as :class:`BaselineAnswerer` does, so one answer per pair.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.game import Round, SeatState
from agent.model.protocol import ChatBackend, ChatMessage, GenerateOptions
from agent.policies.base import AnswererPolicy
from llm20q.kb.agreement import AgreementReport, PairResult, report_from_results
from llm20q.panel import DEFAULT_PANEL, PanelPair, PeopleAnswer

PARTNER_SOURCE = "partner"


def partner_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/llm20q/partner-answers`` (``~/.cache`` when unset)."""
    from llm20q.kb.sources import default_cache_dir as wheels

    return wheels().parent / "partner-answers"


def sample_pairs(pairs: Sequence[PanelPair], things: int | None, seed: int) -> list[PanelPair]:
    """Every pair of the first ``things`` things of the panel shuffled by ``seed``, grouped by
    thing in that order (so a smaller sample is the start of a larger one with the same seed, and
    a run cut short has answered whole things of it); every thing when ``things`` is None."""
    names = list(dict.fromkeys(p.thing for p in pairs))
    random.Random(seed).shuffle(names)
    chosen = names if things is None else names[:things]
    by_thing: dict[str, list[PanelPair]] = {}
    for pair in pairs:
        by_thing.setdefault(pair.thing, []).append(pair)
    return [pair for name in chosen for pair in by_thing[name]]


class AnswerCache:
    """A partner's answers, one JSON object a line: ``thing``, ``question``, ``answer`` ("yes" or
    "no") and the model's ``reply``; the first line for a pair wins."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.answers: dict[tuple[str, str], dict[str, str]] = {}
        if path.is_file():
            for line in path.read_text("utf-8").splitlines():
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut short by a killed run
                self.answers.setdefault((row["thing"], row["question"]), row)

    @classmethod
    def for_partner(cls, folder: Path, model: str, style: str) -> AnswerCache:
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{model}.{style}")
        return cls(folder / f"{safe}.jsonl")

    def get(self, thing: str, question: str) -> dict[str, str] | None:
        return self.answers.get((thing, question))

    def put(self, thing: str, question: str, answer: str, reply: str) -> None:
        row = {"thing": thing, "question": question, "answer": answer, "reply": reply}
        self.answers.setdefault((thing, question), row)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(row) + "\n")


class ReplyRecorder:
    """A :class:`ChatBackend` wrapper that keeps the last generated reply (for the cache)."""

    def __init__(self, backend: ChatBackend) -> None:
        self.backend = backend
        self.last = ""

    def generate(
        self, session: str, messages: Sequence[ChatMessage], options: GenerateOptions
    ) -> str:
        self.last = self.backend.generate(session, messages, options)
        return self.last

    def __getattr__(self, name: str) -> Any:
        return getattr(self.backend, name)


@dataclass
class PartnerRun:
    """The partner's answer to every pair asked, and how many came from the cache."""

    answers: dict[tuple[str, str], dict[str, str]]
    cached: int
    asked: int


def ask_partner(
    pairs: Iterable[PanelPair],
    answerer: AnswererPolicy | None,
    recorder: ReplyRecorder | None,
    cache: AnswerCache,
    progress: Callable[[int], None] | None = None,
) -> PartnerRun:
    """Put every pair to ``answerer`` (a fresh one-question game about the thing), unless the
    cache has it; ``recorder`` (the answerer's backend) gives the raw reply to store."""
    answers: dict[tuple[str, str], dict[str, str]] = {}
    cached = asked = 0
    for pair in pairs:
        row = cache.get(pair.thing, pair.question)
        if row is None:
            if answerer is None:
                raise ValueError(f"no answerer and no cached answer for {pair}")
            state = SeatState(rounds=(Round(pair.question),), keyword=pair.thing)
            word = answerer.answer(state)
            cache.put(pair.thing, pair.question, word, recorder.last if recorder else "")
            row = cache.get(pair.thing, pair.question)
            assert row is not None
            asked += 1
        else:
            cached += 1
        answers[pair.thing, pair.question] = row
        if progress is not None:
            progress(1)
    return PartnerRun(answers, cached, asked)


def partner_report(
    pairs: Sequence[PanelPair], answers: dict[tuple[str, str], dict[str, str]], name: str
) -> AgreementReport:
    """The partner's answers scored against ``pairs`` (every pair answered: none silent)."""
    results = []
    for pair in pairs:
        said = answers[pair.thing, pair.question]["answer"] == "yes"
        results.append(PairResult(pair, 1.0 if said else 0.0, said, f"{PARTNER_SOURCE}:{name}"))
    heading = f"partner {name} answers every pair (never silent)"
    return report_from_results(pairs, results, 0.5, [], [], heading)


def yes_share(report: AgreementReport) -> tuple[float, float]:
    """(share of the partner's answers that are yes, share of people's yes among yes and no)."""
    said = [r.said for r in report.results]
    people = [r.pair.answer for r in report.results if r.pair.answer is not PeopleAnswer.DIFFERS]
    partner = sum(bool(s) for s in said) / len(said) if said else 0.0
    yes = sum(a is PeopleAnswer.YES for a in people) / len(people) if people else 0.0
    return partner, yes


def summary_lines(report: AgreementReport, name: str) -> list[str]:
    """The partner's headline: agreement, the yes-for-no / no-for-yes split, the yes share."""
    tally = report.overall
    partner, people = yes_share(report)
    return [
        f"partner {name}: {tally.agree} of {tally.scored} scored pairs agree with people "
        f"({tally.agreement:.1%}; {tally.differs} pairs people differ on not scored)",
        f"disagreements {tally.disagree}: yes for no {tally.yes_for_no}, "
        f"no for yes {tally.disagree - tally.yes_for_no}",
        f"yes share: partner {partner:.1%} of every pair, people {people:.1%} of yes/no pairs",
    ]


def partner_dict(
    report: AgreementReport, meta: dict[str, Any], answers: dict[tuple[str, str], dict[str, str]]
) -> dict[str, Any]:
    """The report as JSON with the partner's identity and every pair's answer and reply."""
    partner, people = yes_share(report)
    out = report.as_dict()
    out.pop("margin", None)
    out.pop("disagreements", None)  # every pair is in "answers"
    out["partner"] = meta
    out["yes_share"] = {"partner": round(partner, 4), "people": round(people, 4)}
    out["things"] = list(dict.fromkeys(r.pair.thing for r in report.results))
    out["answers"] = [
        {
            "thing": r.pair.thing,
            "group": r.pair.group,
            "question": r.pair.question,
            "people": r.pair.answer.value,
            "partner": answers[r.pair.thing, r.pair.question]["answer"],
            "reply": answers[r.pair.thing, r.pair.question].get("reply", ""),
        }
        for r in report.results
    ]
    return out


def partner_json(out: dict[str, Any]) -> str:
    """:func:`partner_dict` as JSON text: indented, every pair's answer on one line (a run of
    2,520 pairs is ~0.4 MB, not ~1 MB)."""
    rows = out["answers"]
    head = json.dumps({**out, "answers": []}, indent=1)
    assert head.endswith('"answers": []\n}')
    lines = ",\n".join("  " + json.dumps(row) for row in rows)
    return head[: -len("[]\n}")] + "[\n" + lines + "\n ]\n}\n"


# The plain LLM partners' agreement with people (``kb agreement --partner ... --json``), per style.
PARTNER_PANEL_FILES = {
    "llm-answerer:zero-shot": DEFAULT_PANEL.with_name("partner_panel_qwen1.5b_zeroshot.json"),
    "llm-answerer:few-shot": DEFAULT_PANEL.with_name("partner_panel_qwen1.5b_fewshot.json"),
}


def people_agreement(model: Path) -> dict[str, dict[str, Any]]:
    """The real LLM answerer rows' agreement with the people's panel, from
    :data:`PARTNER_PANEL_FILES` measured on this ``model`` (its labeller id); rows without such
    a file are left out."""
    from llm20q.kb.label.labeller import model_id

    wanted = model_id(model)
    found: dict[str, dict[str, Any]] = {}
    for row, path in PARTNER_PANEL_FILES.items():
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if record.get("partner", {}).get("model") != wanted:
            continue
        overall = record["overall"]
        found[row] = {
            "agreement": overall["agreement"],
            "scored": overall["agree"] + overall["disagree"],
            "yes_for_no": overall["yes_for_no"],
            "yes_share": record["yes_share"]["partner"],
            "people_yes_share": record["yes_share"]["people"],
            "file": f"data/{path.name}",
        }
    return found


def run_partner_agreement(args: argparse.Namespace) -> int:
    """``kb agreement --partner llm:GGUF[:STYLE]``: a plain LLM partner scored against the panel."""
    from agent.model.llama_backend import LlamaBackend
    from agent.settings import load_settings
    from llm20q.baseline import BaselineAnswerer, load_baseline_prompts
    from llm20q.eval.games import parse_llm_partner
    from llm20q.kb.agreement import plain_lines, print_rich
    from llm20q.kb.label.labeller import model_id
    from llm20q.panel import PanelError, read_panel
    from llm20q.progress import progress_bar

    try:
        path, style = parse_llm_partner(args.partner)
        pairs = sample_pairs(read_panel(args.panel), args.things, args.seed)
    except (ValueError, PanelError) as error:
        print(error, file=sys.stderr)
        return 2
    model = model_id(path)
    cache = AnswerCache.for_partner(args.cache or partner_cache_dir(), model, style.value)
    todo = sum(cache.get(p.thing, p.question) is None for p in pairs)
    print(f"{len(pairs)} pairs, {todo} to ask {model} ({style.value}); cache {cache.path}",
          file=sys.stderr)  # fmt: skip
    backend: ReplyRecorder | None = None
    answerer: BaselineAnswerer | None = None
    if todo:
        settings = load_settings(model_path=path, n_seq_max=2)
        backend = ReplyRecorder(LlamaBackend(path, settings))
        answerer = BaselineAnswerer(
            backend, load_baseline_prompts(), settings, "llm-partner", style
        )
    with progress_bar(len(pairs), "partner", "pair") as bar:
        run = ask_partner(pairs, answerer, backend, cache, bar.update)
    name = f"{path.name}:{style.value}"
    report = partner_report(pairs, run.answers, name)
    if args.plain:
        print("\n".join(plain_lines(report, args.disagreements)))
    else:
        print_rich(report, args.disagreements)
    print("\n".join(summary_lines(report, name)))
    if args.json:
        meta = {
            "spec": args.partner, "model": model, "style": style.value, "things": args.things,
            "seed": args.seed, "cached": run.cached, "asked": run.asked,
        }  # fmt: skip
        out = partner_dict(report, meta, run.answers)
        args.json.write_text(partner_json(out), encoding="utf-8")
    return 0
