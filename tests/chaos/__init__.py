"""Crash and fault tests: the kiosk killed at random instants, the network failing at random.

Run on demand with `python -m tests.chaos.payments --runs N`; the test suite runs them small.
"""
