"""Benchmarks: figures next to ceilings measured in the same run; they never fail on time."""
