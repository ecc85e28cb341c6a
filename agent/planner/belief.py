"""The planner's belief: the posterior over the knowledge base's candidates given the rounds.

Numpy only, no model. Two hypotheses about the partner (:mod:`agent.planner.posterior`): it
speaks the Agent Alpha protocol, or it answers as a natural (LLM) answerer does. Round 1's
handshake answer and every alphabetical answer after it move P(protocol) (the partner's kind is
a hidden variable with its own likelihood); :attr:`agent.planner.posterior.Posterior.mode` is the
more probable hypothesis. Under the protocol answers are nearly exact (noise ``noise_alpha``: one
contradicting answer cannot eliminate the keyword for good); in the Bayesian mode bank answers
carry noise ``noise_table`` and spelling answers ``noise_lexical``, with the answer-noise model
P(yes) = eps + (1 - 2 eps) p.

An "outside the lexicon" hypothesis (prior ``outside_prior``) gives
:meth:`Belief.outside_probability`; the policy hands over to the LLM when it is high. An outside
keyword sits next to some candidate in alphabetical order (it answers alphabetical and
first-letter questions as that candidate does, and wrong guesses do not rule it out) and answers
the other questions as the prior's average candidate does.

Shortcuts and approximations:

- The prior mix and the precomputed tables: :mod:`agent.planner.index`.
- Spelling variants: the keyword may be a judge-equivalent spelling of a candidate at another
  alphabetical position ("aprons" for "apron", "barcode" for "bar code"). Each candidate owns a
  few variant strings with small weights, and its likelihood for the alphabetical answers is the
  weighted sum over its spellings (one spelling for the whole game). Only alphabetical questions
  use the variants; letter and word-count questions use the candidate's own spelling.
- Questions the planner cannot parse (the LLM fallback's free text) carry no evidence. Every
  guess in the rounds is taken as wrong (a right guess ends the game).
- The posterior is cached and extended when the rounds extend the cached ones; anything else
  (a resync, a new game) recomputes it from scratch.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from agent.game import Round
from agent.kinds import HANDSHAKE, Evidence, TableFeature, classify
from agent.planner.index import F64, PlannerIndex
from agent.planner.partner import PartnerRows
from agent.planner.posterior import (
    Channel,
    Mode,
    Posterior,
    logsumexp,
)
from agent.settings import AgentSettings

# A hypothesis weighing less than this is left out of the mixture (it cannot change a choice).
NEGLIGIBLE = 1e-6
# Beyond these odds the partner's kind is settled: answers no longer move them (saves the work).
SETTLED = 1e-3
# A "no" to a question whose false-no rate is at most CONFIDENT_NO rules out the candidates the
# table gives p(yes) >= CONFIDENT_TABLE as guesses (while another candidate is left).
CONFIDENT_NO = 0.1
CONFIDENT_TABLE = 0.98


def _default(name: str) -> Any:
    """The default of ``AgentSettings.planner_<name>``: the one home of the planner's defaults."""
    return AgentSettings.model_fields[f"planner_{name}"].default


@dataclass(frozen=True)
class PlannerConfig:
    """The planner's tunables: ``AgentSettings.planner_<field>`` (defaults read from there)."""

    noise_table: float = _default("noise_table")
    noise_lexical: float = _default("noise_lexical")
    noise_alpha: float = _default("noise_alpha")
    top_k: int = _default("top_k")
    outside_prior: float = _default("outside_prior")
    uniform_mix: float = _default("uniform_mix")
    handshake: bool = _default("handshake")
    protocol_prior: float = _default("protocol_prior")
    handshake_false_yes: float = _default("handshake_false_yes")
    partner_value: float = _default("partner_value")
    endgame_rounds: int = _default("endgame_rounds")
    coined: bool = _default("coined")
    yes_bias_grid: tuple[float, ...] = _default("yes_bias_grid")
    yes_bias_prior: tuple[float, ...] = _default("yes_bias_prior")
    llm_partner_prior: float = _default("llm_partner_prior")
    bayes_spelling: bool = _default("bayes_spelling")

    @classmethod
    def from_settings(cls, settings: AgentSettings) -> PlannerConfig:
        """The settings' ``planner_<field>`` values, field by field."""
        return cls(**{f.name: getattr(settings, f"planner_{f.name}") for f in fields(cls)})


