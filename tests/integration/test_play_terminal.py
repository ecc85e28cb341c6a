"""``llm20q play`` in a real terminal (tmux): the test reads the screen and types as a person
would, with no model and with the real tiny GGUF, on the real knowledge folder."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.game import judge_variants
from agent.kinds import rule_answer
from agent.policies.answerer import RuleFirstAnswerer
from agent.settings import PROJECT_DIR, AgentSettings
from llm20q.play.session import build_agent
from tests.integration.terminal import Terminal

KEYWORD = "toaster"


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Any]:
    terminals: list[Terminal] = []

    def run(*args: str) -> Terminal:
        # no model unless one is named (the default would be the best one in models/)
        chosen = args if "--model" in args else ("--no-model", *args)
        command = [sys.executable, "-m", "llm20q", "play", "--save", str(tmp_path / "game.json"),
                   "--seed", "7", *chosen]  # fmt: skip
        terminal = Terminal(tmp_path, command, PROJECT_DIR, {"PYTHONPATH": str(PROJECT_DIR)})
        terminals.append(terminal)
        return terminal

    yield run
    for terminal in terminals:
        terminal.close()


def saved(tmp_path: Path) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads((tmp_path / "game.json").read_text(encoding="utf-8"))
    return payload


@pytest.fixture(scope="module")
def oracle() -> RuleFirstAnswerer:
    """How the agent's own answerer would answer for KEYWORD without a model."""
    return build_agent(AgentSettings(), has_model=False).answerer


def truth(oracle: RuleFirstAnswerer, question: str) -> str:
    decided = rule_answer(question, KEYWORD)
    if decided is None:
        decided = oracle.table_answer(question, KEYWORD)
    return "y" if decided else "n"


def test_a_whole_game_where_the_person_answers(
    start: Any, tmp_path: Path, oracle: RuleFirstAnswerer
) -> None:
    terminal = start()
    took_back = False
    for number in range(1, 21):
        question = terminal.wait_for_pattern(rf"Q{number}: (.+)\n").group(1).strip()
        screen = terminal.wait_for("answer: [y]es  [n]o  [u] take back")
        assert "the agent's thinking" in screen and "mode " in screen
        right = truth(oracle, question)
        if number == 2 and not took_back:  # a wrong answer first, then take it back
            terminal.press("n" if right == "y" else "y")
            terminal.wait_for(f"round {number}/20", "Is that it?")
            terminal.press("u")
            terminal.wait_for("Took back your last answer.", f"Q{number}: {question}")
            took_back = True
        terminal.press(right)
        # after a take-back, the guess shown before it is no answer: wait for the new one
        since = r"Took back your last answer\." if number == 2 else rf"round {number}/20"
        guess = terminal.wait_for_pattern(rf"{since}[\s\S]*My guess: (.+)\n").group(1)
        if judge_variants(guess.strip()) & judge_variants(KEYWORD):
            terminal.press("y")
            break
        terminal.press("n")
    else:  # a person's game: no Agent Alpha bisection, so the table may not get there in 20
        terminal.wait_for("What was it?")
        terminal.type_line(KEYWORD)
        terminal.wait_for("Where I went wrong", "Game saved to")
        assert terminal.exit_status() == 0
        game = saved(tmp_path)
        assert game["ended"] == "out of rounds" and game["keyword"].lower() == KEYWORD
        assert len(game["rounds"]) == 20
        assert all(r["question"] != "Is it Agent Alpha?" for r in game["rounds"])
        return
    screen = terminal.wait_for("I found it in", "Game saved to")
    assert "top of 237,489 candidates" in screen or "candidates" in screen
    assert terminal.exit_status() == 0
    game = saved(tmp_path)
    assert game["solved"] and game["keyword"].lower() == KEYWORD and game["ended"] == "solved"
    assert game["rounds"][0]["answered_by"] == "person"
    assert game["rounds"][0]["question"] != "Is it Agent Alpha?"
    assert any(r["bits"] for r in game["rounds"])


def test_a_game_where_the_person_asks(start: Any, tmp_path: Path) -> None:
    terminal = start("--role", "ask", "--keyword", KEYWORD)
    terminal.wait_for("Question 1 (q leaves):", "what the planner would guess")
    # no model: a question the rules and the table cannot decide is refused, with suggestions
    terminal.type_line("Would my grandmother like it as a present?")
    screen = terminal.wait_for("I can't answer that without a model", "Question 1 (q leaves):")
    suggested = re.findall(r"try: (.+?)\s*$", screen, re.MULTILINE)
    assert len(suggested) == 3 and "Would my grandmother like it as a present?" not in suggested
    terminal.type_line(suggested[0])  # a suggestion is answered, never refused
    answer = terminal.wait_for_pattern(r"(yes|no) \((rules|table)\)")
    default = terminal.wait_for_pattern(r"Guess 1 \(Enter: (.+), q leaves\):").group(1)
    terminal.press("Enter")  # the shown default: the planner's most probable candidate
    terminal.wait_for(f"No, it is not {default}.", "Question 2 (q leaves):")
    terminal.type_line('Does the keyword start with the letter "t"?')
    terminal.wait_for("yes (rules)", "Guess 2 (Enter:")
    terminal.type_line("bread")
    terminal.wait_for("No, it is not bread.", "Question 3 (q leaves):")
    terminal.type_line("toasters")  # the judge checks questions too, and accepts the plural
    terminal.wait_for("Your question names it: toaster! Solved in round 3.", "Game saved to")
    assert terminal.exit_status() == 0
    game = saved(tmp_path)
    assert game["solved"] and game["rounds"][0]["question"] == suggested[0]
    assert [(r["answer"], r["answered_by"], r["guess"]) for r in game["rounds"][:2]] == [
        (answer.group(1), answer.group(2), default),
        ("yes", "rules", "bread"),
    ]


