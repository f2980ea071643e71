"""Information: prices, energy-saving advice, commitments and business guides from the center."""

from kiosk.ui.information.information import Information, notices_on

__all__ = ["Information", "notices_on"]
