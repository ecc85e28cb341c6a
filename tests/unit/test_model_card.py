"""Model cards: a folder with several GGUFs loads the best one that answers in time, and the
agent's settings take the card's calibrated threshold unless set explicitly."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.model.card import ModelCard, best_model, read_card, with_card, write_card
from agent.model.files import ModelNotFoundError, calibrated_settings, resolve_model_path
from agent.policies.prompts import load_prompts, thing_answerer_chat
from agent.settings import AgentSettings, AnswererPrompt
from llm20q.models.cards import model_for_people


def _gguf(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"GGUF")
    return path


def _card(model: Path, name: str, accuracy: float, p95: float, threshold: float) -> None:
    write_card(
        model,
        ModelCard(
            name=name,
            file=model.name,
            semantic_accuracy=accuracy,
            answer_p95_seconds=p95,
            yes_threshold=threshold,
        ),
    )


def test_the_best_card_that_answers_in_time_chooses_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "models"
    small, mid, slow = (_gguf(folder, f"{n}.gguf") for n in ("small", "mid", "slow"))
    _card(small, "small", 0.64, 0.1, 0.5)
    _card(mid, "mid", 0.96, 0.7, 0.63)
    _card(slow, "slow", 0.99, 9.0, 0.4)  # better, but a person would wait 9 s
    assert best_model([small, mid, slow]) == mid
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LLM20Q_YES_THRESHOLD", raising=False)
    assert resolve_model_path(AgentSettings()) == folder / "mid.gguf"
    assert calibrated_settings(AgentSettings()).yes_threshold == 0.63


def test_an_explicit_threshold_wins_over_the_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = _gguf(tmp_path, "m.gguf")
    _card(model, "m", 0.9, 0.5, 0.7)
    monkeypatch.delenv("LLM20Q_YES_THRESHOLD", raising=False)
    assert with_card(AgentSettings(), model).yes_threshold == 0.7
    assert with_card(AgentSettings(yes_threshold=0.55), model).yes_threshold == 0.55
    monkeypatch.setenv("LLM20Q_YES_THRESHOLD", "0.45")
    assert with_card(AgentSettings(), model).yes_threshold == 0.45


def test_without_a_deciding_card_several_ggufs_still_ask_for_a_choice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "models"
    a, _ = _gguf(folder, "a.gguf"), _gguf(folder, "b.gguf")
    _card(a, "a", 0.9, 5.0, 0.5)  # too slow to choose
    (folder / "cards" / "broken.json").write_text("{not json")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ModelNotFoundError, match="no model card chooses one"):
        resolve_model_path(AgentSettings())
    assert read_card(a) is not None and read_card(folder / "b.gguf") is None
    # no model at all: the settings stay as they are
    monkeypatch.chdir(tmp_path / "models" / "cards")
    settings = AgentSettings(model_path=tmp_path / "absent.gguf")
    assert calibrated_settings(settings) is settings


def test_the_card_names_the_prompt_its_threshold_was_calibrated_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = _gguf(tmp_path, "m.gguf")
    card = ModelCard(name="m", file="m.gguf", yes_threshold=0.63, answerer_prompt="thing")
    write_card(model, card)
    monkeypatch.delenv("LLM20Q_ANSWERER_PROMPT", raising=False)
    played = with_card(AgentSettings(), model)
    assert played.answerer_prompt is AnswererPrompt.THING and played.yes_threshold == 0.63
    chosen = AgentSettings(answerer_prompt=AnswererPrompt.CHAT)
    assert with_card(chosen, model).answerer_prompt is AnswererPrompt.CHAT
    messages = thing_answerer_chat(load_prompts(), "Toaster", "Is it found in a kitchen?")
    assert messages[-1].content == "Thing: Toaster\nQuestion: Is it found in a kitchen?"
    assert messages[:-1] == thing_answerer_chat(load_prompts(), "Sofa", "Is it soft?")[:-1]


def test_a_persons_game_loads_the_model_a_card_vouches_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "models"
    model = _gguf(folder, "m.gguf")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LLM20Q_MODEL_PATH", raising=False)
    assert model_for_people(AgentSettings()) is None  # no card: no model loaded unasked
    _card(model, "m", 0.9, 5.0, 0.6)
    assert model_for_people(AgentSettings()) is None  # a person would wait 5 s an answer
    _card(model, "m", 0.9, 1.5, 0.6)
    assert model_for_people(AgentSettings()) == model
    named = tmp_path / "other.gguf"
    assert model_for_people(AgentSettings(model_path=named)) == named
