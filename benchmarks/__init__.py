"""Benchmarks: scripts that print timings. ``loadlib`` is also the harness of ``tests/system``."""
