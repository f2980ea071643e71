"""The resident's picture on a call comes from the camera's one capture thread, in colour when
the camera gives colour: the decoders keep their grey frame, the call takes the colour beside
it. A real OpenCV camera playing a colour video file (the virtual camera of tests)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera.opencv_camera import OpenCvCamera
from kiosk.video.tracks import CameraTrack

ORANGE_BGR = (0, 128, 255)


@pytest.fixture
def orange_video(tmp_path: Path) -> Path:
    path = tmp_path / "orange.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 15, (640, 480))
    picture = np.zeros((480, 640, 3), np.uint8)
    picture[:, :] = ORANGE_BGR
    for _ in range(10):
        writer.write(picture)
    writer.release()
    return path


def test_the_call_sends_the_camera_in_colour_and_the_decoders_keep_grey(orange_video: Path) -> None:
    camera = OpenCvCamera(f"file://{orange_video}", fps=15)
    camera.open()
    camera.enable()
    try:
        frame = camera.wait_for_frame(timeout=5)
        assert frame is not None and frame.image.ndim == 2  # grey, for the decoders
        assert frame.colour is not None and frame.colour.shape == (480, 640, 3)

        async def one() -> np.ndarray:
            video = await CameraTrack(camera).recv()
            return video.to_ndarray(format="rgb24")

        sent = asyncio.run(one())
        red, green, blue = (int(v) for v in sent[240, 320])
        assert abs(red - 255) < 12 and abs(green - 128) < 12 and blue < 12  # orange, not grey
    finally:
        camera.disable()
        camera.close()
