"""The workbench around the ``agent`` package: the ``llm20q`` command (self-play, evaluation,
benchmarks, the knowledge builder, submission helpers). It imports ``agent``; ``agent`` never
imports it."""
