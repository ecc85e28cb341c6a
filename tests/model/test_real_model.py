"""The real-model layer (``make test-model``): the 1.5B instruct model (Qwen2.5-Coder-1.5B,
``make setup`` fetches it), through real llama-cpp-python with one thread.

A few dozen answers of the agent's answerer by kind of question (its card's calibrated threshold,
read without environment variables), and one full official episode of our guesser with the plain
LLM partner on the same model (``--partner llm:GGUF:zero-shot``). About 3-5 minutes here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from agent.model.card import read_card
from agent.model.files import calibrated_settings
from agent.runtime import LazyBackend
from agent.settings import PROJECT_DIR, AgentSettings
from llm20q.eval.answerer import Triple, evaluate_answerer
from llm20q.eval.games import evaluate_games
from llm20q.keywords import FILE_CATEGORY, Keyword
from llm20q.models.registry import model_spec

MODEL = PROJECT_DIR / "models" / model_spec("qwen2.5-coder-1.5b").file
PER_KIND = {"category": 8, "physical": 8, "use": 8, "letter": 4, "alphabetical": 4}


@pytest.fixture(scope="module")
def settings(monkeypatch_module: pytest.MonkeyPatch) -> AgentSettings:
    if not MODEL.is_file():
        raise FileNotFoundError(f"{MODEL} is missing: run `make setup` first")
    monkeypatch_module.delenv("LLM20Q_YES_THRESHOLD", raising=False)
    return calibrated_settings(AgentSettings(model_path=MODEL, n_threads=1, n_ctx=4096))


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _triples() -> list[Triple]:
    rows = [json.loads(line) for line in (PROJECT_DIR / "data/answerer_eval.jsonl").open()]
    picked: list[Triple] = []
    for kind, count in PER_KIND.items():
        of_kind = [r for r in rows if r["kind"] == kind][:count]
        picked += [Triple(r["keyword"], r["question"], r["expected"], kind) for r in of_kind]
    return picked


def test_the_card_calibrates_and_the_answerer_is_right_by_kind(settings: AgentSettings) -> None:
    card = read_card(MODEL)
    assert card is not None and card.yes_threshold is not None
    assert settings.yes_threshold == card.yes_threshold
    report = evaluate_answerer(_triples(), settings, progress=False)
    by_kind = report["by_kind"]
    assert by_kind["letter"]["accuracy"] == by_kind["alphabetical"]["accuracy"] == 1.0
    semantic = [by_kind[k] for k in ("category", "physical", "use")]
    assert sum(k["correct"] for k in semantic) >= 0.85 * sum(k["n"] for k in semantic)
    assert report["seat_errors"] == 0


def test_an_episode_with_the_plain_llm_partner(settings: AgentSettings) -> None:
    backend = LazyBackend(settings)
    result = evaluate_games(
        [Keyword("giraffe", FILE_CATEGORY)],
        "vs-partner",
        settings,
        backend=backend,
        progress=False,
        partner=f"llm:{MODEL}:zero-shot",
    )
    (game,) = result.records
    assert game.guesser_status == game.answerer_status == "DONE"
    assert set(game.answers) == {"yes", "no"}  # the partner says both: it reads the model
    assert result.baseline.answer_fallbacks == 0
    assert game.seat_errors == 0
