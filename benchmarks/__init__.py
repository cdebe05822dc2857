"""Benchmarks: scripts that print tables (median, p95). Run with `python -m benchmarks.<name>`."""