@dataclass
class View:
    """One hypothesis' posterior over the candidates, normalised with the outside branch."""

    log_post: F64  # log P(candidate, in the lexicon | evidence, hypothesis)
    outside: float  # P(outside the lexicon | evidence, hypothesis)


class Belief:
    """The posterior of one seat's game, extended round by round."""

    def __init__(self, index: PlannerIndex, config: PlannerConfig) -> None:
        self.index = index
        self.config = config
        self._cache: Posterior | None = None
        self._views: dict[Mode, View] = {}
        self._views_key: tuple[int, int] = (-1, -1)
        self._log_vweight = np.log(index.v_weight)
        # the hypotheses about a plain partner (answers like people or like a small LLM, each
        # with a yes bias): per row x question, P(yes | the table's no) and P(no | its yes)
        self.partner = PartnerRows.build(
            index,
            config.noise_table,
            config.yes_bias_grid,
            config.yes_bias_prior,
            config.llm_partner_prior,
        )
        self.prior_rates: tuple[F64, F64] = self.partner.rates(np.exp(self.partner.log_prior))

    # ------------------------------------------------------------------ evidence

    def _prior_log_odds(self, handshake: str | None) -> float:
        """Log-odds of the protocol before any alphabetical answer."""
        cfg = self.config
        if handshake is None or cfg.protocol_prior <= 0.0:
            return -np.inf
        odds = np.log(cfg.protocol_prior) - np.log1p(-cfg.protocol_prior)
        if handshake == "yes":
            return float(odds + np.log1p(-cfg.noise_alpha) - np.log(cfg.handshake_false_yes))
        return float(odds + np.log(cfg.noise_alpha) - np.log1p(-cfg.handshake_false_yes))

    def _apply_answer(self, post: Posterior, question: str, answer: str) -> None:
        post.evidence.append((question, answer))
        self._update(post, question, answer)
        post.version += 1

    def _update(self, post: Posterior, question: str, answer: str) -> None:
        if answer not in ("yes", "no"):
            return
        if len(post.evidence) == 1 and classify(question) is HANDSHAKE:
            if self.config.handshake:
                post.protocol_log_odds = self._prior_log_odds(answer)
            return
        feature = self.index.parse(question)
        if feature is None:
            return
        yes = answer == "yes"
        kind = feature.kind
        word = kind.order_word(feature)
        if word is not None:  # Evidence.ORDER: the spellings, the protocol's bounds
            self._weigh_partner(post, word, yes)
            below = bisect.bisect_left(self.index.v_strings, word)
            for channel in post.channels.values():
                eps = channel.eps
                channel.spelling[:below] += np.log1p(-eps) if yes else np.log(eps)
                channel.spelling[below:] += np.log(eps) if yes else np.log1p(-eps)
                channel._spelled = None
            post.alphabetical += 1
            post.bound(word, yes)
            return
        p_yes = kind.p_yes(feature, self.index)
        if isinstance(feature, TableFeature):
            outside = kind.outside_yes(feature, self.index)
            self._table_answer(post, feature.index, p_yes, outside, yes)
            return
        if self.config.bayes_spelling:  # spelling answers are exact: a contradiction rules out
            post.ruled |= (p_yes <= 0.0) if yes else (p_yes >= 1.0)
        for channel in post.channels.values():
            p = channel.eps + (1.0 - 2.0 * channel.eps) * p_yes
            if kind.evidence is Evidence.POSITION:
                channel.position += _log_lik(p, yes)  # an outside keyword sits next to some
            else:
                channel.shape += _log_lik(p, yes)
                outside = kind.outside_yes(feature, self.index)
                p_out = channel.eps + (1.0 - 2.0 * channel.eps) * outside
                channel.log_outside_shape += float(_log_lik(np.float64(p_out), yes))

    def _table_answer(
        self, post: Posterior, row: int, p_yes: F64, outside: float, yes: bool
    ) -> None:
        """A table answer under every hypothesis about the partner (:mod:`agent.planner.partner`):
        P(yes) = lo + (1 - lo - hi) p with lo the row's false-yes rate for the question and hi
        its false-no rate; the candidates' table evidence is the mixture over the rows (a row's
        posterior is the product of its likelihoods: one row per partner, for the whole game)."""
        lo = self.partner.bias_yes[:, row][:, None]
        hi = self.partner.false_no[:, row][:, None]
        post.bias_semantic += _log_lik(lo + (1.0 - lo - hi) * p_yes[None, :], yes)
        post.bias_outside += _log_lik(lo[:, 0] + (1.0 - lo[:, 0] - hi[:, 0]) * outside, yes)
        post.semantic = _mix(self.partner.log_prior, post.bias_semantic)
        post.log_outside = float(_mix(self.partner.log_prior, post.bias_outside[:, None])[0])
        if not yes and float(hi.max()) <= CONFIDENT_NO:  # a reliable no against a confident yes
            post.ruled |= p_yes >= CONFIDENT_TABLE

    def bias_weights(self, post: Posterior) -> F64:
        """P(each hypothesis about the partner | the table answers so far), over the
        prior's candidates (the candidates' posterior under the other evidence left out)."""
        log_w = self.partner.log_prior + np.array(
            [logsumexp(self.index.log_prior + row) for row in post.bias_semantic]
        )
        w = np.exp(log_w - log_w.max())
        result: F64 = w / w.sum()
        return result

    def answer_rates(self, post: Posterior) -> tuple[F64, F64]:
        """Per table question, P(yes | the table's no) and P(no | the table's yes) under the
        posterior over the partner hypotheses: what the information gains assume of the next
        answer."""
        return self.partner.rates(self.bias_weights(post))

    def _weigh_partner(self, post: Posterior, word: str, yes: bool) -> None:
        """Move the protocol's log-odds by what each hypothesis predicted for an answer that
        earlier answers imply (a check); other answers leave them (see the posterior module)."""
        implied = post.implied(word)
        if implied is None or not SETTLED < post.p_protocol < 1.0 - SETTLED:
            return
        eps_p = post.channels[Mode.ALPHA].eps
        y_protocol = 1.0 - eps_p if implied else eps_p
        eps_n = post.channels[Mode.BAYES].eps
        y_natural = eps_n + (1.0 - 2.0 * eps_n) * self.below(post, Mode.BAYES, word)
        if yes:
            post.protocol_log_odds += float(np.log(y_protocol) - np.log(y_natural))
        else:
            post.protocol_log_odds += float(np.log1p(-y_protocol) - np.log1p(-y_natural))

    def _apply_guess(self, post: Posterior, guess: str) -> None:
        post.guesses.append(guess)
        post.version += 1
        matches = self.index.kb.judge_matches(guess)
        if matches:
            post.excluded[matches] = True

    def posterior(self, rounds: Sequence[Round]) -> Posterior:
        """The posterior after ``rounds`` (incremental when they extend the cached rounds).

        Rounds are applied in order, each answer then its guess, so an extended posterior equals
        one computed from scratch."""
        answered = [r for r in rounds if r.answer is not None]
        post = self._cache
        if post is None or not self._extends(post, answered):
            eps = {Mode.ALPHA: self.config.noise_alpha, Mode.BAYES: self.config.noise_lexical}
            post = Posterior.empty(
                self.index.n, len(self.index.v_strings), eps, -np.inf, len(self.partner.log_prior)
            )
        for i, r in enumerate(answered):
            if i >= len(post.evidence):
                assert r.answer is not None
                self._apply_answer(post, r.question, r.answer)
                post.trace.append(post.p_protocol)
            if r.guess is not None and i >= len(post.guesses):
                self._apply_guess(post, r.guess)
                post.trace[i] = post.p_protocol
        self._cache = post
        return post

    @staticmethod
    def _extends(post: Posterior, answered: Sequence[Round]) -> bool:
        """Whether ``answered`` continues the rounds ``post`` has applied (a round's guess may
        have been added since; nothing applied may differ)."""
        if len(answered) < len(post.evidence) or len(post.guesses) > len(post.evidence):
            return False
        for i, (question, answer) in enumerate(post.evidence):
            r = answered[i]
            if (r.question, r.answer) != (question, answer):
                return False
            if i < len(post.guesses) and r.guess != post.guesses[i]:
                return False
            if i < len(post.evidence) - 1 and i >= len(post.guesses) and r.guess is not None:
                return False  # a guess before the last applied answer was not applied
        return True

    def _spelled(self, channel: Channel) -> F64:
        """Per candidate: log of the sum over its spellings of weight x likelihood of the
        alphabetical answers."""
        if channel._spelled is None:
            top = float(channel.spelling.max())
            mass = np.bincount(
                self.index.v_owner,
                weights=self.index.v_weight * np.exp(channel.spelling - top),
                minlength=self.index.n,
            )
            with np.errstate(divide="ignore"):
                channel._spelled = np.log(mass) + top
        return channel._spelled

    def _log_in(self, post: Posterior, mode: Mode) -> F64:
        """Unnormalised log posterior of every candidate under ``mode`` (-inf: ruled out)."""
        channel = post.channels[mode]
        result: F64 = (
            self.index.log_prior
            + post.semantic
            + channel.position
            + channel.shape
            + self._spelled(channel)
        )
        result[post.excluded] = -np.inf
        return result

    def view(self, post: Posterior, mode: Mode) -> View:
        """The normalised posterior of one hypothesis (cached per evidence state)."""
        key = (id(post), post.version)
        if key != self._views_key:
            self._views = {}
            self._views_key = key
        cached = self._views.get(mode)
        if cached is not None:
            return cached
        channel = post.channels[mode]
        log_in = self._log_in(post, mode)
        prior_out = self.config.outside_prior
        total_in = logsumexp(log_in) + float(np.log1p(-prior_out))
        if prior_out > 0:
            shadow = self.index.log_prior + channel.position + self._spelled(channel)
            total_out = (
                logsumexp(shadow)
                + post.log_outside
                + channel.log_outside_shape
                + float(np.log(prior_out))
            )
        else:
            total_out = -np.inf
        total = float(np.logaddexp(total_in, total_out))
        if not np.isfinite(total):
            result = View(log_in, 1.0)
        else:
            outside = 1.0 if not np.isfinite(total_in) else float(np.exp(total_out - total))
            result = View(log_in + float(np.log1p(-prior_out)) - total, outside)
        self._views[mode] = result
        return result

    def weights(self, post: Posterior) -> dict[Mode, float]:
        """P(hypothesis | evidence), negligible ones left out."""
        p = post.p_protocol
        out = {Mode.ALPHA: p, Mode.BAYES: 1.0 - p}
        return {mode: w for mode, w in out.items() if w > NEGLIGIBLE}

    def mixture(self, post: Posterior) -> F64:
        """log P(candidate | evidence) mixed over the partner hypotheses."""
        parts: list[F64] = [
            np.log(w) + self.view(post, mode).log_post for mode, w in self.weights(post).items()
        ]
        if len(parts) == 1:
            return parts[0]
        with np.errstate(invalid="ignore"):
            mixed: F64 = np.logaddexp(parts[0], parts[1])
        return mixed

    def below(self, post: Posterior, mode: Mode, word: str) -> float:
        """P(the keyword precedes ``word`` | evidence, ``mode``), over the candidates' spellings."""
        cdf = self.variant_cdf(post, mode)
        position = bisect.bisect_left(self.index.v_strings, word)
        return float(cdf[position - 1]) if position > 0 else 0.0

    def variant_cdf(self, post: Posterior, mode: Mode) -> F64:
        """Cumulative posterior mass over the sorted spelling variants (each candidate's mass
        spread over its spellings), normalised to end at 1."""
        channel = post.channels[mode]
        index = self.index
        base = index.log_prior + post.semantic + channel.position + channel.shape
        base[post.excluded] = -np.inf
        log_mass = base[index.v_owner] + self._log_vweight + channel.spelling
        top = float(log_mass.max())
        if not np.isfinite(top):
            return np.ones(len(log_mass))
        cum = np.cumsum(np.exp(log_mass - top))
        result: F64 = cum / cum[-1]
        return result

    def outside_probability(self, rounds: Sequence[Round]) -> float:
        """P(the keyword is outside the lexicon | rounds)."""
        if self.config.outside_prior <= 0:
            return 0.0
        post = self.posterior(rounds)
        return sum(w * self.view(post, mode).outside for mode, w in self.weights(post).items())

    def protocol_trace(self, rounds: Sequence[Round]) -> list[float]:
        """P(the partner speaks the protocol) after each answered round."""
        return list(self.posterior(rounds).trace)


def _mix(log_weights: F64, rows: F64) -> F64:
    """log sum_g exp(log_weights[g] + rows[g]) per column (rows: grid values x columns)."""
    values = log_weights[:, None] + rows
    top = values.max(axis=0)
    safe = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        result: F64 = safe + np.log(np.exp(values - safe).sum(axis=0))
    return result


def _log_lik(p: F64 | np.float64, yes: bool) -> F64:
    """log P(answer) for P(yes) = ``p`` (0 makes a contradicted candidate impossible)."""
    with np.errstate(divide="ignore"):
        result: F64 = np.log(p) if yes else np.log1p(-p)
    return result
