"""Code scanners: serial (USB-CDC) and camera drivers, their pure framing, and a pty simulator.

The keyboard-wedge burst detector is pure domain logic (kiosk/domain/keyboard_burst.py), since
the UI's key filter feeds it and the UI may not import drivers.
"""
