"""The Bayesian planner on small synthetic knowledge bases (built in memory, no files)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest

from agent.game import Round, judge_variants
from agent.kinds import (
    FIRST_LETTER,
    SEMANTIC,
    AlphaFeature,
    LetterFeature,
    MultiWordFeature,
    TableFeature,
    classify,
    rule_answer,
)
from agent.planner.belief import PlannerConfig
from agent.planner.features import shortest_separator, spelling_variants
from agent.planner.gains import table_gains
from agent.planner.index import PlannerIndex
from agent.planner.planner import Planner
from agent.planner.posterior import Mode, binary_entropy
from agent.planner.store import KnowledgeBase, Question
from agent.rules import (
    HANDSHAKE_QUESTION,
    MULTIWORD_QUESTION,
    alphabetical_question,
    first_letter,
    letter_question,
)
from agent.settings import AgentSettings

TableSpec = Sequence[tuple[str, str, float, Mapping[str, float]]]  # text, kind, default, entries


def make_kb(
    words: Sequence[str],
    priors: Sequence[float] | None = None,
    table: TableSpec = (),
    unknown: Sequence[str] = (),
) -> KnowledgeBase:
    """A KnowledgeBase as ``KnowledgeBase.load`` would return it."""
    candidates = sorted({w.lower() for w in words})
    weights = np.ones(len(candidates)) if priors is None else np.asarray(priors, dtype=float)
    assert len(weights) == len(candidates)
    log_prior = np.log(weights / weights.sum()).astype(np.float32)
    position = {c: i for i, c in enumerate(candidates)}
    indptr, indices, values = [0], [], []
    questions = []
    for qi, (text, kind, _default, entries) in enumerate(table):
        for word, p in sorted(entries.items(), key=lambda item: position[item[0]]):
            indices.append(position[word])
            values.append(round(p * 255))
        indptr.append(len(indices))
        questions.append(Question(qi, text, kind, "test", len(entries)))
    return KnowledgeBase(
        folder=Path("synthetic"),
        candidates=candidates,
        log_prior=log_prior,
        sources=np.zeros(len(candidates), dtype=np.uint8),
        questions=questions,
        manifest={},
        _indptr=np.asarray(indptr, dtype=np.int64),
        _indices=np.asarray(indices, dtype=np.int32),
        _values=np.asarray(values, dtype=np.uint8),
        _default=np.asarray([t[2] for t in table], dtype=np.float32),
        _unknown=np.asarray([c in unknown for c in candidates], dtype=bool),
    )


def save_kb(kb: KnowledgeBase, folder: Path) -> Path:
    """Write ``kb`` in the knowledge folder format (for tests that load from disk)."""
    folder.mkdir(parents=True, exist_ok=True)
    blob = np.frombuffer("\n".join(kb.candidates).encode("utf-8"), dtype=np.uint8)
    np.savez(folder / "lexicon.npz", candidates=blob, log_prior=kb.log_prior, sources=kb.sources)
    np.savez(
        folder / "answers.npz",
        indptr=kb._indptr,
        indices=kb._indices,
        values=kb._values,
        default=kb._default,
        unknown=kb._unknown.astype(np.uint8),
    )
    bank = {
        "format_version": 1,
        "questions": [
            {"text": q.text, "kind": q.kind, "source": q.source, "labelled": q.labelled}
            for q in kb.questions
        ],
    }
    (folder / "questions.json").write_text(json.dumps(bank), encoding="utf-8")
    return folder


ANIMALS = ["cat", "dog", "cow", "horse", "eagle", "owl", "salmon", "shark"]
THINGS = ["chair", "table", "hammer", "phone", "car", "lamp", "spoon", "sofa"]
TABLE: TableSpec = (
    ("Is it an animal?", "taxonomy", 0.0, {w: 1.0 for w in ANIMALS}),
    ("Is it a bird?", "taxonomy", 0.0, {"eagle": 1.0, "owl": 1.0}),
    ("Is it a mammal?", "taxonomy", 0.0, {"cat": 1.0, "dog": 1.0, "cow": 1.0, "horse": 1.0}),
    ("Is it furniture?", "taxonomy", 0.0, {"chair": 1.0, "table": 1.0, "sofa": 1.0}),
    ("Is it soft?", "property", 0.5, {}),
)


def small_kb() -> KnowledgeBase:
    return make_kb(ANIMALS + THINGS, table=TABLE)


def planner_for(kb: KnowledgeBase, **config: object) -> Planner:
    flat = {"yes_bias_grid": (0.0,), "yes_bias_prior": (1.0,)}  # a partner without a yes bias
    settings = {"uniform_mix": 0.0, **flat, **config}
    cfg = PlannerConfig(**settings)  # type: ignore[arg-type]
    return Planner(PlannerIndex(kb, cfg.uniform_mix), cfg)


def probs(planner: Planner, rounds: Sequence[Round]) -> dict[str, float]:
    return dict(planner.ranked(rounds, count=planner.index.n))


# --------------------------------------------------------------------------- lexical features


VARIED = [
    "apple", "apple pie", "Éclair", "éclair", "a battery", "3d printer", "-ish", "x-ray", "zebra",
    "Zoo", "o'clock", "ice cream cone", "b", "mother's day", "yo-yo", "émigré",
]  # fmt: skip


@pytest.mark.parametrize("word", VARIED)
def test_first_letter_matches_rules(word: str) -> None:
    for letter in "abexz3":
        question = letter_question(letter, letter) if letter.isalpha() else None
        if question is None:
            continue
        assert classify(question) is FIRST_LETTER
        assert rule_answer(question, word) == (first_letter(word) == letter), (question, word)


def test_generated_lexical_questions_agree_with_rules_for_every_candidate() -> None:
    kb = make_kb(VARIED + ANIMALS)
    index = PlannerIndex(kb)
    cases = [letter_question("a", "m"), letter_question("n", "z"), letter_question("e", "e"),
             letter_question("b", "d"), MULTIWORD_QUESTION]  # fmt: skip
    for question in cases:
        feature = index.parse(question)
        assert feature is not None and not isinstance(feature, TableFeature)
        assert classify(question) is not SEMANTIC
        expected = [rule_answer(question, c) for c in kb.candidates]
        assert index.p_yes(feature).astype(bool).tolist() == expected, question
    for word in ["apple pie", "b", "émigré", "mother", "zz", "ice"]:
        question = alphabetical_question(word)
        assert index.parse(question) == AlphaFeature(word)
        assert [rule_answer(question, c) for c in kb.candidates] == [
            c < word for c in kb.candidates
        ]


def test_parse_recognises_only_the_planners_own_questions() -> None:
    index = PlannerIndex(small_kb())
    assert index.parse("Is it a bird?") == TableFeature(1)
    assert index.parse(letter_question("c", "f")) == LetterFeature("c", "f")
    assert index.parse(MULTIWORD_QUESTION) == MultiWordFeature()
    assert index.parse("Is it blue?") is None
    assert index.parse(HANDSHAKE_QUESTION) is None


def test_spelling_variants_cover_what_the_judge_accepts() -> None:
    singles = frozenset({"tool", "box", "bed", "frame"})
    assert spelling_variants("apron", singles) == [("aprons", "plural")]
    assert spelling_variants("boxes", singles) == [
        ("boxeses", "plural"),
        ("boxe", "singular"),
        ("box", "singular"),
    ]
    found = {v for v, _ in spelling_variants("first-aid kit", singles)}
    assert {"first aid kit", "firstaidkit", "first-aid kits"} <= found
    assert "tool box" in {v for v, _ in spelling_variants("toolbox", singles)}
    assert "rv" in {v for v, _ in spelling_variants("r.v.", singles)}
    for variant, _kind in spelling_variants("bar code", singles):
        if variant != "bar codes":
            assert judge_variants(variant) & judge_variants("bar code")


def test_guess_text_survives_the_guess_cleaner() -> None:
    index = PlannerIndex(make_kb(["a battery", "st. john's wort", "dog"]))
    texts = {c: index.guess_text(i, ()) for i, c in enumerate(index.candidates)}
    assert texts == {"a battery": "a-battery", "st. john's wort": "st john's wort", "dog": "dog"}
    assert index.guess_text(index.candidates.index("dog"), ["Dog"]) is None


# --------------------------------------------------------------------------- posterior


def test_mode_comes_from_the_handshake() -> None:
    planner = planner_for(small_kb(), protocol_prior=0.5, handshake_false_yes=0.3)
    assert planner.question([]) == HANDSHAKE_QUESTION
    yes = planner.posterior([Round(HANDSHAKE_QUESTION, "yes", "cat")])
    assert yes.mode is Mode.ALPHA
    assert yes.p_protocol == pytest.approx(0.5 / (0.5 + 0.5 * 0.3), rel=1e-3)
    assert planner.posterior([Round(HANDSHAKE_QUESTION, "no", "cat")]).mode is Mode.BAYES
    assert planner.posterior([Round("Is it blue?", "yes")]).p_protocol == 0.0
    no_handshake = planner_for(small_kb(), handshake=False)
    assert no_handshake.question([]) != HANDSHAKE_QUESTION
    assert no_handshake.posterior([Round(HANDSHAKE_QUESTION, "yes")]).mode is Mode.BAYES


def test_posterior_update_uses_the_noise_model() -> None:
    planner = planner_for(small_kb(), noise_table=0.1, outside_prior=0.0)
    post = probs(planner, [Round("Is it an animal?", "yes")])
    # animals: 0.9 each, things: 0.1 each (uniform prior)
    assert post["cat"] / post["chair"] == pytest.approx(9.0)
    post = probs(planner, [Round("Is it an animal?", "yes"), Round("Is it a bird?", "no")])
    assert post["cat"] / post["owl"] == pytest.approx(9.0)
    assert post["cat"] / post["chair"] == pytest.approx(9.0)
    # an unlabelled property question (0.5 for everyone) changes nothing
    same = probs(planner, [Round("Is it an animal?", "yes"), Round("Is it a bird?", "no"),
                           Round("Is it soft?", "yes")])  # fmt: skip
    assert same == pytest.approx(post)


def test_unknown_candidates_get_half_on_taxonomy_questions() -> None:
    kb = make_kb(["cat", "dog", "zorb"], table=[("Is it an animal?", "taxonomy", 0.0,
                 {"cat": 1.0, "dog": 1.0})], unknown=["zorb"])  # fmt: skip
    planner = planner_for(kb, noise_table=0.0, outside_prior=0.0)
    post = probs(planner, [Round("Is it an animal?", "no")])
    assert post["zorb"] == pytest.approx(1.0)
    post = probs(planner, [Round("Is it an animal?", "yes")])
    assert post["cat"] == pytest.approx(post["dog"]) == pytest.approx(2 * post["zorb"])


def test_wrong_guesses_rule_out_judge_variants() -> None:
    planner = planner_for(make_kb(["cat", "cats", "dog"], priors=[5, 1, 1]))
    rounds = [Round(HANDSHAKE_QUESTION, "no", "cats")]
    assert planner.guess(rounds) == "dog"  # "cat" would be judged the same as "cats"


def test_incremental_posterior_equals_a_fresh_one() -> None:
    kb = small_kb()
    rounds = [
        Round(HANDSHAKE_QUESTION, "no", "cat"),
        Round("Is it an animal?", "yes", "dog"),
        Round(letter_question("a", "m"), "no", "owl"),
        Round("Is it a bird?", "no"),
    ]
    planner = planner_for(kb)
    for k in range(1, len(rounds) + 1):
        planner.posterior(rounds[:k])
    assert dict(planner.ranked(rounds, 16)) == pytest.approx(
        dict(planner_for(kb).ranked(rounds, 16))
    )
    # a resync to a different history recomputes from scratch
    other = [Round(HANDSHAKE_QUESTION, "no", "cat"), Round("Is it an animal?", "no")]
    assert planner.ranked(other, 16) == planner_for(kb).ranked(other, 16)


# --------------------------------------------------------------------------- alpha bisection


def play_alpha(planner: Planner, keyword: str, limit: int = 40) -> int:
    """Questions (after the handshake) until the planner's guess is the keyword."""
    rounds: list[Round] = []
    for asked in range(limit):
        question = planner.question(rounds)
        assert question is not None
        answer = rule_answer(question, keyword)
        assert answer is not None, question
        rounds.append(Round(question, "yes" if answer else "no"))
        guess = planner.guess(rounds)
        assert guess is not None
        assert guess not in [r.guess for r in rounds]
        if guess == keyword:
            return asked
        rounds[-1] = Round(question, rounds[-1].answer, guess)
    raise AssertionError(f"{keyword} not found in {limit} questions")


