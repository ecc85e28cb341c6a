"""``llm20q play`` without a terminal: the game's pure transitions and saved JSON, and whole games
of both roles on a synthetic knowledge folder with scripted keys and lines (no model: any model
call fails the test)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from rich.console import Console

from agent.game import MAX_ROUNDS, Observation, judge_variants
from agent.kinds import rule_answer
from agent.policies.answerer import RuleFirstAnswerer
from agent.rules import HANDSHAKE_QUESTION
from agent.seat import MoveSource
from agent.settings import AgentSettings
from llm20q.keywords import Keyword
from llm20q.play.answer_role import ANSWER_ROLE_SETTINGS, AnswerRoleLoop
from llm20q.play.ask_role import SPELLING_QUESTIONS, SUGGESTIONS, AskRoleLoop, who_answered
from llm20q.play.game import (
    PlayedGame,
    PlayRole,
    answered,
    asked,
    finished,
    from_json,
    guessed,
    observation,
    save,
    taken_back,
    to_json,
)
from llm20q.play.review import contradictions
from llm20q.play.screen import Screen
from llm20q.play.session import Agent, build_agent
from tests.fakes import ScriptedBackend, YesNo
from tests.unit.test_planner import ANIMALS, TABLE, THINGS, make_kb, save_kb


@pytest.fixture
def agent(tmp_path: Path) -> Agent:
    folder = save_kb(make_kb(ANIMALS + THINGS, table=TABLE), tmp_path / "knowledge")
    return build_agent(AgentSettings(knowledge_dir=folder, planner_uniform_mix=0.0), False)


def recording_screen() -> tuple[Screen, Console]:
    console = Console(file=io.StringIO(), width=140, record=True, force_terminal=False)
    return Screen(console), console


class Person:
    """Scripted keys and lines; running out of them is the end of input."""

    def __init__(self, keys: Iterable[str] = (), lines: Iterable[str] = ()) -> None:
        self.keys: Iterator[str] = iter(keys)
        self.lines: Iterator[str] = iter(lines)

    def key(self, allowed: Iterable[str]) -> str:
        key = next(self.keys, None)
        if key is None:
            raise EOFError
        assert key in allowed
        return key

    def line(self, _prompt: str) -> str:
        line = next(self.lines, None)
        if line is None:
            raise EOFError
        return line


class Oracle(Person):
    """Answers as the agent's own rules and table would for ``keyword``; says yes to a right
    guess."""

    def __init__(self, agent: Agent, keyword: str, loop: AnswerRoleLoop | None = None) -> None:
        super().__init__()
        self.agent = agent
        self.keyword = keyword
        self.loop = loop

    def key(self, allowed: Iterable[str]) -> str:
        assert self.loop is not None
        last = self.loop.game.rounds[-1]
        if last.guess is not None:
            return "y" if judge_variants(last.guess) & judge_variants(self.keyword) else "n"
        decided = rule_answer(last.question, self.keyword)
        if decided is None:
            decided = self.agent.answerer.table_answer(last.question, self.keyword)
        return "y" if decided else "n"


# ---------------------------------------------------------------------------- the game as data
def test_transitions_follow_the_judge_order() -> None:
    game = asked(PlayedGame(PlayRole.ANSWER), "Is it an animal?", 0.5)
    with pytest.raises(ValueError):
        guessed(game, "owl")  # a guess comes after the answer
    game = guessed(answered(game, "yes", "person"), "owl")
    with pytest.raises(ValueError):
        answered(game, "no", "person")
    with pytest.raises(ValueError):
        answered(asked(game, "Is it a bird?"), "maybe", "person")
    assert game.agent_rounds[0].answer == "yes" and game.rounds[0].bits == 0.5


def test_taking_back_the_last_answer() -> None:
    game = PlayedGame(PlayRole.ANSWER)
    assert taken_back(game) == game
    game = guessed(answered(asked(game, "Q1?"), "yes", "person"), "g1")
    waiting = asked(game, "Q2?")
    back = taken_back(waiting)  # Q2 dropped, Q1 waits for its answer again
    assert [(r.question, r.answer, r.guess) for r in back.rounds] == [("Q1?", None, None)]
    assert taken_back(game) == back  # at the guess: the answer and the guess go


@pytest.mark.parametrize("turn", ["ask", "guess", "answer"])
def test_observations_are_the_judges(turn: str) -> None:
    game = PlayedGame(PlayRole.ASK, keyword="owl")
    game = guessed(answered(asked(game, "Q1?"), "no", "rules"), "cat")
    if turn != "ask":
        game = asked(game, "Q2?")
    if turn == "guess":
        game = answered(game, "yes", "rules")
    obs = Observation.model_validate(observation(game, turn))
    assert obs.turn_type.value == turn
    assert obs.keyword == ("owl" if turn == "answer" else "")


def test_saved_game_round_trip(tmp_path: Path) -> None:
    game = finished(
        guessed(answered(asked(PlayedGame(PlayRole.ASK, keyword="owl"), "Q?", 0.25), "no",
                         "table"), "cat"), "end of input")  # fmt: skip
    path = save(game, tmp_path / "game.json")
    assert from_json(to_json(game)) == game
    assert path.read_text().count('"kind": "llm20q-play"') == 1
    with pytest.raises(ValueError, match="not a saved terminal game"):
        from_json({"kind": "other"})


# ------------------------------------------------------------------------ the person answers
def test_a_whole_game_where_the_person_answers(agent: Agent) -> None:
    screen, console = recording_screen()
    oracle = Oracle(agent, "owl")
    loop = AnswerRoleLoop(agent, PlayedGame(PlayRole.ANSWER), screen, oracle.key, oracle.line)
    oracle.loop = loop
    loop.run()
    assert loop.game.solved and loop.game.keyword == "owl"
    assert len(loop.game.rounds) < MAX_ROUNDS
    shown = console.export_text()
    assert "Is it Agent Alpha?" in shown and "the agent's thinking" in shown
    assert "My guess: owl" in shown and "I found it" in shown
    assert any(r.bits is not None and r.bits > 0 for r in loop.game.rounds)


def test_a_person_is_never_asked_the_agent_alpha_handshake(tmp_path: Path) -> None:
    folder = save_kb(make_kb(ANIMALS + THINGS, table=TABLE), tmp_path / "knowledge")
    settings = AgentSettings(knowledge_dir=folder, planner_uniform_mix=0.0)
    settings = settings.model_copy(update=ANSWER_ROLE_SETTINGS)
    agent = build_agent(settings, False)
    screen, console = recording_screen()
    oracle = Oracle(agent, "owl")
    loop = AnswerRoleLoop(agent, PlayedGame(PlayRole.ANSWER), screen, oracle.key, oracle.line)
    oracle.loop = loop
    loop.run()
    assert loop.game.solved
    assert "Agent Alpha" not in console.export_text()
    assert loop.game.rounds[0].question != HANDSHAKE_QUESTION


def test_u_takes_back_an_answer(agent: Agent) -> None:
    screen, console = recording_screen()
    person = Person(keys="nnyu")  # no (handshake), no (guess), yes (Q2), then take it back
    loop = AnswerRoleLoop(agent, PlayedGame(PlayRole.ANSWER), screen, person.key, person.line)
    with pytest.raises(EOFError):
        loop.run()
    assert "Took back your last answer." in console.export_text()
    assert loop.game.rounds[-1].answer is None and len(loop.game.rounds) == 2


def test_out_of_rounds_the_agent_says_where_it_went_wrong(agent: Agent) -> None:
    screen, console = recording_screen()
    person = Person(keys="n" * (2 * MAX_ROUNDS), lines=["owl"])  # no, always
    loop = AnswerRoleLoop(agent, PlayedGame(PlayRole.ANSWER), screen, person.key, person.line)
    loop.run()
    assert loop.game.ended == "out of rounds" and loop.game.keyword == "owl"
    shown = console.export_text()
    assert "Where I went wrong" in shown
    assert "my table says yes for 'owl'" in shown  # "Is it an animal?" got a no


def test_contradictions_name_the_rule_or_the_table(agent: Agent) -> None:
    game = PlayedGame(PlayRole.ANSWER)
    for question, answer in [("Is it an animal?", "no"), ("Is it a bird?", "yes"),
                             ('Does the keyword start with the letter "c"?', "yes")]:  # fmt: skip
        game = guessed(answered(asked(game, question), answer, "person"), "x")
    found = contradictions(game, "owl", agent.answerer)
    assert [(c.round, c.source, c.expected) for c in found] == [(1, "table", "yes"),
                                                                (3, "rules", "no")]  # fmt: skip


# ---------------------------------------------------------------------------- the person asks
def local_names(keyword: Keyword, text: str) -> bool:
    return bool(judge_variants(text) & judge_variants(keyword.keyword))


def ask_loop(agent: Agent, person: Person) -> tuple[AskRoleLoop, Console]:
    screen, console = recording_screen()
    game = PlayedGame(PlayRole.ASK, keyword="owl")
    loop = AskRoleLoop(agent, game, screen, person.key, person.line, Keyword("owl", "things"),
                       names_keyword=local_names)  # fmt: skip
    return loop, console


def test_a_whole_game_where_the_person_asks(agent: Agent) -> None:
    person = Person(lines=["Is it an animal?", "cat", 'Does the keyword start with the letter "o"?',
                           "owls"])  # fmt: skip
    loop, console = ask_loop(agent, person)
    loop.run()
    assert loop.game.solved and len(loop.game.rounds) == 2
    assert [(r.answer, r.answered_by) for r in loop.game.rounds] == [("yes", "table"),
                                                                     ("yes", "rules")]  # fmt: skip
    shown = console.export_text()
    assert "yes (table)" in shown and "what the planner would guess" in shown
    assert "No, it is not cat." in shown and "Right, it is owl!" in shown


def test_without_a_model_an_undecidable_question_is_not_played(agent: Agent) -> None:
    loop, console = ask_loop(agent, Person(lines=["Is it a bird or a fish?"]))
    with pytest.raises(EOFError):
        loop.run()
    assert loop.game.rounds == ()
    shown = console.export_text()
    assert "I can't answer that without a model" in shown and "try: Is it a bird?" in shown


def test_a_question_naming_the_keyword_wins(agent: Agent) -> None:
    loop, _ = ask_loop(agent, Person(lines=["owl"]))
    loop.run()
    assert loop.game.solved and loop.game.rounds[0].answer is None


def test_the_answerer_is_the_seats_rule_first_one(agent: Agent) -> None:
    assert isinstance(agent.answerer, RuleFirstAnswerer)
    assert agent.answerer is agent.seat.policies.answerer


def test_llm_strategy_needs_a_model(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="needs a model"):
        build_agent(AgentSettings(strategy="llm"), False)  # type: ignore[arg-type]


# ------------------------------------------------- who answered, suggestions, leaving, defaults
@pytest.mark.parametrize(
    ("decided", "played", "by"),
    [
        ("rules", MoveSource.NO_MODEL, "rules"),
        ("table", MoveSource.NO_MODEL, "table"),
        ("llm", MoveSource.MODEL, "model"),
        ("llm", MoveSource.FALLBACK, "fallback"),  # the model failed: the seat's safe "no"
        ("llm", MoveSource.TIME_SAVING, "fallback"),  # out of time: the quick answerer guessed
        ("table", MoveSource.TIME_SAVING, "fallback"),
        ("", MoveSource.FALLBACK, "fallback"),  # an invalid observation: nothing was decided
    ],
)
def test_who_answered(decided: str, played: MoveSource, by: str) -> None:
    before = {"rules": 1, "table": 2, "llm": 3}
    after = {**before, decided: before[decided] + 1} if decided else before
    model = MoveSource.MODEL
    assert who_answered(before, after, {model: 5}, {model: 5, played: 1}) == by


def test_a_model_that_fails_is_recorded_as_the_fallback(agent: Agent) -> None:
    def broken() -> ScriptedBackend:
        raise RuntimeError("the model crashed")

    with_model = build_agent(agent.settings, has_model=True, backend=broken)
    loop, console = ask_loop(with_model, Person(lines=["Would you give it as a present?"]))
    with pytest.raises(EOFError):
        loop.run()
    assert [(r.answer, r.answered_by) for r in loop.game.rounds] == [("no", "fallback")]
    shown = console.export_text()
    assert "no (fallback)" in shown and "My fallback answer" in shown and "(model)" not in shown


def test_a_model_answer_is_recorded_as_the_models(
    agent: Agent, fake_backend: ScriptedBackend
) -> None:
    fake_backend.expect(YesNo("play/answerer", "as a present?", 0.9))
    with_model = build_agent(agent.settings, has_model=True, backend=lambda: fake_backend)
    loop, console = ask_loop(with_model, Person(lines=["Would you give it as a present?"]))
    with pytest.raises(EOFError):
        loop.run()
    assert [(r.answer, r.answered_by) for r in loop.game.rounds] == [("yes", "model")]
    assert "yes (model)" in console.export_text()


def test_suggestions_are_questions_the_agent_answers(agent: Agent) -> None:
    loop, console = ask_loop(agent, Person(lines=["Is it a bird or a fish?"]))
    with pytest.raises(EOFError):
        loop.run()
    tried = re.findall(r"try: (.+)", console.export_text())
    assert len(tried) == SUGGESTIONS and "Is it a bird or a fish?" not in tried
    assert all(loop.decidable(question) for question in tried)
    assert any(question in SPELLING_QUESTIONS for question in tried)
    # each one is then played, never refused
    for question in tried:
        person = Person(lines=[question])
        again, _ = ask_loop(agent, person)
        with pytest.raises(EOFError):
            again.run()
        assert again.game.rounds[0].answered_by in ("rules", "table")


def test_an_undecidable_question_is_never_suggested(agent: Agent) -> None:
    loop, _ = ask_loop(agent, Person())
    bank = list(agent.knowledge.kb.question_ids) if agent.knowledge.kb is not None else []
    refused = [q for q in bank if not loop.decidable(q)]
    assert refused, "the synthetic table should leave some questions to the model"
    for question in refused:
        assert not set(loop.suggestions(question)) & set(refused)


@pytest.mark.parametrize("word", ["q", "Q", "quit", "exit"])
def test_q_leaves_and_is_never_a_question(agent: Agent, word: str) -> None:
    loop, _ = ask_loop(agent, Person(lines=[word]))
    loop.run()
    assert loop.game.ended == "quit" and loop.game.rounds == ()


def test_q_at_the_guess_leaves(agent: Agent) -> None:
    loop, _ = ask_loop(agent, Person(lines=["Is it an animal?", "q"]))
    loop.run()
    assert loop.game.ended == "quit" and loop.game.rounds[0].guess is None


def test_q_leaves_the_answer_role(agent: Agent) -> None:
    person = Person(keys="q")
    loop = AnswerRoleLoop(agent, PlayedGame(PlayRole.ANSWER), Screen(), person.key, person.line)
    loop.run()
    assert loop.game.ended == "quit"


def test_enter_at_the_guess_takes_the_shown_default(agent: Agent) -> None:
    prompts: list[str] = []
    person = Person(lines=["Is it an animal?", "", "Is it a bird?", ""])

    def line(prompt: str) -> str:
        prompts.append(prompt)
        return person.line(prompt)

    screen, _ = recording_screen()
    loop = AskRoleLoop(agent, PlayedGame(PlayRole.ASK, keyword="owl"), screen, person.key, line,
                       Keyword("owl", "things"), names_keyword=local_names)  # fmt: skip
    with pytest.raises(EOFError):
        loop.run()
    first, second = (r.guess for r in loop.game.rounds)
    assert first and second and first != second  # a wrong default is not offered again
    guess_prompts = [p for p in prompts if p.startswith("Guess")]
    assert guess_prompts[0] == f"Guess 1 (Enter: {first}, q leaves): "
    assert guess_prompts[1] == f"Guess 2 (Enter: {second}, q leaves): "
