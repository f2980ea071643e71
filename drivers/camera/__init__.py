"""Cameras: the OpenCV camera (a capture thread that shares the newest frame) and the virtual
sources that play image files or a video file in its place, for tests and the demo."""
