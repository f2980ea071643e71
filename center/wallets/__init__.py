"""Simulated wallets (WeChat Pay, Alipay) with their real micropay semantics, and the center's
side of them. State lives in the center's database; a behaviour switch picks each order's fate.
"""
