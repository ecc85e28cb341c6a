"""Evaluation of the agent: games of the official judge (:mod:`.games`), answerer accuracy on
labelled triples (:mod:`.answerer`), simulated in-process games without a model
(:mod:`.simulated`), and their reports (:mod:`.report`); :mod:`.cli` is the argparse wiring.

Only constants live here: importing this package (the CLI does, for ``--help``) stays instant.
"""

from __future__ import annotations

# Team 1 of an official-judge game: this agent in both seats, this agent's guesser with the
# LLM-only baseline answerer, or the baseline questioner with this agent's answerer.
PAIRINGS = ("self", "vs-baseline-answerer", "vs-baseline-questioner")