@pytest.mark.parametrize("n", [2, 7, 64, 300])
def test_alpha_bisection_finds_every_keyword(n: int) -> None:
    rng = np.random.default_rng(n)
    words = sorted({"".join(rng.choice(list("abcdefgh"), size=6)) for _ in range(n * 2)})[:n]
    planner_kb = make_kb(words, priors=rng.uniform(0.1, 10.0, size=len(words)).tolist())
    bound = math.ceil(math.log2(n)) + 2
    for keyword in words:
        questions = play_alpha(planner_for(planner_kb, uniform_mix=0.5), keyword)
        assert questions <= bound, (keyword, questions, bound)


def test_alpha_questions_split_the_prior_mass() -> None:
    kb = make_kb(["alpha", "beta", "delta", "gamma"], priors=[40, 10, 10, 40])
    planner = planner_for(kb)
    question = planner.question([Round(HANDSHAKE_QUESTION, "yes")])
    assert question == alphabetical_question("d")  # {alpha, beta} vs {delta, gamma}: 50/50
    question = planner.question([Round(HANDSHAKE_QUESTION, "yes", "alpha")])
    assert question == alphabetical_question("g")  # {beta, delta} vs {gamma}: 20/40


def test_alpha_keyword_spelled_differently_is_still_found() -> None:
    kb = make_kb(["first-aid kit", "first aid", "first act", "first album", "fir", "fire"])
    planner = planner_for(kb, uniform_mix=0.0)
    rounds: list[Round] = [Round(HANDSHAKE_QUESTION, "yes", "fire")]
    for _ in range(8):
        question = planner.question(rounds)
        assert question is not None
        answer = "yes" if rule_answer(question, "First Aid Kit") else "no"
        rounds.append(Round(question, answer))
        guess = planner.guess(rounds)
        if guess == "first-aid kit":
            return
        rounds[-1] = Round(question, answer, guess)
    raise AssertionError(rounds)


