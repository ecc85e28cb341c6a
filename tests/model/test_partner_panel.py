"""The real-model layer of ``kb agreement --partner``: the 1.5B model (few-shot plain partner)
answers a handful of clear panel pairs as people do, and a rerun reads every answer from the
cache without loading the model."""

from __future__ import annotations

import json
from pathlib import Path

from agent.settings import PROJECT_DIR
from llm20q.cli import main
from llm20q.models.registry import model_spec

MODEL = PROJECT_DIR / "models" / model_spec("qwen2.5-coder-1.5b").file
PANEL = """\
thing,group,question,answer
dog,animal,Is it an animal?,yes
dog,animal,Is it a vehicle?,no
car,vehicle,Is it a vehicle?,yes
car,vehicle,Is it food?,no
apple,fruit,Can you eat it?,yes
apple,fruit,Does it need electricity to work?,no
"""


def test_the_plain_partner_answers_clear_pairs_as_people_do(tmp_path: Path) -> None:
    if not MODEL.is_file():
        raise FileNotFoundError(f"{MODEL} is missing: run `make setup` first")
    panel = tmp_path / "panel.csv"
    panel.write_text(PANEL, encoding="utf-8")
    out = tmp_path / "partner.json"
    argv = ["kb", "agreement", "--partner", f"llm:{MODEL}:few-shot", "--panel", str(panel),
            "--cache", str(tmp_path / "cache"), "--plain", "--json", str(out)]  # fmt: skip
    assert main(argv) == 0
    first = json.loads(out.read_text("utf-8"))
    assert first["partner"]["asked"] == 6
    assert first["overall"]["agree"] >= 5, first["answers"]
    assert all(a["reply"].strip() for a in first["answers"])  # the model's own words, kept
    assert main(argv) == 0  # again: every answer from the cache
    again = json.loads(out.read_text("utf-8"))
    assert again["partner"]["asked"] == 0 and again["answers"] == first["answers"]
