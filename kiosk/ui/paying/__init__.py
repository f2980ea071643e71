"""Paying a bill and reprinting receipts: the payment screens and their two controllers."""
