"""Evaluation of the agent: games of the official judge (:mod:`.games`), answerer accuracy on
labelled triples (:mod:`.answerer`), simulated in-process games without a model
(:mod:`.simulated`), simulated partners (:mod:`.partners`; the one table of their profiles:
:mod:`.profiles`) and the suite that plays every one of them before and after a change
(:mod:`.suite`, reported by :mod:`.suite_report`), and their reports (:mod:`.report`);
:mod:`.cli` is the argparse wiring.

Only constants live here: importing this package (the CLI does, for ``--help``) stays instant.
"""

from __future__ import annotations

# Team 1 of an official-judge game: this agent in both seats, this agent's guesser with the
# LLM-only baseline answerer, the baseline questioner with this agent's answerer, this agent's
# guesser with a simulated partner (``--partner``), or the LLM-only team (the starter notebook's
# way: the baseline questioner with the baseline answerer, on the same model).
PAIRINGS = ("self", "vs-baseline-answerer", "vs-baseline-questioner", "vs-partner", "baseline")
