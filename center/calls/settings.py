"""How the center runs video-help calls: service hours, how long a call may wait, and the
STUN/TURN servers both ends are given (configuration, read once at start).

TURN credentials follow coturn's REST scheme (`use-auth-secret` / `static-auth-secret`): the
username is "<expiry, unix seconds>:<who>" and the credential base64(HMAC-SHA1(secret,
username)), so the TURN server checks them with the shared secret alone and they expire by
themselves.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from sync.protocol.calls import RESUME_WITHIN_S, IceServer

HOURS_ENV = "KIOSK_CENTER_CALL_HOURS"  # "08:00-20:00", local time of the center; unset: always
NO_ANSWER_ENV = "KIOSK_CENTER_CALL_NO_ANSWER_MINUTES"  # default 10
STUN_ENV = "KIOSK_CENTER_STUN_URLS"  # comma-separated stun: URLs; unset: none
TURN_ENV = "KIOSK_CENTER_TURN_URLS"  # comma-separated turn:/turns: URLs; unset: none
TURN_SECRET_ENV = "KIOSK_CENTER_TURN_SECRET"  # coturn's static-auth-secret
TURN_LIFETIME_ENV = "KIOSK_CENTER_TURN_LIFETIME_S"  # default 3600

DEFAULT_NO_ANSWER = dt.timedelta(minutes=10)
DEFAULT_TURN_LIFETIME_S = 3600
_HOURS = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-4]):([0-5][0-9])$")


class SettingsError(ValueError):
    """A call setting that cannot be used (the message names it)."""


@dataclass(frozen=True)
class ServiceHours:
    """When calls are answered, each day, in the center's local time. An end before the start
    spans midnight ("20:00-08:00")."""

    start: dt.time
    end: dt.time

    @classmethod
    def parse(cls, text: str) -> ServiceHours:
        found = _HOURS.match(text.strip())
        if not found:
            raise SettingsError(f"service hours {text!r}: write them HH:MM-HH:MM, e.g. 08:00-20:00")
        start_h, start_m, end_h, end_m = (int(part) for part in found.groups())
        end = dt.time.max if (end_h, end_m) == (24, 0) else dt.time(end_h, end_m)
        return cls(dt.time(start_h, start_m), end)

    def is_open(self, moment: dt.datetime) -> bool:
        local = moment.astimezone().time() if moment.tzinfo else moment.time()
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    @property
    def text(self) -> str:
        end = "24:00" if self.end == dt.time.max else self.end.strftime("%H:%M")
        return f"{self.start.strftime('%H:%M')}-{end}"


@dataclass(frozen=True)
class IceSettings:
    stun_urls: tuple[str, ...] = ()
    turn_urls: tuple[str, ...] = ()
    turn_secret: str | None = field(default=None, repr=False)
    turn_lifetime_s: int = DEFAULT_TURN_LIFETIME_S

    def servers_for(self, who: str, now: dt.datetime) -> list[IceServer]:
        """The servers one side of a call is given; `who` (a kiosk id or a staff login) is in
        the TURN username, so the TURN server's log says whose relay it was."""
        servers = [IceServer(urls=list(self.stun_urls))] if self.stun_urls else []
        if self.turn_urls and self.turn_secret:
            expiry = int(now.timestamp()) + self.turn_lifetime_s
            username = f"{expiry}:{who}"
            servers.append(
                IceServer(
                    urls=list(self.turn_urls),
                    username=username,
                    credential=turn_credential(self.turn_secret, username),
                )
            )
        return servers


def turn_credential(secret: str, username: str) -> str:
    """coturn's REST credential: base64(HMAC-SHA1(shared secret, username))."""
    digest = hmac.new(secret.encode("utf-8"), username.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


@dataclass(frozen=True)
class CallSettings:
    """`hours`: None answers calls at any time (demo, tests). `no_answer_after`: a waiting call
    nobody takes ends `no_answer`. `resume_within_s`: how long a call outlives a socket that
    closed without hanging up (the contract's RESUME_WITHIN_S; shorter only in tests)."""

    hours: ServiceHours | None = None
    no_answer_after: dt.timedelta = DEFAULT_NO_ANSWER
    resume_within_s: float = RESUME_WITHIN_S
    ice: IceSettings = IceSettings()


def _urls(text: str | None) -> tuple[str, ...]:
    return tuple(url.strip() for url in (text or "").split(",") if url.strip())


def call_settings_from_env(environ: Mapping[str, str] | None = None) -> CallSettings:
    """The call settings from KIOSK_CENTER_* variables (see the names above)."""
    env = os.environ if environ is None else environ
    hours = env.get(HOURS_ENV, "").strip()
    try:
        no_answer = float(env.get(NO_ANSWER_ENV) or DEFAULT_NO_ANSWER.total_seconds() / 60)
        lifetime = int(env.get(TURN_LIFETIME_ENV) or DEFAULT_TURN_LIFETIME_S)
    except ValueError as wrong:
        raise SettingsError(f"{NO_ANSWER_ENV} / {TURN_LIFETIME_ENV}: {wrong}") from None
    turn_urls = _urls(env.get(TURN_ENV))
    secret = env.get(TURN_SECRET_ENV) or None
    if turn_urls and not secret:
        raise SettingsError(f"{TURN_ENV} is set without {TURN_SECRET_ENV}")
    return CallSettings(
        hours=ServiceHours.parse(hours) if hours else None,
        no_answer_after=dt.timedelta(minutes=no_answer),
        ice=IceSettings(_urls(env.get(STUN_ENV)), turn_urls, secret, lifetime),
    )
