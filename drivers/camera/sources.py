"""Where an OpenCV camera's pictures come from, named by URL.

- ``v4l2:///dev/video0`` (or ``v4l2://0``): a real camera, through OpenCV's V4L2 backend;
- ``file:///path/to/folder``: the images in a folder (png, jpg, bmp), played in name order, in a
  loop; ``file:///path/to/image.png`` one image, over and over;
- ``file:///path/to/video.mp4``: a video file, in a loop.

The file sources are the virtual camera of tests and the demo: removing the folder or file
behaves like unplugging the camera, putting it back like plugging it in; pictures added to the
folder join the loop from the next frame.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast
from urllib.parse import unquote, urlsplit

import cv2
import numpy as np

if TYPE_CHECKING:
    from cv2.typing import MatLike
    from numpy.typing import NDArray

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".pgm", ".tif", ".tiff"}


class SourceLost(Exception):
    """The camera (or the file playing its part) cannot be read any more."""


class FrameSource(Protocol):
    paced: bool  # True: the source has no clock of its own, the camera paces it at its fps

    def open(self) -> None:
        """Raise SourceLost if the source is not there."""

    def read(self) -> NDArray[np.uint8]:
        """The next picture as the source gives it (BGR from a camera or a video, grey from
        a folder of test pictures); raise SourceLost when the source went away."""

    def close(self) -> None: ...


def grey(image: MatLike) -> NDArray[np.uint8]:
    if image.ndim == 3:
        code = cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY
        return pixels(cv2.cvtColor(image, code))
    return pixels(image)


def pixels(image: MatLike) -> NDArray[np.uint8]:
    """An 8-bit picture from OpenCV, whose type hints say only "some array"."""
    return cast("NDArray[np.uint8]", image)


class V4l2Source:
    paced = False

    def __init__(self, device: str | int, width: int, height: int, fps: float) -> None:
        self.device, self.width, self.height, self.fps = device, width, height, fps
        self._capture: cv2.VideoCapture | None = None

    def open(self) -> None:
        capture = cv2.VideoCapture(self.device, cv2.CAP_V4L2)
        if not capture.isOpened():
            capture.release()
            raise SourceLost(f"camera {self.device} cannot be opened")
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        capture.set(cv2.CAP_PROP_FPS, self.fps)
        # One buffer: the driver must not keep old frames for us; we want the newest.
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        self._capture = capture

    def read(self) -> NDArray[np.uint8]:
        if self._capture is None:
            raise SourceLost("camera not open")
        ok, image = self._capture.read()
        if not ok or image is None:
            raise SourceLost(f"camera {self.device} stopped sending pictures")
        return pixels(image)

    def close(self) -> None:
        capture, self._capture = self._capture, None
        if capture is not None:
            capture.release()


class ImageFolderSource:
    paced = True

    def __init__(self, path: Path) -> None:
        self.path = path
        self._images: list[NDArray[np.uint8]] = []
        self._next = 0
        self._changed_at = 0  # the folder's mtime when its pictures were read

    def open(self) -> None:
        self._load()
        if not self._images:
            raise SourceLost(f"no images at {self.path}")
        self._next = 0

    def _load(self) -> None:
        try:
            self._changed_at = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            raise SourceLost(f"no images at {self.path}") from None
        files = [self.path] if self.path.is_file() else self._image_files()
        images = [cv2.imread(str(file), cv2.IMREAD_GRAYSCALE) for file in files]
        self._images = [pixels(image) for image in images if image is not None] or self._images

    def read(self) -> NDArray[np.uint8]:
        try:  # one look at the folder a frame: the virtual camera's cable, and new pictures
            changed_at = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            raise SourceLost(f"{self.path} is gone") from None
        if changed_at != self._changed_at:
            self._load()
        image = self._images[self._next % len(self._images)]
        self._next += 1
        return image

    def close(self) -> None:
        self._images = []

    def _image_files(self) -> list[Path]:
        if not self.path.is_dir():
            return []
        return sorted(p for p in self.path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)


class VideoFileSource:
    paced = True

    def __init__(self, path: Path) -> None:
        self.path = path
        self._capture: cv2.VideoCapture | None = None

    def open(self) -> None:
        capture = cv2.VideoCapture(str(self.path))
        if not capture.isOpened():
            capture.release()
            raise SourceLost(f"cannot play {self.path}")
        self._capture = capture

    def read(self) -> NDArray[np.uint8]:
        if self._capture is None or not self.path.exists():
            raise SourceLost(f"{self.path} is gone")
        ok, image = self._capture.read()
        if not ok:  # the end: play it again
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, image = self._capture.read()
            if not ok:
                raise SourceLost(f"{self.path} has no frames")
        return pixels(image)

    def close(self) -> None:
        capture, self._capture = self._capture, None
        if capture is not None:
            capture.release()


def source_for(url: str, width: int = 640, height: int = 480, fps: float = 15.0) -> FrameSource:
    """The source ``url`` names; ValueError for a URL that names none."""
    parts = urlsplit(url)
    if parts.scheme == "v4l2":
        target = unquote(parts.netloc + parts.path)
        if not target:
            raise ValueError(f"{url!r} names no camera (e.g. v4l2:///dev/video0)")
        return V4l2Source(int(target) if target.isdigit() else target, width, height, fps)
    if parts.scheme == "file":
        path = Path(unquote(parts.path))
        if not parts.path:
            raise ValueError(f"{url!r} names no file")
        if path.is_dir() or path.suffix.lower() in IMAGE_SUFFIXES or not path.suffix:
            return ImageFolderSource(path)
        return VideoFileSource(path)
    raise ValueError(f"{url!r}: a camera is v4l2:///dev/videoN or file:///path")
