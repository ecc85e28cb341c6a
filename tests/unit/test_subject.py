"""The keyword put into questions, and the direct answerer prompt built from it."""

from __future__ import annotations

import pytest

from agent.model.protocol import ChatMessage
from agent.policies.prompts import direct_answerer_chat, load_prompts, parse_examples
from agent.policies.subject import article, is_plural, keyword_question, noun_phrase


@pytest.mark.parametrize(
    ("question", "keyword", "expected"),
    [
        ("Is it found in a kitchen?", "Toaster", "Is a toaster found in a kitchen?"),
        ("Does it have wheels?", "Laptop", "Does a laptop have wheels?"),
        ("Is it used to cut things?", "scissors", "Are scissors used to cut things?"),
        ("Does the thing have legs?", "jeans", "Do jeans have legs?"),
        ("Is it a liquid at room temperature?", "Water", "Is water a liquid at room temperature?"),
        ("Can you hold it in one hand?", "apple", "Can you hold an apple in one hand?"),
        ("Is the keyword a fruit?", "Banana", "Is a banana a fruit?"),
        ("Is its color red?", "Tomato", "Is a tomato's color red?"),
        ("Would you find this in a garden?", "umbrella", "Would you find an umbrella in a garden?"),
        ("Is this object round?", "iPhone", "Is an iPhone round?"),
        ("It is edible?", "Icicle", "An icicle is edible?"),
        ("Is it a kind of   tool?", "unicorn", "Is a unicorn a kind of tool?"),
        ("Bigger than a car?", "Dump truck", "About a dump truck: Bigger than a car?"),
        ("Is it's handle long?", "pan", "About a pan: Is it's handle long?"),
    ],
)
def test_keyword_question(question: str, keyword: str, expected: str) -> None:
    assert keyword_question(question, keyword) == expected


def test_noun_phrases() -> None:
    assert noun_phrase("Komodo dragon") == "a komodo dragon"
    assert noun_phrase("USB drive") == "a USB drive"
    assert noun_phrase("MRI machine") == "an MRI machine"
    assert noun_phrase("hour glass") == "an hour glass"
    assert noun_phrase("the moon") == "the moon"
    assert noun_phrase("Red wine") == "red wine"  # mass noun head
    assert noun_phrase("") == "it"
    assert is_plural("tweezers") and is_plural("donuts") and not is_plural("lens")
    assert not is_plural("glass") and not is_plural("cactus") and not is_plural("bus")
    assert article("euro coin") == "a" and article("owl") == "an" and article("honest") == "an"


def test_direct_answerer_chat_shares_everything_before_the_question() -> None:
    prompts = load_prompts()
    toaster = direct_answerer_chat(prompts, "Toaster", "Is it found in a kitchen?")
    sofa = direct_answerer_chat(prompts, "Sofa", "Is it soft?")
    assert toaster[:-1] == sofa[:-1]  # the cached opening holds no keyword
    assert toaster[-1] == ChatMessage("user", "Is a toaster found in a kitchen?")
    roles = [m.role for m in toaster]
    assert roles[0] == "system" and roles[1:-1] == ["user", "assistant"] * (len(roles[1:-1]) // 2)
    answers = [m.content for m in toaster[2:-1:2]]
    assert set(answers) == {"yes", "no"} and len(answers) == len(prompts.answerer_examples)
    assert "Is a banana a fruit?" in [m.content for m in toaster]


def test_examples_file_format() -> None:
    text = "# comment\nbanana | Is it a fruit? | yes\n\nhammer | Is it soft? | no  # tail\n"
    examples = parse_examples(text)
    assert [(e.keyword, e.question, e.answer) for e in examples] == [
        ("banana", "Is it a fruit?", "yes"),
        ("hammer", "Is it soft?", "no"),
    ]
    with pytest.raises(ValueError, match="line 1"):
        parse_examples("banana | Is it a fruit? | maybe")
    with pytest.raises(ValueError, match="line 2"):
        parse_examples("a | b | yes\nonly two | parts")
