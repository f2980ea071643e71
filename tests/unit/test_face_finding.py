"""The real-name check's eyes: drawn residents of every skin tone, before light and dark walls,
lit from either side, tilted, near and far, through the camera's noise and JPEG; open eyes are
seen open, shut ones never taken for open often enough to fake a blink; a still photo never
looks shut; and the active check on top of it passes a blink and nothing else."""

from __future__ import annotations

import itertools

import pytest

from drivers.camera.face_pictures import Sitter, face_picture, resident_blinking
from drivers.camera.page_pictures import shot
from kiosk.domain.liveness import BlinkCheck, Glimpse, Step
from kiosk.vision.faces import Eyes, FaceProblem, face_jpeg, look_at_face

SITTERS = [
    Sitter(size=size, skin=skin, wall=wall, tilt=tilt, light=light, centre=(0.5 + nudge, 0.48))
    for i, (skin, wall, light) in enumerate(itertools.product(range(4), range(4), (-1, 0, 0.8)))
    for size, tilt, nudge in [((0.8, 1.0, 1.25)[i % 3], (-8, 0, 8)[i % 3 - 1], (i % 5 - 2) * 0.03)]
]


@pytest.fixture(scope="module")
def looks() -> dict[bool, list]:
    return {
        eyes_open: [look_at_face(face_picture(s, eyes_open=eyes_open, seed=i))
                    for i, s in enumerate(SITTERS)]
        for eyes_open in (True, False)
    }  # fmt: skip


def test_one_face_is_found_in_every_picture_and_judged_good(looks) -> None:
    for look in looks[True] + looks[False]:
        assert look.faces == 1 and look.good, look


def test_open_eyes_are_seen_open_and_shut_ones_almost_never(looks) -> None:
    opened = [look.eyes for look in looks[True]]
    shut = [look.eyes for look in looks[False]]
    assert opened.count(Eyes.OPEN) >= 0.95 * len(opened)
    assert Eyes.SHUT not in opened  # a photo held up never looks like a blink
    assert shut.count(Eyes.SHUT) >= 0.6 * len(shut)
    assert shut.count(Eyes.OPEN) <= 0.05 * len(shut)


def test_what_will_not_do_is_told() -> None:
    two = face_picture(Sitter(centre=(0.3, 0.5), size=0.7), others=(Sitter(centre=(0.75, 0.5),
                       size=0.7),))  # fmt: skip
    assert look_at_face(two).problem is FaceProblem.MORE_THAN_ONE
    assert look_at_face(face_picture(Sitter(centre=(0.22, 0.5)))).problem is (
        FaceProblem.NOT_CENTRED
    )
    assert look_at_face(face_picture(Sitter(size=0.38))).problem is FaceProblem.TOO_FAR
    assert look_at_face(shot(3).picture).problem is FaceProblem.NO_FACE  # a page, no face


def test_the_photo_sent_is_the_face_with_a_margin_and_small() -> None:
    picture = face_picture(Sitter(), seed=4)
    look = look_at_face(picture)
    assert look.box is not None
    jpeg = face_jpeg(picture, look.box)
    assert jpeg[:2] == b"\xff\xd8" and len(jpeg) < 60_000
    import cv2
    import numpy as np

    sent = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert max(sent.shape[:2]) <= 480
    assert look_at_face(sent).faces == 1  # the service gets a face it can find


# -- the active check ------------------------------------------------------------------------


def _glimpses(eyes: str, start_ms: int, count: int, *, centre=(0.5, 0.5)) -> list[Glimpse]:
    return [Glimpse(start_ms + 100 * i, True, eyes, centre, 0.3) for i in range(count)]


def _fed(check: BlinkCheck, glimpses: list[Glimpse]) -> Step:
    for glimpse in glimpses:
        check.see(glimpse)
    return check.step


def test_open_shut_open_passes() -> None:
    check = BlinkCheck(0)
    steps = [_fed(check, _glimpses("open", 0, 3)), _fed(check, _glimpses("shut", 300, 3))]
    assert steps == [Step.CLOSE, Step.OPEN]
    assert _fed(check, _glimpses("open", 600, 2)) is Step.PASSED and check.passed
    assert check.frames == 8


def test_a_still_photo_runs_out_of_time() -> None:
    check = BlinkCheck(0, time_limit_ms=3000)
    assert _fed(check, _glimpses("open", 0, 40)) is Step.FAILED and not check.passed


def test_a_flicker_of_one_shut_frame_is_no_blink() -> None:
    check = BlinkCheck(0)
    for start in range(0, 3000, 500):  # open, a single "shut", open, over and over
        _fed(check, _glimpses("open", start, 4) + _glimpses("shut", start + 400, 1))
    assert check.step is Step.CLOSE


def test_unclear_frames_count_for_nothing_either_way() -> None:
    check = BlinkCheck(0)
    _fed(check, _glimpses("open", 0, 2) + _glimpses("shut", 200, 1) + _glimpses("unsure", 300, 3))
    assert _fed(check, _glimpses("shut", 600, 1)) is Step.OPEN
    assert _fed(check, _glimpses("unsure", 700, 2) + _glimpses("open", 900, 2)) is Step.PASSED


def test_a_face_swapped_or_gone_starts_the_watching_again() -> None:
    check = BlinkCheck(0)
    _fed(check, _glimpses("open", 0, 3) + _glimpses("shut", 300, 2))
    assert check.step is Step.OPEN
    # Another picture, elsewhere in the frame, with its eyes open: not the same face opening.
    assert _fed(check, _glimpses("open", 500, 1, centre=(0.8, 0.5))) is Step.LOOK
    check = BlinkCheck(0)
    _fed(check, _glimpses("open", 0, 3) + _glimpses("shut", 300, 2))
    check.see(Glimpse(500, False, "open", (0.5, 0.5), 0.3))  # two people, or not in the oval
    assert check.step is Step.LOOK
    check = BlinkCheck(0)
    _fed(check, _glimpses("open", 0, 3) + _glimpses("shut", 300, 2))
    check.see(Glimpse(500, False, "unsure"))  # missed for a frame: forgiven
    assert check.step is Step.OPEN
    for at in (600, 700, 800):
        check.see(Glimpse(at, False, "unsure"))  # gone
    assert check.step is Step.LOOK


def test_eyes_shut_too_long_is_not_a_blink() -> None:
    check = BlinkCheck(0)
    _fed(check, _glimpses("open", 0, 3) + _glimpses("shut", 300, 50))
    assert check.step is Step.LOOK


def test_a_drawn_resident_blinking_passes_frame_by_frame() -> None:
    frames = resident_blinking()
    check = BlinkCheck(0)
    for i, picture in enumerate(frames * 2):
        look = look_at_face(picture)
        check.see(Glimpse(i * 67, look.good, look.eyes.value, look.centre, look.width))
    assert check.passed
