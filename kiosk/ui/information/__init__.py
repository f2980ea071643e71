"""Information: prices, energy-saving advice, commitments and business guides from the center."""

from kiosk.ui.information.information import Information

__all__ = ["Information"]
