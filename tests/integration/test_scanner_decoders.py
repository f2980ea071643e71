"""Each decoder, chosen by name, reads a generated code and nothing on a frame without one."""

from __future__ import annotations

import pytest

from drivers.camera.code_pictures import Blemishes, blank_frame, code_picture
from drivers.scanner.decoders import DECODERS, decoder_named

PAY = "134567890123456789"


@pytest.mark.parametrize("name", sorted(DECODERS))
def test_a_clean_code_is_read_and_a_blank_frame_gives_nothing(name: str) -> None:
    decoder = decoder_named(name)
    assert decoder.name == name
    assert decoder.decode(code_picture(PAY, Blemishes(angle=10), seed=2)) == [PAY]
    assert decoder.decode(blank_frame(3)) == []


def test_the_default_reads_a_rough_picture() -> None:
    rough = Blemishes(angle=140, blur=5, noise=12, glare=0.5, size=200)
    assert decoder_named("zxing").decode(code_picture(PAY, rough, seed=5)) == [PAY]


def test_an_unknown_decoder_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="zxing"):
        decoder_named("tesseract")
