"""The document pictures the tests use: made in drivers/camera/page_pictures.py, which the
simulated camera also holds up in demo mode."""

from drivers.camera.page_pictures import Shot, corpus, shot

__all__ = ["Shot", "corpus", "shot"]
