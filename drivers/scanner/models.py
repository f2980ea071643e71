"""Serial scanner models as data: how each is told to start and stop reading.

Facts: devices.md "Code scanners". A model with no start command reads continuously
(presentation mode); the others read when triggered and stop after a good read or their own
read timeout, so the driver triggers again after each code and every ``retrigger_s``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScannerModel:
    name: str
    start: bytes = b""  # empty: continuous mode, no command
    stop: bytes = b""
    acknowledgement: bytes = b""  # reply to a command, dropped by the framer

    @property
    def triggered(self) -> bool:
        return bool(self.start)


MODELS: dict[str, ScannerModel] = {
    model.name: model
    for model in (
        ScannerModel("continuous"),
        ScannerModel("honeywell", start=b"\x16T\r", stop=b"\x16U\r"),
        ScannerModel(
            "gm65",
            start=bytes.fromhex("7E 00 08 01 00 02 01 AB CD"),
            acknowledgement=bytes.fromhex("02 00 00 01 00 33 31"),
        ),
        ScannerModel(
            "zebra-ssi",
            start=bytes.fromhex("04 E4 04 00 FF 14"),
            stop=bytes.fromhex("04 E5 04 00 FF 13"),
            acknowledgement=bytes.fromhex("04 D0 00 00 FF 2C"),
        ),
    )
}


def model_named(name: str) -> ScannerModel:
    try:
        return MODELS[name]
    except KeyError:
        raise ValueError(
            f"unknown scanner model {name!r}; known models: {', '.join(MODELS)}"
        ) from None
