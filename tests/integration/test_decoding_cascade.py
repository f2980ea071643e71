"""The camera's decoding cascade on pictures made like a phone held up to a camera (tilt,
gamma, low contrast, a screen's moiré, glare), made here from a seed: it reads what the fast
decoder alone misses and never reads a code that is not there."""

from __future__ import annotations

from drivers.scanner.cascade import CascadeDecoder
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
    assert read / len(must_read) >= 0.97
