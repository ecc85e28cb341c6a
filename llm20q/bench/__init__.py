"""Benchmarks (``llm20q bench <name>``): speed and token targets, never timed unit tests."""