# --------------------------------------------------------------------------- information gain


def test_bayes_mode_asks_the_most_informative_question() -> None:
    planner = planner_for(small_kb(), noise_lexical=0.45)  # letters barely informative
    rounds = [Round(HANDSHAKE_QUESTION, "no")]
    assert planner.question(rounds) == "Is it an animal?"  # 8/16 split
    rounds = [Round(HANDSHAKE_QUESTION, "no"), Round("Is it an animal?", "yes")]
    assert planner.question(rounds) == "Is it a mammal?"  # 4/8 among animals


def test_table_gains_match_a_dense_computation() -> None:
    rng = np.random.default_rng(3)
    words = [f"w{i:03d}" for i in range(120)]
    table = [
        (f"Q{j}?", "taxonomy" if j % 2 else "property", float(j % 3) / 2.0,
         {w: float(rng.integers(0, 256)) / 255 for w in rng.choice(words, 30, replace=False)})
        for j in range(12)
    ]  # fmt: skip
    kb = make_kb(words, priors=rng.uniform(0.1, 1, 120).tolist(), table=table,
                 unknown=words[:10])  # fmt: skip
    planner = planner_for(kb, noise_table=0.07)
    idx = np.sort(rng.choice(120, 50, replace=False)).astype(np.int64)
    w = rng.uniform(0, 1, 50)
    w /= w.sum()
    eps = 0.07

    dense = np.stack([kb.answer_probs(q)[idx] for q in range(12)], axis=1).astype(np.float64)
    pn = eps + (1 - 2 * eps) * dense
    expected = binary_entropy(w @ pn) - w @ binary_entropy(pn)
    assert table_gains(planner, idx, w) == pytest.approx(expected, rel=1e-6)


