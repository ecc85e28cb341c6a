"""A labelling run (``llm20q kb label``): what to label, and its folder of finished shards.

:class:`LabelPlan` is the identity of a table of labels: the model, the label prompt's sha256,
the questions and the candidates (the table's rows and columns, in order) and the shard size. A
*shard* is one question for one block of ``shard_size`` consecutive candidates: the unit a Ray
actor labels in one call, with one evaluated question prefix.

A run folder (:class:`RunFolder`) holds ``plan.json`` (the plan; candidates by sha256),
``candidates.txt`` (one candidate a line) and ``shards/q<question>-c<first candidate>.npy``
(float32 p(yes)). A shard file is written under a temporary name and renamed once complete, so
a killed run leaves only whole shards, and running the same plan again labels only the missing
ones. Opening a folder with a different plan is an error (labels of another model or prompt are
never mixed).

Choosing questions and candidates from a knowledge folder (:func:`plan_questions`,
:func:`plan_candidates`) also lives here: by default the table's property questions (the ones
WordNet cannot answer) and the candidates of highest prior.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from agent.planner.store import KnowledgeBase
from llm20q.keywords import read_keywords

PLAN_FILE = "plan.json"
CANDIDATES_FILE = "candidates.txt"
SHARDS_DIR = "shards"
QUESTION_SETS = ("property", "taxonomy", "all")


@dataclass(frozen=True)
class Shard:
    """One question (its index in the plan) for the candidates ``start`` to ``stop`` - 1."""

    question: int
    start: int
    stop: int

    @property
    def name(self) -> str:
        return f"q{self.question:05d}-c{self.start:08d}.npy"

    @property
    def size(self) -> int:
        return self.stop - self.start


@dataclass(frozen=True)
class LabelPlan:
    """What a labelling run labels, with which model and prompt."""

    model: str  # llm20q.kb.label.labeller.model_id of the GGUF
    prompt_sha256: str
    questions: tuple[str, ...]
    candidates: tuple[str, ...]
    shard_size: int

    def shards(self) -> list[Shard]:
        """Every shard, question by question."""
        n = len(self.candidates)
        return [
            Shard(q, start, min(start + self.shard_size, n))
            for q in range(len(self.questions))
            for start in range(0, n, self.shard_size)
        ]

    @property
    def labels(self) -> int:
        return len(self.questions) * len(self.candidates)

    def identity(self) -> dict[str, Any]:
        """``plan.json``: the plan with the candidates as a count and a sha256."""
        record = asdict(self)
        candidates = record.pop("candidates")
        digest = hashlib.sha256("\n".join(candidates).encode("utf-8")).hexdigest()
        record["questions"] = list(self.questions)
        return {**record, "candidates_count": len(candidates), "candidates_sha256": digest}


class PlanMismatch(ValueError):
    """A run folder holds the labels of another plan."""


class RunFolder:
    """A labelling run's folder: its plan and its finished shards."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.shards_dir = self.folder / SHARDS_DIR

    def start(self, plan: LabelPlan) -> None:
        """Create the folder for ``plan``, or check that it already holds ``plan``."""
        plan_path = self.folder / PLAN_FILE
        if plan_path.is_file():
            saved = json.loads(plan_path.read_text(encoding="utf-8"))
            if saved != plan.identity():
                changed = sorted(
                    k
                    for k in saved.keys() | plan.identity().keys()
                    if saved.get(k) != plan.identity().get(k)
                )
                raise PlanMismatch(
                    f"{self.folder} holds labels of another plan ({', '.join(changed)} differ): "
                    "use another --work folder"
                )
        self.shards_dir.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.folder / CANDIDATES_FILE, "\n".join(plan.candidates).encode("utf-8"))
        _atomic_write(plan_path, json.dumps(plan.identity(), indent=1).encode("utf-8"))

    def load_plan(self) -> LabelPlan:
        """The plan saved in the folder."""
        plan_path = self.folder / PLAN_FILE
        if not plan_path.is_file():
            raise ValueError(f"{self.folder} is not a labelling run (no {PLAN_FILE})")
        saved = json.loads(plan_path.read_text(encoding="utf-8"))
        text = (self.folder / CANDIDATES_FILE).read_text(encoding="utf-8")
        plan = LabelPlan(
            model=saved["model"],
            prompt_sha256=saved["prompt_sha256"],
            questions=tuple(saved["questions"]),
            candidates=tuple(text.split("\n")) if text else (),
            shard_size=int(saved["shard_size"]),
        )
        if plan.identity() != saved:
            raise ValueError(f"{self.folder}: {CANDIDATES_FILE} does not match {PLAN_FILE}")
        return plan

    def is_done(self, shard: Shard) -> bool:
        return (self.shards_dir / shard.name).is_file()

    def todo(self, plan: LabelPlan) -> list[Shard]:
        """The shards of ``plan`` not written yet."""
        return [shard for shard in plan.shards() if not self.is_done(shard)]

    def write(self, shard: Shard, probs: npt.NDArray[np.float32]) -> None:
        if probs.shape != (shard.size,):
            raise ValueError(f"shard {shard.name}: {probs.shape} labels for {shard.size}")
        buffer = io.BytesIO()
        np.save(buffer, probs.astype(np.float32), allow_pickle=False)
        _atomic_write(self.shards_dir / shard.name, buffer.getvalue())

    def table(self, plan: LabelPlan) -> npt.NDArray[np.float32]:
        """(questions x candidates) p(yes); NaN where a shard is not written yet."""
        table = np.full((len(plan.questions), len(plan.candidates)), np.nan, dtype=np.float32)
        for shard in plan.shards():
            path = self.shards_dir / shard.name
            if path.is_file():
                probs = np.load(path, allow_pickle=False)
                if probs.shape != (shard.size,):
                    raise ValueError(f"{path}: {probs.shape} labels for {shard.size}")
                table[shard.question, shard.start : shard.stop] = probs
        return table


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def plan_questions(kb: KnowledgeBase, which: str, limit: int | None = None) -> tuple[str, ...]:
    """``property``, ``taxonomy`` or ``all`` of the table's questions, or a file's (one question
    a line; ``#`` comments): questions outside the table become new rows when merged."""
    if which in QUESTION_SETS:
        questions = [q.text for q in kb.questions if which in ("all", q.kind)]
    else:
        path = Path(which)
        if not path.is_file():
            raise ValueError(f"--questions: not {'/'.join(QUESTION_SETS)} nor a file: {which}")
        lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
        questions = list(dict.fromkeys(line for line in lines if line))
    if not questions:
        raise ValueError(f"no questions to label ({which})")
    return tuple(questions[:limit] if limit else questions)


def plan_candidates(
    kb: KnowledgeBase, top: int, keywords: str | None = None
) -> tuple[tuple[str, ...], list[str]]:
    """The candidates to label, in lexicon order, and the listed keywords missing from the
    lexicon: ``keywords``' (``official`` or a keyword file; matched as the judge would), else
    the ``top`` of highest prior."""
    if keywords is not None:
        found: set[int] = set()
        missing: list[str] = []
        for keyword in read_keywords(keywords):
            index = kb.match(keyword.keyword)
            if index is None:
                missing.append(keyword.keyword)
            else:
                found.add(index)
        chosen = sorted(found)
    else:
        chosen = sorted(np.argsort(-kb.log_prior, kind="stable")[:top].tolist())
        missing = []
    if not chosen:
        raise ValueError("no candidates to label")
    return tuple(kb.candidates[i] for i in chosen), missing
