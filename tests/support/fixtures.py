"""Fixtures shared by the test tiers. Each area adds its own below."""
