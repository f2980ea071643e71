"""The window's own screens: idle (with the center's notices), home menu, and locked."""
