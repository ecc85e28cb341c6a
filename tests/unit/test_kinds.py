"""Question kinds (agent.kinds): the registry, and that a new kind is one module plus one line.

The toy kind below stands for a new module: it is added with ``extended`` (the registry line),
and with nothing else changed the rules answer it, the planner asks it and weighs its answers,
and a game is won with it (strict scripted backend: no model call).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from agent.kinds import (
    ALPHABETICAL,
    FIRST_LETTER,
    SEMANTIC,
    WORD_COUNT,
    Evidence,
    classify,
    extended,
    kinds,
    rule_answer,
)
from agent.kinds.base import (
    F64,
    I64,
    CandidateIndex,
    QuestionKind,
    Rule,
    binary_entropy,
    exact_regex,
    tolerant_regex,
)
from agent.legal import normalise
from agent.planner.index import PlannerIndex
from agent.policies.answerer import RuleFirstAnswerer
from agent.rules import ALPHA_TEMPLATE, MULTIWORD_QUESTION, alphabetical_question, letter_question
from llm20q.eval.simulated import local_guessed, play
from tests.fakes import ScriptedBackend
from tests.unit.test_planner import TableSpec, make_kb, save_kb
from tests.unit.test_planner_policy import seat_on, settings_for

# --------------------------------------------------------------------------- a toy kind

TOY_QUESTION = "Is the number of vowels in the keyword even?"


def _even_vowels(keyword: str) -> bool:
    return sum(ch in "aeiou" for ch in keyword.lower()) % 2 == 0


@dataclass(frozen=True)
class EvenVowelsFeature:
    @property
    def kind(self) -> EvenVowels:
        return EVEN_VOWELS


class EvenVowels(QuestionKind[EvenVowelsFeature]):
    """A new kind, as its own module would define it."""

    name = "even_vowels"
    evidence = Evidence.SHAPE
    template = TOY_QUESTION
    _tolerant = re.compile(r"^is the number of vowels in (?:the keyword|it) even$")

    def parse(self, q: str) -> Rule | None:
        return (self, _even_vowels) if self._tolerant.match(q) else None

    def read(self, question: str, index: CandidateIndex) -> EvenVowelsFeature | None:
        return EvenVowelsFeature() if question == TOY_QUESTION else None

    def p_yes(self, feature: EvenVowelsFeature, index: CandidateIndex) -> F64:
        return np.array([_even_vowels(c) for c in index.candidates], dtype=np.float64)

    def outside_yes(self, feature: EvenVowelsFeature, index: CandidateIndex) -> float:
        return float(index.prior @ self.p_yes(feature, index))

    def best_question(
        self, index: CandidateIndex, idx: I64, w: F64, eps: float, asked: set[str]
    ) -> tuple[float, str] | None:
        if normalise(TOY_QUESTION) in asked:
            return None
        even = float(w @ self.p_yes(EvenVowelsFeature(), index)[idx])
        gain = float(binary_entropy(eps + (1 - 2 * eps) * even) - binary_entropy(eps))
        return gain, TOY_QUESTION


EVEN_VOWELS = EvenVowels()

# Every word starts with "b" and has one word: no first-letter or word-count question tells
# them apart, and the bank's only question is unlabelled; only the toy question can.
WORDS = ["bat", "bee"]
TABLE: TableSpec = (("Is it soft?", "property", 0.5, {}),)


def test_a_new_kind_is_one_module_and_one_registry_line(
    tmp_path: Path, fake_backend: ScriptedBackend
) -> None:
    kb_dir = save_kb(make_kb(WORDS, table=TABLE), tmp_path / "knowledge")
    settings = settings_for(
        kb_dir, planner_handshake=False, planner_noise_lexical=0.05, planner_bayes_spelling=True
    )
    assert classify(TOY_QUESTION) is SEMANTIC and rule_answer(TOY_QUESTION, "bee") is None
    with extended(EVEN_VOWELS):
        assert kinds()[-2:] == (EVEN_VOWELS, SEMANTIC)
        assert classify(TOY_QUESTION) is EVEN_VOWELS
        assert rule_answer("is the number of vowels in it even", "Bee") is True
        assert rule_answer(TOY_QUESTION, "bat") is False
        for keyword in WORDS:
            guesser = seat_on(fake_backend, settings, "g")  # nothing scripted: no model call
            answerer = seat_on(fake_backend, settings, "a")
            game = play(guesser, answerer, keyword, local_guessed(keyword))
            assert game.questions[0] == TOY_QUESTION, game
            assert game.solved and game.rounds == 1, (keyword, game)
            policy = answerer.policies.answerer
            assert isinstance(policy, RuleFirstAnswerer)
            assert policy.decided_by == {"rules": 1, "table": 0, "llm": 0}
            assert guesser.errors == answerer.errors == 0
    assert EVEN_VOWELS not in kinds() and classify(TOY_QUESTION) is SEMANTIC


def test_without_the_kind_the_planner_cannot_tell_them_apart(
    tmp_path: Path, fake_backend: ScriptedBackend
) -> None:
    kb_dir = save_kb(make_kb(WORDS, table=TABLE), tmp_path / "knowledge")
    settings = settings_for(
        kb_dir, planner_handshake=False, planner_noise_lexical=0.05, planner_bayes_spelling=True
    )
    guesser = seat_on(fake_backend, settings, "g")
    answerer = seat_on(fake_backend, settings, "a")
    game = play(guesser, answerer, "bee", local_guessed("bee"))
    assert TOY_QUESTION not in game.questions


def test_planner_reads_its_own_templates_through_the_registry() -> None:
    index = PlannerIndex(make_kb(WORDS, table=TABLE))
    assert index.parse(alphabetical_question("bb")).kind is ALPHABETICAL  # type: ignore[union-attr]
    assert index.parse(letter_question("a", "c")).kind is FIRST_LETTER  # type: ignore[union-attr]
    assert index.parse(MULTIWORD_QUESTION).kind is WORD_COUNT  # type: ignore[union-attr]
    assert index.parse("Is it soft?").kind is SEMANTIC  # type: ignore[union-attr]
    assert index.parse(TOY_QUESTION) is None
    with extended(EVEN_VOWELS):
        feature = index.parse(TOY_QUESTION)
        assert feature is not None and feature.kind is EVEN_VOWELS
        assert index.p_yes(feature).tolist() == [0.0, 1.0]  # bat, bee


def test_the_rules_answer_every_template_the_planner_asks() -> None:
    for kind in kinds():
        if kind.template is None:
            continue
        fields = {name: "b" for name in re.findall(r"\{(\w+)\}", kind.template)}
        question = kind.template.format(**fields)
        assert classify(question) is kind, question
        assert rule_answer(question, "bat") is not None


def test_template_regexes_come_from_the_template() -> None:
    raw = tolerant_regex(ALPHA_TEMPLATE, word="w")
    m = raw.match('  does THE keyword (in lowercase)  precede "Mango Tree" in alphabetical order ')
    assert m is not None and m["w"] == "Mango Tree"
    assert raw.match(ALPHA_TEMPLATE.format(word="x") + " please") is None
    exact = exact_regex(ALPHA_TEMPLATE, word="word")
    assert exact.match(ALPHA_TEMPLATE.format(word="ab"))["word"] == "ab"  # type: ignore[index]
    assert exact.match(ALPHA_TEMPLATE.format(word="ab").lower()) is None


def test_only_the_protocol_questions_are_unnatural_to_ask_a_person() -> None:
    unnatural = {kind.name for kind in kinds() if not kind.natural_to_ask}
    assert unnatural == {"handshake", "alphabetical"}
