"""The utility's rules that the kiosk, the device drivers and the center share.

Money, tariffs and bills, late fees, ID numbers, masking and code kinds: computed one way for
all three, so a bill the center issues is the bill the kiosk explains and a card the reader
accepts is a card the kiosk accepts. Pure: it imports nothing of ours, no Qt, no I/O, and reads
no clock (whatever time a rule needs is passed in).
"""
