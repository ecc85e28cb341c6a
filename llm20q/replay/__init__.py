"""``llm20q replay``: finished games (self-play, eval, terminal) printed round by round with the
planner's posterior, and HTML replays that open offline.

:mod:`.transcripts` reads the three kinds of JSON, :mod:`.printer` prints, :mod:`.html` renders
with kaggle-environments' own player, :mod:`.assets` keeps the player's JavaScript beside the
project (``llm20q fetch-js``) and inlines it, :mod:`.cli` is the argparse wiring.
"""
