"""Regenerate the small knowledge-builder fixtures under ``tests/data/kb/`` (run by hand).

``python tests/data/make_knowledge_fixtures.py [/usr/share/wordnet]`` copies, from the real
WordNet 3.0 files, the index lines of a few test words and of every lemma the curated taxonomy
questions name, plus every synset those lemmas reach through hypernyms (the data.noun lines are
copied verbatim, so the real parser reads them). It also writes a tiny bigram file and two tiny
dictd dictionaries (one Ding-style, one Wiktionary-style) with fixed gzip headers, and six real
lines of Google's product taxonomy (``PRODUCTS``).
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

from llm20q.kb.questions import CURATED_TAXONOMY

OUT = Path(__file__).resolve().parent / "kb"
WORDS = """
dog cat mouse bat hammer screwdriver knife apple banana bread car bicycle chair table shirt
water glass glasses bean coffee grinder spray bug mat yoga box vent air watch paris china
toast bank tree rose bird salmon milk cheese piano guitar lamp bottle cup house kitchen
pudding french_toast coffee_bean air_conditioner
""".split()  # noqa: SIM905
EXTRA_LEMMAS = ["taxonomic_group", "physical_entity", "entity"]
ADJECTIVES = ["electric", "broken", "new", "red", "wooden"]
VERBS = ["run", "grind", "spray"]

BIGRAMS = """coffee beans\t233148
bread knife\t120000
new car\t3429505
the dog\t11049471
paris hilton\t900000
dog food\t800000
offers low\t400000
apple pie\t650000
"""

PRODUCTS = """# Google_Product_Taxonomy_Version: 2019-07-10
564 - Baby & Toddler > Nursing & Feeding > Baby Bottles
5000 - Animals & Pet Supplies > Pet Supplies > Cat Supplies > Cat Litter Boxes
5169 - Business & Industrial > Medical > Medical Furniture > Examination Chairs & Tables
499673 - Home & Garden > Flood, Fire & Gas Safety > Smoke & Carbon Monoxide Detectors
225 - Electronics > Audio > Audio Players & Recorders > Boomboxes
1868 - Food, Beverages & Tobacco > Beverages > Coffee
"""

DING = [
    ("coffee grinder", "Kaffeemühle <fem>"),
    ("coffee grinders", "Kaffeemühlen <pl>"),
    ("air vent", "Abluftstutzen <masc>"),
    ("glass bottle", "Glasflasche <fem>"),
    ("to run", "laufen"),
]
# Real entries of Ding's own release (Debian dict-de-en): a qualifier line may come first.
DING_OWN = [
    ("cookie sheet", " [Am.]\n   Backblech {n}"),
    ("egg slicer", "\n   Eierschneider {m} [cook.]"),
    ("jumper cables", "\n   Starthilfekabel {pl}; Überbrückungskabel {pl}"),
    ("dust", "\n   abstauben; Staub wischen {vt}"),
]
WIKDICT = [  # real Wiktionary-style headword lines (IPA included)
    ("yoga mat /jˈəʊɡə mˈat/ <n>", "joogamatto"),  # noqa: RUF001
    ("smartwatch /smˈɑːtwɒtʃ/ <n>", "älykello"),  # noqa: RUF001
    ("Paris <pn>", "Pariisi"),
    ("quickly <adv>", "nopeasti"),
]


def _b64(value: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    digits = ""
    while True:
        digits = alphabet[value % 64] + digits
        value //= 64
        if value == 0:
            return digits


def _write_dict(stem: Path, entries: list[tuple[str, str]]) -> None:
    body = b""
    index_lines = []
    for head, translation in entries:
        entry = f"{head}\n{translation}\n\n".encode()
        headword = head.split(" /")[0].split(" <")[0]
        index_lines.append(f"{headword}\t{_b64(len(body))}\t{_b64(len(entry))}")
        body += entry
    index_lines.sort(key=lambda line: line.split("\t")[0].lower())
    stem.with_name(stem.name + ".index").write_text("\n".join(index_lines) + "\n", "utf-8")
    stem.with_name(stem.name + ".dict.dz").write_bytes(gzip.compress(body, mtime=0))


def main(source: Path) -> None:
    wordnet = OUT / "wordnet"
    wordnet.mkdir(parents=True, exist_ok=True)
    lemmas = set(WORDS) | set(EXTRA_LEMMAS)
    for _, targets in CURATED_TAXONOMY:
        lemmas.update(t.rsplit(".", 2)[0].lower() for t in targets if not t.startswith("lex:"))
    index_lines: dict[str, str] = {}
    for line in (source / "index.noun").read_text("utf-8").splitlines():
        if not line.startswith("  ") and line.split(" ", 1)[0] in lemmas:
            index_lines[line.split(" ", 1)[0]] = line
    data: dict[int, str] = {}
    for line in (source / "data.noun").read_text("utf-8").splitlines():
        if not line.startswith("  "):
            data[int(line[:8])] = line
    wanted: set[int] = set()
    stack = [
        int(x)
        for line in index_lines.values()
        for x in line.split()[1:]
        if len(x) == 8 and x.isdigit()
    ]
    stack = [o for o in stack if o in data]
    while stack:
        offset = stack.pop()
        if offset in wanted:
            continue
        wanted.add(offset)
        fields = data[offset].split(" | ")[0].split()
        words = int(fields[3], 16)
        position = 4 + 2 * words
        for i in range(int(fields[position])):
            symbol, target = fields[position + 1 + 4 * i], fields[position + 2 + 4 * i]
            if symbol in ("@", "@i") and fields[position + 3 + 4 * i] == "n":
                stack.append(int(target))
    (wordnet / "data.noun").write_text("".join(data[o] + "\n" for o in sorted(wanted)), "utf-8")
    (wordnet / "index.noun").write_text(
        "".join(index_lines[k] + "\n" for k in sorted(index_lines)), "utf-8"
    )
    senses = [
        line
        for line in (source / "index.sense").read_text("utf-8").splitlines()
        if line.split("%", 1)[0] in lemmas
    ]
    (wordnet / "index.sense").write_text("".join(s + "\n" for s in senses), "utf-8")
    exceptions = [
        line
        for line in (source / "noun.exc").read_text("utf-8").splitlines()
        if line.split()[-1] in lemmas
    ]
    (wordnet / "noun.exc").write_text("".join(e + "\n" for e in exceptions), "utf-8")
    for name, listed in (("index.adj", ADJECTIVES), ("index.verb", VERBS)):
        lines = [
            line
            for line in (source / name).read_text("utf-8").splitlines()
            if line.split(" ", 1)[0] in listed
        ]
        (wordnet / name).write_text("".join(x + "\n" for x in lines), "utf-8")
    (OUT / "bigrams.txt").write_text(BIGRAMS, "utf-8")
    (OUT / "products.txt").write_text(PRODUCTS, "utf-8")
    _write_dict(OUT / "freedict-eng-deu", DING)
    _write_dict(OUT / "english-german", DING_OWN)
    _write_dict(OUT / "freedict-eng-fin", WIKDICT)
    print(f"{len(index_lines)} lemmas, {len(wanted)} synsets -> {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/wordnet"))
