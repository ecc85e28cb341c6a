"""``llm20q play``: a game against the agent in the terminal, with its thinking on screen.

:mod:`.game` is the game as data (pure transitions, saved-game JSON), :mod:`.session` builds the
agent and the loop state both roles share, :mod:`.answer_role` and :mod:`.ask_role` are the two
game loops, :mod:`.review` says where the agent went wrong, :mod:`.screen` draws with ``rich``,
:mod:`.terminal` reads keys and lines, and :mod:`.cli` is the argparse wiring (imported by
``llm20q --help``, so it imports nothing heavy).
"""
