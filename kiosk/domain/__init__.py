"""The kiosk's own pure rules: the payment state machine, the session, connectivity.

The rules the kiosk shares with the drivers and the center (money, tariffs, late fees, ID
numbers, masking, code kinds) live in `rules`. No Qt, no I/O, no clock reads: whatever time a
rule needs is passed in.
"""
