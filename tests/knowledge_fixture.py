"""The small real-format knowledge source (tests/data/kb/: a WordNet 3.0 subset, two dictd
dictionaries in FreeDict's format and one in Ding's own, a bigram list, six lines of the product
taxonomy and eight LVIS class names) and the build options that make a knowledge folder of it.

The ``kb_dir``/``kb`` fixtures in ``tests/conftest.py`` build that folder once per test module.
"""

from __future__ import annotations

from pathlib import Path

from llm20q.kb.options import BuildOptions

DATA = Path(__file__).resolve().parent / "data" / "kb"


def kb_options(out: Path, **overrides: object) -> BuildOptions:
    """Build options for the small source, written to ``out``."""
    options = BuildOptions(
        out=out,
        wordnet_dir=DATA / "wordnet",
        official=False,
        dicts=(DATA / "freedict-eng-deu", DATA / "english-german", DATA / "freedict-eng-fin"),
        bigram_files=(DATA / "bigrams.txt",),
        products_file=DATA / "products.txt",
        images_file=DATA / "image_classes.yaml",
        min_auto_support=2,
    )
    for key, value in overrides.items():
        setattr(options, key, value)
    return options
