"""Camera decoding benchmark: `python -m tests.perf.decoding [--frames 320] [--phones 320]
[--seed 1]`.

A seeded corpus of 640x480 grey frames (tests/support/code_corpus.py): printed codes (rotated,
blurred, noisy, under glare, small) and phones held up to the camera (tilted up to 40°, gamma,
low contrast, the screen's moiré, glare, blur, noise, JPEG; bills' QR codes, payment codes as
QR and as Code 128), with frames that must read nothing (no code, a phone showing no code, a
code half hidden). Each decoder is measured on one core, beside the baseline (zxing-cpp alone)
measured in the same run, with the ratio; the cascade also says what each of its stages adds.
Budget for the default (the cascade): at least 99 % of the code frames read, at 30 frames per
second or better, and no false read (no text on a frame without a code, nor a wrong text on
any frame). Exit status 1 when it is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass, field

import cv2

from drivers.scanner.cascade import CascadeDecoder
from drivers.scanner.decoders import DECODERS, decoder_named
from tests.support.code_corpus import Sample, widened_corpus

BASELINE = "zxing"
DEFAULT = "cascade"


@dataclass
class Result:
    name: str
    read: int = 0
    wrong: int = 0  # a code frame read as another text
    false: int = 0  # a text read on a frame that must read nothing (no code, or a hidden one)
    code_frames: int = 0
    times_ms: list[float] = field(default_factory=list)
    by_stage: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind: [read, frames]

    @property
    def rate(self) -> float:
        return self.read / self.code_frames if self.code_frames else 0.0

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.times_ms or [0.0])

    @property
    def p95_ms(self) -> float:
        times = sorted(self.times_ms or [0.0])
        return times[int(0.95 * (len(times) - 1))]

    def count(self, sample: Sample, texts: list[str], stage: str | None) -> None:
        if not sample.must_read:
            self.false += any(text != sample.text for text in texts)
            return
        self.code_frames += 1
        tally = self.by_kind.setdefault(sample.kind, [0, 0])
        tally[1] += 1
        if sample.text in texts and all(text == sample.text for text in texts):
            self.read += 1
            tally[0] += 1
            if stage is not None:
                self.by_stage[stage] = self.by_stage.get(stage, 0) + 1
        elif texts:
            self.wrong += 1


def measure(name: str, samples: list[Sample]) -> Result:
    decoder = decoder_named(name)
    decoder.decode(samples[0].image)  # warm up: first call loads tables
    result = Result(name)
    for sample in samples:
        started = time.perf_counter()
        if isinstance(decoder, CascadeDecoder):
            reading = decoder.read(sample.image)
            texts, stage = reading.texts, reading.stage
        else:
            texts, stage = decoder.decode(sample.image), None
        result.times_ms.append(1000 * (time.perf_counter() - started))
        result.count(sample, texts, stage)
    return result


def _print_stages(cascade: Result, stages: list[str]) -> None:
    print(f"{DEFAULT}, what each stage adds (of {cascade.code_frames} code frames):")
    total = 0
    for stage in stages:
        added = cascade.by_stage.get(stage, 0)
        total += added
        print(
            f"  {stage:18} +{added:4} ({added / cascade.code_frames:6.1%})"
            f"   read so far {total:4} ({total / cascade.code_frames:6.1%})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--frames", type=int, default=320, help="printed-code frames")
    parser.add_argument("--phones", type=int, default=320, help="phone frames")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.frames + args.phones < 300:
        parser.error("the corpus has at least 300 frames")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as budgeted
    cv2.setNumThreads(1)

    started = time.perf_counter()
    samples = widened_corpus(args.frames, args.phones, args.seed)
    made = time.perf_counter() - started
    must = sum(s.must_read for s in samples)
    print(
        f"corpus: {len(samples)} frames 640x480 grey ({args.frames} printed, {args.phones} "
        f"phones; {must} with a code to read, {len(samples) - must} that must read nothing), "
        f"seed {args.seed}, made in {made:.1f} s, one core"
    )
    results = {name: measure(name, samples) for name in DECODERS}
    base = results[BASELINE]
    print(
        f"{'decoder':8} {'read':>9} {'rate':>7} {'wrong':>5} {'false':>5} "
        f"{'ms/frame':>8} {'p95 ms':>7} {'fps':>6}   vs {BASELINE}: rate, time"
    )
    for result in results.values():
        print(
            f"{result.name:8} {result.read:4}/{result.code_frames:<4} {result.rate:7.1%} "
            f"{result.wrong:5} {result.false:5} {result.mean_ms:8.2f} {result.p95_ms:7.2f} "
            f"{1000 / result.mean_ms:6.0f}   {result.rate / base.rate:5.2f}x "
            f"{result.mean_ms / base.mean_ms:5.2f}x"
        )
    cascade = results[DEFAULT]
    _print_stages(cascade, [stage.name for stage in CascadeDecoder().stages])
    for result in (base, cascade):
        kinds = ", ".join(f"{kind}: {n}/{of}" for kind, (n, of) in sorted(result.by_kind.items()))
        print(f"{result.name} by kind of frame: {kinds}")
    ok = (
        cascade.rate >= 0.99
        and cascade.mean_ms <= 1000 / 30
        and cascade.false == 0
        and cascade.wrong == 0
    )
    print(
        f"budget ({DEFAULT}: >= 99 % read, >= 30 fps, no false reads): {'met' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
