"""Offline tools that drive the agent against kaggle-environments' own judge.

Nothing here is imported by the Kaggle runtime; kaggle_environments is imported lazily (it takes
about 14 s and pulls in torch, transformers and pandas).
"""
