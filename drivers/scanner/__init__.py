"""Code scanners: serial (USB-CDC) and camera drivers, their pure framing, and a pty simulator.

The keyboard-wedge burst detector is the kiosk's own pure logic
(kiosk/domain/keyboard_burst.py): the UI's key filter feeds it, and the UI may not import drivers.
"""
