"""Benchmarks: speed and token targets, run by ``python -m agent bench <name>``, never by tests."""
