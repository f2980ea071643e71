"""The resident's screen: Qt Widgets, driven by controllers that call `kiosk.services`."""