def test_questions_and_guesses_never_repeat() -> None:
    planner = planner_for(small_kb())
    rounds: list[Round] = [Round(HANDSHAKE_QUESTION, "no", "cat")]
    for _ in range(19):
        question = planner.question(rounds)
        if question is None:  # every candidate guessed: the policy hands over to the LLM
            break
        assert question not in [r.question for r in rounds]
        rounds.append(Round(question, "no"))  # nothing fits: keep saying no
        guess = planner.guess(rounds)
        if guess is None:
            break
        wrong = [r.guess for r in rounds if r.guess]
        assert all(not (judge_variants(guess) & judge_variants(g)) for g in wrong)
        rounds[-1] = Round(question, "no", guess)


def test_outside_probability_rises_when_every_fitting_candidate_was_guessed() -> None:
    kb = make_kb(ANIMALS + THINGS, table=TABLE)
    planner = planner_for(kb, outside_prior=0.3, noise_table=0.02)
    low = planner.outside_probability(
        [Round(HANDSHAKE_QUESTION, "no"), Round("Is it a bird?", "yes")]
    )
    rounds = [Round(HANDSHAKE_QUESTION, "no", "chair"), Round("Is it a bird?", "yes", "eagle"),
              Round("Is it an animal?", "yes", "owl")]  # fmt: skip
    assert planner.outside_probability(rounds) > 0.7 and low < 0.4


@pytest.mark.parametrize(
    ("lower", "upper", "expected"),
    [
        ("punching bag", "pussy willow", "pus"),
        ("rose", "rose apple", "rose a"),
        ("abc", "abd", "abd"),
        ("apple", "banana", "b"),
    ],
)
def test_split_word_is_the_shortest_separating_stem(lower: str, upper: str, expected: str) -> None:
    word = shortest_separator(lower, upper)
    assert word == expected
    assert lower < word <= upper  # the same split of the sorted candidates


def test_planner_config_defaults_are_the_settings_defaults() -> None:
    defaults = AgentSettings.model_construct()  # the declared defaults, no environment
    assert PlannerConfig() == PlannerConfig.from_settings(defaults)
    changed = PlannerConfig.from_settings(defaults.model_copy(update={"planner_top_k": 77}))
    assert changed.top_k == 77 and changed.noise_table == defaults.planner_noise_table