def test_q_leaves_cleanly_and_is_no_question(start: Any, tmp_path: Path) -> None:
    terminal = start("--role", "ask", "--keyword", KEYWORD)
    terminal.wait_for("Question 1 (q leaves):")
    terminal.type_line("q")
    terminal.wait_for("The keyword was: toaster", "Game saved to")
    assert terminal.exit_status() == 0 and "Traceback" not in terminal.screen()
    game = saved(tmp_path)
    assert game["ended"] == "quit" and game["rounds"] == []


def test_q_leaves_the_answer_role(start: Any, tmp_path: Path) -> None:
    terminal = start()
    screen = terminal.wait_for("Q1: ", "[q]uit")
    assert "Agent Alpha" not in screen  # a person is never asked the handshake
    terminal.press("q")
    terminal.wait_for("Game saved to")
    assert terminal.exit_status() == 0
    assert saved(tmp_path)["ended"] == "quit"


@pytest.mark.parametrize(
    ("model", "why"),
    [("/nope", "no such file: /nope"), ("README.md", "llama.cpp cannot load it: not a GGUF")],
)
def test_a_model_that_does_not_load_stops_play_at_once(
    start: Any, tmp_path: Path, model: str, why: str
) -> None:
    terminal = start("--role", "ask", "--model", model)
    screen = terminal.wait_for(f"error: --model {model}: {why}", "llama.cpp loads")
    assert terminal.exit_status() == 1
    assert "Question 1" not in screen and not (tmp_path / "game.json").exists()


def test_keyword_with_the_answer_role_is_refused(start: Any, tmp_path: Path) -> None:
    terminal = start("--keyword", KEYWORD)
    terminal.wait_for("error: --keyword names the agent's secret, for --role ask")
    assert terminal.exit_status() == 1
    assert "Q1:" not in terminal.screen() and not (tmp_path / "game.json").exists()


def test_ctrl_c_leaves_cleanly_and_saves_the_game(start: Any, tmp_path: Path) -> None:
    terminal = start()
    terminal.wait_for_pattern(r"Q1: .+\?")
    terminal.press("n")
    terminal.wait_for("My guess:")
    terminal.press("n")
    terminal.wait_for("Q2:")
    terminal.press("C-c")
    assert terminal.exit_status() == 130
    screen = terminal.screen()
    assert "Game saved to" in screen and "Traceback" not in screen
    game = saved(tmp_path)
    assert game["ended"] == "interrupted" and len(game["rounds"]) == 2


def test_end_of_input_leaves_cleanly_and_saves_the_game(start: Any, tmp_path: Path) -> None:
    terminal = start("--role", "ask", "--keyword", KEYWORD)
    terminal.wait_for("Question 1 (q leaves):")
    terminal.press("C-d")
    assert terminal.exit_status() == 0
    screen = terminal.screen()
    assert "The keyword was: toaster" in screen and "Traceback" not in screen
    assert saved(tmp_path)["ended"] == "end of input"


def test_the_tiny_model_answers_free_text(
    start: Any, tmp_path: Path, tiny_model_path: Path
) -> None:
    terminal = start("--role", "ask", "--keyword", KEYWORD, "--model", str(tiny_model_path))
    terminal.wait_for("Question 1 (q leaves):")
    terminal.type_line("Would you give it to a friend as a birthday present?")
    terminal.wait_for("(model)", "Guess 1")
    terminal.press("C-d")
    assert terminal.exit_status() == 0
    assert saved(tmp_path)["rounds"][0]["answered_by"] == "model"


def test_the_tiny_model_asks_and_guesses(start: Any, tmp_path: Path, tiny_model_path: Path) -> None:
    terminal = start("--model", str(tiny_model_path), "--strategy", "llm")
    question = terminal.wait_for_pattern(r"Q1: (.+)\n").group(1)
    terminal.wait_for("mode LLM")
    terminal.press("n")
    terminal.wait_for("My guess:", "Is that it?")
    terminal.press("C-c")
    assert terminal.exit_status() == 130
    game = saved(tmp_path)
    assert game["rounds"][0]["question"] == question.strip() and game["rounds"][0]["guess"]
    assert game["settings"]["model"] == str(tiny_model_path)
