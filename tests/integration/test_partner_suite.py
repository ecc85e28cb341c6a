"""The partner suite with the real parts: the official judge's matching, a real knowledge folder
(built from the real-format WordNet subset), the real WordNet as the partners' truth, and the
``--before`` worker running a git commit's agent in its own process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llm20q.cli import main


@pytest.fixture
def words(tmp_path: Path) -> Path:
    path = tmp_path / "words.txt"
    path.write_text("hammer\nbat\n", encoding="utf-8")
    return path


def test_eval_partners_before_and_after(
    kb_dir: Path, words: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, plot = tmp_path / "partners.json", tmp_path / "partners.png"
    argv = ["eval-partners", "--knowledge", str(kb_dir), "--keywords", str(words),
            "--partners", "alpha,llm-like", "--before", "HEAD", "--json", str(out),
            "--plot", str(plot)]  # fmt: skip
    assert main(argv) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    sides = list(report["summaries"])
    assert sides == ["before (HEAD)", "after"]
    for side in sides:
        by_partner = report["summaries"][side][str(words.resolve())]
        assert by_partner["alpha"]["games"] == by_partner["llm-like"]["games"] == 2
        assert by_partner["alpha"]["solved"] == 2  # an exact Agent Alpha partner
        assert by_partner["llm-like"]["mean_decision_round"] == 1.0  # "no" to the handshake
    after = report["summaries"]["after"][str(words.resolve())]
    assert after["alpha"]["ended_in_bayes_mode"] == 0  # a true Agent Alpha partner is kept
    assert after["llm-like"]["ended_in_bayes_mode"] == 2
    assert (
        report["summaries"]["before (HEAD)"][str(words.resolve())]["alpha"]["mean_final_p_protocol"]
        == after["alpha"]["mean_final_p_protocol"]
    )
    before = report["games"]["before (HEAD)"][str(words.resolve())]["alpha"]
    after = report["games"]["after"][str(words.resolve())]["alpha"]
    assert [g["keyword"] for g in before] == [g["keyword"] for g in after]
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| words.txt | alpha | 2 | 2 (100%) / 2 (100%) |" in capsys.readouterr().out


@pytest.mark.episode
def test_eval_vs_partner_plays_official_games(
    kb_dir: Path, words: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM20Q_KNOWLEDGE_DIR", str(kb_dir))
    out = tmp_path / "eval.json"
    argv = ["eval", "--pairing", "vs-partner", "--partner", "alpha", "--keywords", str(words),
            "--games", "2", "--json", str(out), "--no-progress"]  # fmt: skip
    assert main(argv) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["pairing"] == "vs-partner" and report["solved"] == 2
    assert {g["answerer_policy"] for g in report["per_game"]} == {"PartnerAnswerer"}
    assert main(["eval", "--pairing", "self", "--partner", "alpha", "--games", "1"]) == 1
