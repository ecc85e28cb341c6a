"""The judge's own keyword list (kaggle-environments 1.18.0), read without importing the package,
and our held-out list of things, which must not overlap it."""

from __future__ import annotations

from agent.rules import same_item
from agent.settings import PROJECT_DIR
from llm20q.keywords import official_keywords


def test_official_keyword_list_is_the_judges() -> None:
    keywords = official_keywords()
    assert len(keywords) == 579
    assert {k.category for k in keywords} == {"things"}


def test_heldout_things_are_not_in_the_official_list() -> None:
    official = [name for k in official_keywords() for name in (k.keyword, *k.alts)]
    held = (PROJECT_DIR / "data" / "heldout_things.txt").read_text(encoding="utf-8").splitlines()
    clashes = [h for h in held if any(same_item(h, o) for o in official)]
    assert not clashes
