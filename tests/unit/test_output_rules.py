"""Output rules: what questions, guesses and answers may look like."""

from __future__ import annotations

import pytest

from agent.legal import (
    FALLBACK_GUESSES,
    FALLBACK_QUESTIONS,
    answer_word,
    clean_guess,
    clean_question,
    fallback_guess,
    fallback_question,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Is it an animal?", "Is it an animal?"),
        ("Great! Is it a machine? I think so.", "Is it a machine?"),
        ("1. Does it fly?\nIs it red?", "Does it fly?"),
        ("Question: can you eat it", "Can you eat it?"),
        ('"Is it made of wood?"', "Is it made of wood?"),
        ("Sure. Here is my question:\nIs it bigger than a car?", "Is it bigger than a car?"),
        ("What is it?", None),  # not a yes/no question
        ("I'm going to ask you a question that will", None),
        ("", None),
        ("?", None),
    ],
)
def test_clean_question(raw: str, expected: str | None) -> None:
    assert clean_question(raw) == expected


def test_question_is_one_line_ending_in_question_mark_within_limit() -> None:
    question = clean_question("Is it " + "very " * 300 + "big?")
    assert question is not None
    assert question.endswith("?") and "\n" not in question and len(question) <= 750


def test_repeated_question_is_rejected() -> None:
    assert clean_question("Is it an animal?", asked=["is it an ANIMAL ?"]) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("toaster", "toaster"),
        ("My guess is: a banana.", "banana"),
        ('"Garden hose"', "Garden hose"),
        ("I think it's the air compressor!", "air compressor"),
        ("The keyword is apple pie, because it is sweet", "apple pie"),
        ("no", None),
        ("yes", None),
        ("a very long description of something that is not a thing at all", None),
        ("", None),
    ],
)
def test_clean_guess(raw: str, expected: str | None) -> None:
    assert clean_guess(raw) == expected


def test_wrong_guess_is_not_repeated() -> None:
    assert clean_guess("Banana", wrong_guesses=["banana"]) is None


def test_answer_word_is_exactly_yes_or_no() -> None:
    assert answer_word(0.7, 0.5) == "yes"
    assert answer_word(0.5, 0.5) == "yes"
    assert answer_word(0.49, 0.5) == "no"


def test_fallbacks_never_repeat_while_unused_remain() -> None:
    asked: list[str] = []
    for _ in FALLBACK_QUESTIONS:
        asked.append(fallback_question(asked))
    assert len(set(asked)) == len(FALLBACK_QUESTIONS)
    assert all(clean_question(q) == q for q in asked)
    wrong: list[str] = []
    for _ in FALLBACK_GUESSES:
        wrong.append(fallback_guess(wrong))
    assert len(set(wrong)) == len(FALLBACK_GUESSES)
    assert fallback_question(asked) in FALLBACK_QUESTIONS  # cycles when all are used
