"""The document pipeline on photographs of pages as a kiosk's camera takes them
(tests/support/page_corpus.py): at an angle, in a shadow, shaken, out of focus, on a light desk,
partly out of the frame, turned a quarter."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kiosk.vision.pages import PageProblem, look_at_page, page_jpeg
from tests.support.page_corpus import corpus, shot

CORPUS = corpus()
CORNER_TOLERANCE_PX = 5.0


def _error(found: tuple[tuple[float, float], ...], truth: np.ndarray) -> float:
    return float(np.abs(np.array(found) - truth).max())


def test_pages_at_an_angle_and_in_shadow_are_found_to_a_few_pixels() -> None:
    plain = [s for s in CORPUS if not s.blurred and not s.hard]
    errors = {}
    for picture in plain:
        look = look_at_page(picture.picture)
        assert look.problem is None, picture.name
        assert look.corners is not None
        errors[picture.name] = _error(look.corners, picture.corners)
    within = [name for name, error in errors.items() if error <= CORNER_TOLERANCE_PX]
    print(f"\ncorners within {CORNER_TOLERANCE_PX} px: {len(within)} of {len(plain)}; "
          f"worst {max(errors.values()):.1f} px")  # fmt: skip
    assert len(plain) >= 35 and len(within) == len(plain)


def test_a_blurred_page_is_refused_and_a_found_one_is_told_blurred() -> None:
    blurred = [s for s in CORPUS if s.blurred]
    looks = [look_at_page(s.picture) for s in blurred]
    assert all(look.problem is not None for look in looks)
    found = [look for look in looks if look.corners is not None]
    assert len(found) >= len(blurred) - 1
    assert {look.problem for look in found} == {PageProblem.BLURRED}


def test_hard_cases_are_found_right_or_refused_never_wrong() -> None:
    hard = [s for s in CORPUS if s.hard]
    refused = 0
    for picture in hard:
        look = look_at_page(picture.picture)
        if look.corners is None:
            assert look.problem is PageProblem.NO_PAGE
            refused += 1
        else:
            assert _error(look.corners, picture.corners) <= CORNER_TOLERANCE_PX, picture.name
    assert refused >= 1  # the corpus has pages that cannot be found: they are said so


def test_nothing_there_is_no_page() -> None:
    desk = np.full((960, 1280, 3), 80, np.uint8)
    noisy = np.clip(desk + np.random.default_rng(1).normal(0, 5, desk.shape), 0, 255)
    look = look_at_page(noisy.astype(np.uint8))
    assert look.problem is PageProblem.NO_PAGE and look.page is None and not look.accepted


def test_a_dark_picture_is_told_dark() -> None:
    picture = shot(7).picture
    look = look_at_page((picture * 0.25).astype(np.uint8))
    assert look.problem is PageProblem.DARK


def test_the_straightened_page_keeps_its_shape_and_compresses_small() -> None:
    look = look_at_page(shot(3).picture)
    assert look.accepted and look.page is not None
    height, width = look.page.shape[:2]
    assert 1.25 < height / width < 1.6  # A4 is 1.41; the perspective squeezes a little
    data = page_jpeg(look.page)
    assert data[:3] == b"\xff\xd8\xff" and len(data) < 400_000
    again = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert again.shape == look.page.shape


@pytest.mark.parametrize("quarter", [False, True])
def test_grey_pictures_work_as_colour_ones(quarter: bool) -> None:
    picture = shot(11, quarter=quarter)
    grey = cv2.cvtColor(picture.picture, cv2.COLOR_BGR2GRAY)
    look = look_at_page(grey)
    assert look.accepted and look.corners is not None
    assert _error(look.corners, picture.corners) <= CORNER_TOLERANCE_PX
