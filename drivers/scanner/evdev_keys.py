"""Turn a keyboard-wedge scanner's evdev stream into codes: pure, no I/O, tested with raw bytes.

With the scanner's input device grabbed, the kiosk reads what the kernel reports for it:
``struct input_event`` records (time, type, code, value). Key codes are positions on a US
keyboard, not characters: the scanner "presses" Shift and then the key. This module cuts the
bytes into records (``InputEventReader``), follows Shift and Caps Lock and maps keys to
characters with a US-layout table (``KeystrokeDecoder``), and ends a code on Enter, keypad
Enter or Tab. Anything that cannot be trusted to be exactly what the scanner read becomes a
``RejectedKeys`` with a typed reason, never a code: a key the table does not know, a key typed
with Ctrl/Alt/Meta held, a key held down (autorepeat), events the kernel dropped, a code longer
than the bound, or a code left without its end. ``keystrokes`` builds the other direction (text
to events), for tests and simulators.

Facts: linux/input.h and linux/input-event-codes.h; devices.md "Code scanners".
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from drivers.scanner.framing import MAX_CODE_BYTES, CodeLine

# struct input_event on 64-bit Linux: struct timeval (long, long), __u16 type, __u16 code,
# __s32 value; native sizes and alignment give the 24 bytes the kernel writes.
INPUT_EVENT = struct.Struct("llHHi")

EV_SYN, EV_KEY = 0x00, 0x01
SYN_REPORT, SYN_DROPPED = 0, 3
KEY_RELEASED, KEY_PRESSED, KEY_REPEATED = 0, 1, 2

KEY_TAB, KEY_ENTER, KEY_KPENTER = 15, 28, 96
KEY_LEFTSHIFT, KEY_RIGHTSHIFT = 42, 54
KEY_CAPSLOCK, KEY_NUMLOCK = 58, 69
KEY_LEFTCTRL, KEY_RIGHTCTRL = 29, 97
KEY_LEFTALT, KEY_RIGHTALT = 56, 100
KEY_LEFTMETA, KEY_RIGHTMETA = 125, 126

END_KEYS = frozenset({KEY_ENTER, KEY_KPENTER, KEY_TAB})
SHIFT_KEYS = frozenset({KEY_LEFTSHIFT, KEY_RIGHTSHIFT})
# Held with a key, these make a command, not a character (Alt+numpad is how Windows scanners
# type non-ASCII; it cannot be read back here, so it is refused rather than guessed).
COMMAND_KEYS = frozenset(
    {KEY_LEFTCTRL, KEY_RIGHTCTRL, KEY_LEFTALT, KEY_RIGHTALT, KEY_LEFTMETA, KEY_RIGHTMETA}
)


def _row(first_code: int, plain: str, shifted: str) -> dict[int, tuple[str, str]]:
    return {first_code + i: pair for i, pair in enumerate(zip(plain, shifted, strict=True))}


# US layout: key code -> (character, character with Shift). Letters are listed lower case;
# Caps Lock flips them. Keypad keys assume Num Lock on, as scanners that use them do.
KEYS: dict[int, tuple[str, str]] = {
    **_row(2, "1234567890-=", "!@#$%^&*()_+"),  # KEY_1 .. KEY_EQUAL
    **_row(16, "qwertyuiop[]", "QWERTYUIOP{}"),  # KEY_Q .. KEY_RIGHTBRACE
    **_row(30, "asdfghjkl;'`", 'ASDFGHJKL:"~'),  # KEY_A .. KEY_GRAVE
    **_row(43, "\\zxcvbnm,./", "|ZXCVBNM<>?"),  # KEY_BACKSLASH .. KEY_SLASH
    55: ("*", "*"),  # KEY_KPASTERISK
    57: (" ", " "),  # KEY_SPACE
    **_row(71, "789-456+1230.", "789-456+1230."),  # KEY_KP7 .. KEY_KPDOT
    98: ("/", "/"),  # KEY_KPSLASH
    117: ("=", "="),  # KEY_KPEQUAL
    121: (",", ","),  # KEY_KPCOMMA
}

# Text to keys, for building streams: the main block first, so "1" is KEY_1, not KEY_KP1.
_KEY_OF: dict[str, tuple[int, bool]] = {}
for _code, (_plain, _shifted) in sorted(KEYS.items()):
    _KEY_OF.setdefault(_plain, (_code, False))
    _KEY_OF.setdefault(_shifted, (_code, True))


class InputEvent(NamedTuple):
    sec: int
    usec: int
    type: int
    code: int
    value: int

    @property
    def time(self) -> float:
        return self.sec + self.usec / 1_000_000


def pack_events(events: Iterable[InputEvent]) -> bytes:
    """The bytes the kernel would write for ``events``."""
    return b"".join(INPUT_EVENT.pack(*event) for event in events)


class InputEventReader:
    """Bytes as they arrive (in any chunks) to whole ``input_event`` records.

    A real evdev read always returns whole records; a pipe or a test may split them, so the
    remainder waits for the rest.
    """

    def __init__(self) -> None:
        self._rest = b""

    @property
    def pending(self) -> int:
        return len(self._rest)

    def reset(self) -> None:
        self._rest = b""

    def feed(self, data: bytes) -> list[InputEvent]:
        data = self._rest + data
        whole = len(data) - len(data) % INPUT_EVENT.size
        self._rest = data[whole:]
        return [InputEvent._make(fields) for fields in INPUT_EVENT.iter_unpack(data[:whole])]


class KeyRejectReason(Enum):
    UNMAPPED_KEY = "key with no character on a US layout"
    COMMAND_KEY = "key typed with Ctrl, Alt or Meta held"
    HELD_KEY = "key held down (autorepeat)"
    EVENTS_DROPPED = "the kernel dropped input events"
    BAD_EVENT = "key event with an impossible value"
    TOO_LONG = "code too long"
    UNFINISHED = "code without its Enter or Tab"
    BLANK = "blank code"


@dataclass(frozen=True)
class RejectedKeys:
    reason: KeyRejectReason
    length: int  # characters dropped, for the technician; the characters themselves are not kept


KeyedCode = CodeLine | RejectedKeys


class KeystrokeDecoder:
    """Feeds on input events, returns the codes (and refusals) that their end keys complete.

    Deterministic and free of I/O. A code is at most ``max_chars`` characters: past that it is
    refused once and skipped to its end, so a scanner that never sends Enter cannot grow the
    buffer. A key pressed more than ``max_gap_s`` (event time) after the previous one starts a
    new code, and what was pending is refused as unfinished: a scanner types a code in one
    burst, so a half code (a scan cut off by an unplug) is never glued to the next one.
    """

    def __init__(self, max_chars: int = MAX_CODE_BYTES, max_gap_s: float = 1.0) -> None:
        if max_chars < 1:
            raise ValueError("max_chars must be at least 1")
        if not 0 < max_gap_s <= 60:
            raise ValueError(f"max_gap_s must be within (0, 60] seconds, not {max_gap_s!r}")
        self.max_chars = max_chars
        self.max_gap_s = max_gap_s
        self.reset()

    @property
    def pending(self) -> int:
        """Characters of a code the scanner has not ended yet."""
        return self._length

    def reset(self) -> None:
        """Forget the code in progress and every key held (the device was lost or re-enabled)."""
        self._chars: list[str] = []
        self._length = 0
        self._spoiled: KeyRejectReason | None = None  # why the code in progress will be refused
        self._last_key = 0.0
        self._shift: set[int] = set()
        self._command: set[int] = set()
        self._caps = False
        self._dropping = False  # after SYN_DROPPED, until the next SYN_REPORT

    def feed(self, events: Iterable[InputEvent]) -> list[KeyedCode]:
        codes: list[KeyedCode] = []
        for event in events:
            if event.type == EV_SYN:
                self._sync(event.code)
            elif event.type == EV_KEY and not self._dropping:
                self._key(event, codes)
            # Other types (EV_MSC scan codes, EV_LED, EV_REP) say nothing about the text.
        return codes

    def _sync(self, code: int) -> None:
        if code == SYN_DROPPED:
            # The kernel's buffer overflowed: keys of this code are missing, and which modifiers
            # are down is unknown. Events up to the next SYN_REPORT are partial: skip them.
            self._spoil(KeyRejectReason.EVENTS_DROPPED)
            self._shift.clear()
            self._command.clear()
            self._dropping = True
        elif code == SYN_REPORT:
            self._dropping = False

    def _key(self, event: InputEvent, codes: list[KeyedCode]) -> None:
        key, value = event.code, event.value
        if value not in (KEY_RELEASED, KEY_PRESSED, KEY_REPEATED):
            self._spoil(KeyRejectReason.BAD_EVENT)
            return
        if key in SHIFT_KEYS or key in COMMAND_KEYS:
            held = self._shift if key in SHIFT_KEYS else self._command
            if value == KEY_RELEASED:
                held.discard(key)
            else:
                held.add(key)
            return
        if value == KEY_RELEASED:
            return
        if value == KEY_REPEATED:
            # A scanner never holds a key for the repeat delay: a stuck key or a lost release.
            self._spoil(KeyRejectReason.HELD_KEY)
            return
        now = event.time
        if (self._length or self._spoiled) and abs(now - self._last_key) > self.max_gap_s:
            self._end(codes, KeyRejectReason.UNFINISHED)
        self._last_key = now
        if key in END_KEYS:
            self._end(codes)
        elif key == KEY_CAPSLOCK:
            self._caps = not self._caps
        elif key == KEY_NUMLOCK:
            pass  # keypad digits are read as digits either way
        elif self._command:
            self._spoil(KeyRejectReason.COMMAND_KEY)
        elif key not in KEYS:
            self._spoil(KeyRejectReason.UNMAPPED_KEY)
        else:
            self._add(KEYS[key], codes)

    def _add(self, pair: tuple[str, str], codes: list[KeyedCode]) -> None:
        plain, shifted = pair
        upper = bool(self._shift)
        if self._caps and plain.isalpha():
            upper = not upper
        if self._length >= self.max_chars:
            if self._spoiled is None:
                codes.append(RejectedKeys(KeyRejectReason.TOO_LONG, self._length + 1))
                self._spoil(KeyRejectReason.TOO_LONG)
            return
        self._length += 1
        if self._spoiled is None:
            self._chars.append(shifted if upper else plain)

    def _spoil(self, reason: KeyRejectReason) -> None:
        if self._spoiled is None:
            self._spoiled = reason
            self._chars.clear()  # never kept: the refusal carries only the reason and length

    def _end(self, codes: list[KeyedCode], unfinished: KeyRejectReason | None = None) -> None:
        spoiled, length, text = self._spoiled, self._length, "".join(self._chars)
        self._chars.clear()
        self._length = 0
        self._spoiled = None
        if spoiled is KeyRejectReason.TOO_LONG:
            return  # refused when it grew past the bound
        if spoiled is not None:
            codes.append(RejectedKeys(spoiled, length))
        elif unfinished is not None:
            if length:
                codes.append(RejectedKeys(unfinished, length))
        elif not text:
            return  # Tab then Enter, or a lone Enter: no code, nothing wrong
        elif not text.strip():
            codes.append(RejectedKeys(KeyRejectReason.BLANK, length))
        else:
            codes.append(CodeLine(text))


class WedgeFramer:
    """Bytes read from the scanner's input device to codes and refusals."""

    def __init__(self, max_chars: int = MAX_CODE_BYTES, max_gap_s: float = 1.0) -> None:
        self.events = InputEventReader()
        self.keys = KeystrokeDecoder(max_chars, max_gap_s)

    @property
    def pending(self) -> int:
        """Bytes of a partial record plus characters of an unfinished code."""
        return self.events.pending + self.keys.pending

    def reset(self) -> None:
        self.events.reset()
        self.keys.reset()

    def feed(self, data: bytes) -> list[KeyedCode]:
        return self.keys.feed(self.events.feed(data))


