"""The camera's decoding cascade on pictures made like a phone held up to a camera (tilt,
gamma, low contrast, a screen's moiré, glare), made here from a seed: it reads what the fast
decoder alone misses and never reads a code that is not there; its stage that warps the
phone's screen flat reads a phone tilted too far for the others."""

from __future__ import annotations

from dataclasses import replace

from drivers.camera.phone_pictures import PhoneShot, phone_picture
from drivers.scanner.cascade import CascadeDecoder, Rectified, kiosk_stages, quadrilaterals
from drivers.scanner.decoders import ZxingDecoder
from tests.support.code_corpus import widened_corpus


def test_the_cascade_reads_phone_pictures_and_nothing_false() -> None:
    corpus = widened_corpus(printed=30, phones=90, seed=7)
    cascade = CascadeDecoder(budget_s=None)  # every stage: a test is not on the clock
    fast = cascade.stages[0]
    must_read = [sample for sample in corpus if sample.must_read]
    assert len(must_read) >= 90 and len(must_read) < len(corpus)  # both kinds are in it
    read = fast_read = 0
    for sample in corpus:
        texts = cascade.decode(sample.image)
        if sample.must_read:
            assert texts in ([], [sample.text]), sample.kind  # never a wrong text
            read += texts == [sample.text]
            fast_read += fast.decode(sample.image) == [sample.text]
        else:
            assert not texts or (texts == [sample.text] and sample.text is not None), sample.kind
    assert read > fast_read  # the later stages add reads on these frames
    assert read / len(must_read) >= 0.99


# A bill's QR on a phone leaning 38° away, its code small (about four pixels a module before
# the lean) and blurred, the screen's grid showing: read flat, the same phone is read at once.
_TILTED = PhoneShot(size=180, tilt=38.0, tilt_axis=55.0, turn=60.0, moire=0.45, blur=1.5, noise=3)
_BILL = "https://95598.js.sgcc.local/bill/3141592653"


def test_the_rectified_stage_reads_a_tilted_phone_the_other_stages_miss() -> None:
    stages = kiosk_stages()
    rectified = next(stage for stage in stages if isinstance(stage, Rectified))
    others = [stage for stage in stages if stage is not rectified]
    assert stages.index(rectified) < stages.index(  # before zbar, whose time it leaves
        next(stage for stage in stages if stage.name == "pyzbar")
    )
    level = phone_picture(_BILL, replace(_TILTED, tilt=0.0), seed=6)
    assert stages[0].decode(level) == [_BILL]  # the tilt is what the fast decoder misses
    tilted = phone_picture(_BILL, _TILTED, seed=6)
    assert [stage.decode(tilted) for stage in others] == [[]] * len(others)
    assert rectified.decode(tilted) == [_BILL]
    reading = CascadeDecoder(stages, budget_s=None).read(tilted)
    assert (reading.texts, reading.stage) == ([_BILL], rectified.name)


def test_the_rectified_stage_reads_nothing_on_a_tilted_phone_without_a_code() -> None:
    blank = phone_picture(_BILL, replace(_TILTED, blank_screen=True), seed=6)
    assert len(quadrilaterals(blank, most=2)) == 2  # the screen and its bezel: it does look
    assert Rectified(ZxingDecoder(kiosk_codes_only=True)).decode(blank) == []
