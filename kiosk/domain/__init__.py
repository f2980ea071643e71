"""Pure rules of the kiosk: money, tariffs, late fees, ID numbers, sessions, payments.

No Qt, no I/O, no clock reads: whatever time a rule needs is passed in.
"""
