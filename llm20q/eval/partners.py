"""Simulated answerer partners: how a teammate drawn at random answers our guesser's questions.

A :class:`Profile` says how a partner answers each kind of question (the kinds of
:func:`agent.rules.classify`): the Agent Alpha handshake (P(yes)), alphabetical questions,
the other spelling questions (letters, word count, length, "one of") and bank (semantic)
questions, each as a share of answers flipped from the truth:

=============  =========  ============  ===============  ======
profile        handshake  alphabetical  other spelling   bank
=============  =========  ============  ===============  ======
``alpha``      yes        exact         exact            exact
``llm-like``   no         30% flipped   30% flipped      15%
``false-alpha`` yes       35% flipped   30% flipped      15%
``random``     coin       coin          coin             coin
=============  =========  ============  ===============  ======

The truth of a spelling question is :func:`agent.rules.rule_answer` on the keyword. The truth of
a bank question is NOT the planner's own table: it comes from WordNet directly
(:class:`WordNetTruth`): the keyword's most common reading (its first noun sense; a compound
WordNet lacks reads as its head noun's first sense among things) and that sense's hypernym
closure, checked against the question's WordNet targets (the ``source`` of the question in the
knowledge folder). The table mixes every sense of a word with weights ("mouse": animal and
device); the partner reads one, so partner and planner disagree the way two readers of a word
do. Questions it cannot decide (LLM-labelled or unlabelled properties, the LLM fallback's free
text, a keyword WordNet does not know) are answered by a coin flip.

Shortcuts: flips are independent per question (a real LLM repeats its own mistakes); the coin
and the flips come from one generator seeded by (seed, profile, keyword), so a game replays
exactly; "other spelling" for ``false-alpha`` is not in the issue's description and takes
``llm-like``'s rate.
"""

from __future__ import annotations

import random
from functools import cached_property

from agent.game import SeatState
from agent.kinds import classify, rule_answer
from agent.planner.store import KnowledgeBase
from llm20q.eval.profiles import Profile
from llm20q.kb.wordnet import LEXNAMES, WordNet

# Lexicographer files of things: a compound's head noun is read in its first sense among these.
THING_LEXNAMES = frozenset(
    {"noun.artifact", "noun.food", "noun.plant", "noun.animal", "noun.object", "noun.substance",
     "noun.body"}
)  # fmt: skip


def _target_ids(source: str, wordnet: WordNet) -> frozenset[int]:
    """WordNet targets of a table question's ``source`` ("wordnet:tool.n.01+lex:noun.food",
    "wordnet:offset:00012345") as synset offsets and ``-1 - lexname number``; empty for
    questions from elsewhere (an LLM, a merged label table)."""
    if not source.startswith("wordnet:"):
        return frozenset()
    ids: set[int] = set()
    for target in source.removeprefix("wordnet:").split("+"):
        if target.startswith("lex:") and target[4:] in LEXNAMES:
            ids.add(-1 - LEXNAMES.index(target[4:]))
        elif target.startswith("offset:"):
            ids.add(int(target.removeprefix("offset:")))
        else:
            try:
                ids.add(wordnet.resolve(target))
            except (KeyError, ValueError):
                continue
    return frozenset(ids)


class WordNetTruth:
    """Bank answers from one reading of the keyword in WordNet (see the module docstring)."""

    def __init__(self, wordnet: WordNet, kb: KnowledgeBase) -> None:
        self.wordnet = wordnet
        self.kb = kb
        self._readings: dict[str, frozenset[int] | None] = {}

    @cached_property
    def targets(self) -> dict[str, frozenset[int]]:
        """Bank question text -> its WordNet targets (only questions that have some)."""
        found = {q.text: _target_ids(q.source, self.wordnet) for q in self.kb.questions}
        return {text: ids for text, ids in found.items() if ids}

    def sense(self, keyword: str) -> int | None:
        """Offset of the synset the partner reads ``keyword`` as, or None."""
        wn = self.wordnet
        words = keyword.lower().replace("-", " ").split()
        if not words:
            return None
        for lemma in wn.morphy("_".join(words)):
            return wn.senses[lemma][0].offset
        for lemma in wn.morphy(words[-1]) if len(words) > 1 else ():
            senses = wn.senses[lemma]
            things = [s for s in senses if wn.synsets[s.offset].lexname in THING_LEXNAMES]
            return (things or list(senses))[0].offset
        return None

    def reading(self, keyword: str) -> frozenset[int] | None:
        """The hypernym closure (and lexicographer file) of the keyword's reading (cached)."""
        key = keyword.lower()
        if key not in self._readings:
            offset = self.sense(key)
            if offset is None:
                self._readings[key] = None
            else:
                lexname = self.wordnet.synsets[offset].lexname
                closure = self.wordnet.ancestors[offset] | {-1 - LEXNAMES.index(lexname)}
                self._readings[key] = frozenset(closure)
        return self._readings[key]

    def answer(self, question: str, keyword: str) -> bool | None:
        """True/False when the question has WordNet targets and WordNet reads the keyword."""
        targets = self.targets.get(question)
        if targets is None:
            return None
        closure = self.reading(keyword)
        if closure is None:
            return None
        return bool(targets & closure)


class PartnerAnswerer:
    """An :class:`agent.policies.base.AnswererPolicy` that answers as ``profile`` does."""

    def __init__(self, profile: Profile, truth: WordNetTruth, seed: int = 0) -> None:
        self.profile = profile
        self.truth = truth
        self.seed = seed
        self._rng: random.Random | None = None
        self._keyword: str | None = None
        self.flipped = 0  # answers that differ from the truth on purpose
        self.coins = 0  # answers to questions the partner cannot decide

    def _generator(self, keyword: str) -> random.Random:
        if self._rng is None or keyword != self._keyword:
            self._rng = random.Random(f"{self.seed}:{self.profile.name}:{keyword}")
            self._keyword = keyword
        return self._rng

    def decide(self, question: str, keyword: str) -> bool:
        """The partner's answer to ``question`` about ``keyword``."""
        rng = self._generator(keyword)
        reading = classify(question).partner  # how its kind takes this profile's noise
        if reading == "handshake":
            return rng.random() < self.profile.handshake_yes
        if reading == "bank":
            truth = self.truth.answer(question, keyword)
            flip = self.profile.bank
        else:
            truth = rule_answer(question, keyword)
            is_alpha = reading == "alphabetical"
            flip = self.profile.alphabetical if is_alpha else self.profile.spelling
        if truth is None:
            self.coins += 1
            return rng.random() < 0.5
        if rng.random() < flip:
            self.flipped += 1
            return not truth
        return truth

    def answer(self, state: SeatState) -> str:
        return "yes" if self.decide(state.rounds[-1].question, state.keyword) else "no"
