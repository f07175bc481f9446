"""Benchmarks run by ``make bench``; they print their figures and assert nothing."""
