"""The OpenCV camera playing generated code pictures, and the camera scanner reading them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera.code_pictures import Blemishes, blank_frame, code_picture
from drivers.camera.opencv_camera import OpenCvCamera
from drivers.contracts import DataEvent, DeviceState, DeviceUnavailable, ScanSource, StatusEvent
from drivers.link import Backoff
from drivers.scanner.camera_scanner import CameraScanner
from tests.support.devices import EventRecorder, running
from tests.support.waiting import eventually

PAY = "134567890123456789"
BILL = "https://95598.js.sgcc.local/bill/3201000001"
ROUGH = Blemishes(angle=23, blur=5, noise=10, glare=0.4, size=220)


def _folder(path: Path, pictures: list[np.ndarray]) -> Path:
    path.mkdir()
    for i, picture in enumerate(pictures):
        cv2.imwrite(str(path / f"{i:03}.png"), picture)
    return path


@pytest.fixture
def camera(tmp_path: Path) -> Iterator[OpenCvCamera]:
    folder = _folder(
        tmp_path / "pictures",
        [blank_frame(1), code_picture(PAY, ROUGH, seed=1), blank_frame(2)],
    )
    device = OpenCvCamera(f"file://{folder}", fps=30, backoff=Backoff(first=0.05, most=0.2))
    yield from running(device)


def test_the_camera_shares_its_newest_grey_frame(camera: OpenCvCamera) -> None:
    first = camera.wait_for_frame(timeout=2)
    assert first is not None and first.image.shape == (480, 640)
    assert first.image.dtype == np.uint8 and not first.image.flags.writeable
    later = camera.wait_for_frame(newer_than=first.index + 5, timeout=2)
    assert later is not None and later.index > first.index + 5
    assert camera.latest() is not None and camera.latest().index >= later.index


def test_a_shared_camera_feeds_the_scanner_one_read_per_code(camera: OpenCvCamera) -> None:
    scanner = CameraScanner(camera=camera, dedup_window_s=5)
    recorder = EventRecorder(scanner)
    scanner.open()
    scanner.enable()
    try:
        event = recorder.wait_for(DataEvent, timeout=3)
        assert event.data.text == PAY and event.data.source is ScanSource.CAMERA
        seen = scanner.frames_decoded
        assert eventually(lambda: scanner.frames_decoded > seen + 10)  # the loop keeps showing it
        assert [e.data.text for e in recorder.of_type(DataEvent)] == [PAY]
    finally:
        scanner.close()
    assert camera.state is DeviceState.ENABLED  # not the scanner's to close


def test_a_slow_decoder_never_holds_up_capture(camera: OpenCvCamera) -> None:
    class SlowDecoder:
        name = "slow"

        def __init__(self) -> None:
            self.indices: list[int] = []
            self.pause = threading.Event()

        def decode(self, image: np.ndarray) -> list[str]:
            self.pause.wait(0.2)
            return []

    slow = SlowDecoder()
    scanner = CameraScanner(camera=camera, decoder=slow)
    scanner.open()
    scanner.enable()
    try:
        start = camera.wait_for_frame(timeout=2)
        assert start is not None
        assert eventually(lambda: scanner.frames_decoded >= 3)
        decoded, captured = scanner.frames_decoded, camera.latest().index - start.index
        # At 30 fps capture made several frames per slow decode: the stale ones were skipped.
        assert captured >= 2 * decoded
    finally:
        scanner.close()


def test_a_video_file_plays_in_a_loop_and_its_code_is_read(tmp_path: Path) -> None:
    video = tmp_path / "counter.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 30, (640, 480), False)
    assert writer.isOpened()
    for i in range(10):
        writer.write(blank_frame(i) if i < 5 else code_picture(BILL, seed=i))
    writer.release()
    scanner = CameraScanner(url=f"file://{video}", fps=30)
    recorder = EventRecorder(scanner)
    scanner.open()
    scanner.enable()
    try:
        assert recorder.wait_for(DataEvent, timeout=3).data.text == BILL
        assert eventually(lambda: scanner.camera.latest().index > 12)  # past the end: looped
    finally:
        scanner.close()
    assert scanner.camera.state is DeviceState.CLOSED  # its own camera: closed with it


def test_a_camera_that_goes_away_is_reported_and_used_again(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "pictures", [code_picture(PAY, seed=4)])
    camera = OpenCvCamera(f"file://{folder}", fps=30, backoff=Backoff(first=0.05, most=0.2))
    scanner = CameraScanner(camera=camera)
    recorder = EventRecorder(scanner)
    camera.open()
    camera.enable()
    scanner.open()
    scanner.enable()
    try:
        recorder.wait_for(DataEvent)
        folder.rename(tmp_path / "unplugged")
        recorder.wait_for(StatusEvent, lambda e: e.status is DeviceState.UNAVAILABLE)
        assert camera.state is DeviceState.UNAVAILABLE
        (tmp_path / "unplugged").rename(folder)
        recorder.wait_for(StatusEvent, lambda e: e.status is DeviceState.ENABLED, timeout=3)
        assert camera.state is DeviceState.ENABLED
        index = camera.latest().index
        assert camera.wait_for_frame(newer_than=index, timeout=2) is not None
    finally:
        scanner.close()
        camera.close()


def test_a_missing_camera_fails_to_open_and_bad_urls_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DeviceUnavailable):
        OpenCvCamera(f"file://{tmp_path / 'none'}").open()
    for bad in ("http://cam", "v4l2://", "file://"):
        with pytest.raises(ValueError):
            OpenCvCamera(bad)
    with pytest.raises(ValueError, match="known"):
        CameraScanner(url=f"file://{tmp_path}", decoder="tesseract")


def test_a_picture_added_to_the_folder_joins_the_loop(tmp_path: Path) -> None:
    """How the demo's camera gets its resident: drawn behind the first frame, added later."""
    from drivers.camera.sources import ImageFolderSource

    folder = tmp_path / "camera"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.png"), np.full((48, 64), 10, np.uint8))
    source = ImageFolderSource(folder)
    source.open()
    assert {int(source.read().mean()) for _ in range(4)} == {10}
    cv2.imwrite(str(folder / "b.png"), np.full((48, 64), 200, np.uint8))
    assert {int(source.read().mean()) for _ in range(4)} == {10, 200}
