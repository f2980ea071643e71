"""The kiosk's one outgoing WebSocket to the center for a call's signalling.

Opened by the kiosk (it has no inbound port), signed like every other request: the handshake is
a GET with an empty body whose headers are those of sync.protocol.signing. What travels on it is
sync.protocol.calls. Runs on the video link's asyncio loop.
"""

from __future__ import annotations

import secrets
import ssl
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from sync.client import check_center_url
from sync.credentials import Credentials
from sync.protocol.calls import KIOSK_SOCKET_PATH, TO_KIOSK, FromKiosk, ToKiosk
from sync.protocol.signing import KIOSK_ID_HEADER, SignedRequest, signature_headers

# A frame from the center larger than this is refused (an SDP answer is a few kB).
MAX_FRAME = 128 * 1024


class CallSocketClosed(ConnectionError):
    """The socket could not be opened, or closed: the center is unreachable or refused us."""


def socket_url(base_url: str, path: str = KIOSK_SOCKET_PATH) -> str:
    check_center_url(base_url)
    base = base_url.rstrip("/")
    scheme, rest = base.split("://", 1)
    return f"{'wss' if scheme == 'https' else 'ws'}://{rest}{path}"


def handshake_headers(
    kiosk_id: str,
    credentials: Credentials | None,
    path: str = KIOSK_SOCKET_PATH,
    clock: Callable[[], float] = time.time,
) -> dict[str, str]:
    """Who opens the socket and, once enrolled, the signature that proves it: the handshake is
    signed as a GET of `path` with an empty body, as sync/client.py signs every request."""
    headers = {KIOSK_ID_HEADER: kiosk_id}
    if credentials is not None:
        signed = SignedRequest(
            "GET",
            path,
            int(clock()),
            secrets.token_hex(16),
            b"",
            kiosk_id=credentials.kiosk_id,
            key_id=credentials.key_id,
        )
        headers.update(signature_headers(credentials.secret, signed))
    return headers


class CallSocket:
    """One signed socket; `open()` then `send()` / `receive()`; `close()` when done."""

    def __init__(
        self,
        base_url: str,
        kiosk_id: str,
        credentials: Credentials | None,
        *,
        ca_bundle: Path | str | None = None,
        open_timeout_s: float = 5.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url = socket_url(base_url)
        self.kiosk_id = kiosk_id
        self._credentials = credentials
        self._ca_bundle = ca_bundle
        self._open_timeout_s = open_timeout_s
        self._clock = clock
        self._connection: ClientConnection | None = None

    async def open(self) -> None:
        headers = handshake_headers(self.kiosk_id, self._credentials, clock=self._clock)
        context: ssl.SSLContext | None = None
        if self.url.startswith("wss://"):
            context = ssl.create_default_context(
                cafile=str(self._ca_bundle) if self._ca_bundle else None
            )
        try:
            self._connection = await connect(
                self.url,
                additional_headers=headers,
                open_timeout=self._open_timeout_s,
                max_size=MAX_FRAME,
                ssl=context,
                # The center answers pings; a link that stops answering is noticed in seconds.
                ping_interval=5,
                ping_timeout=5,
                proxy=None,
            )
        except InvalidStatus as error:
            raise CallSocketClosed(
                f"the center refused the call socket ({error.response.status_code})"
            ) from error
        except (OSError, TimeoutError, InvalidHandshake) as error:
            raise CallSocketClosed(f"the center is unreachable ({type(error).__name__})") from error

    async def send(self, message: FromKiosk) -> None:
        connection = self._require()
        try:
            await connection.send(message.model_dump_json())
        except ConnectionClosed as error:
            raise CallSocketClosed("the call socket closed") from error

    async def receive(self) -> ToKiosk | None:
        """The center's next message; None for a frame that is not one (told, then skipped by
        the caller); CallSocketClosed once the socket is gone."""
        connection = self._require()
        try:
            raw = await connection.recv()
        except ConnectionClosed as error:
            raise CallSocketClosed("the call socket closed") from error
        try:
            return TO_KIOSK.validate_json(raw)
        except ValidationError:
            return None

    async def close(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            await connection.close()

    def _require(self) -> ClientConnection:
        if self._connection is None:
            raise CallSocketClosed("the call socket is not open")
        return self._connection
