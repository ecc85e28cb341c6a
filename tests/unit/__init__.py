"""Unit tests: logic only, no GGUF, no kaggle-environments, no network (seconds)."""