def keystrokes(
    text: str, *, end: int | None = KEY_ENTER, at: float = 0.0, gap_s: float = 0.002
) -> list[InputEvent]:
    """The events a US-layout wedge scanner sends to type ``text`` then ``end`` (None: no end).

    Each key is press, SYN, release, SYN; Shift is pressed around shifted characters. Raises
    ValueError for a character no US key types.
    """
    events: list[InputEvent] = []
    clock = at

    def tap(code: int, value: int) -> None:
        nonlocal clock
        sec = int(clock)
        usec = round((clock - sec) * 1_000_000)
        events.append(InputEvent(sec, usec, EV_KEY, code, value))
        events.append(InputEvent(sec, usec, EV_SYN, SYN_REPORT, 0))
        clock += gap_s / 2

    for char in text:
        if char not in _KEY_OF:
            raise ValueError(f"no US-layout key types {char!r}")
        code, shifted = _KEY_OF[char]
        if shifted:
            tap(KEY_LEFTSHIFT, KEY_PRESSED)
        tap(code, KEY_PRESSED)
        tap(code, KEY_RELEASED)
        if shifted:
            tap(KEY_LEFTSHIFT, KEY_RELEASED)
    if end is not None:
        tap(end, KEY_PRESSED)
        tap(end, KEY_RELEASED)
    return events
