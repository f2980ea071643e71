"""A TCP proxy on loopback that breaks the kiosk's link to the center on purpose.

`FaultProxy` sits in front of an upstream host:port (the real center) and passes HTTP/1.1
through, one request at a time on each kept-alive connection, so a fault can hit one request
and spare the next. Faults are switched on and off by the test while it runs; each applies
with a probability drawn from a seeded RNG, per request or per connection, optionally only
the next N times. `counts` says what was done, for tests to assert and print.

    with FaultProxy(center.url, seed=4) as proxy:
        client = CenterClient(proxy.url, "kiosk-1", timeout=1)
        proxy.inject("reset", times=1)   # the center answers, the kiosk never hears it
        ...
        proxy.clear()                    # clean pass-through again
"""

from __future__ import annotations

import contextlib
import random
import select
import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal
from urllib.parse import urlsplit

MAX_HEAD = 64 * 1024
CLOSE_TIMEOUT = 5.0


class FaultKind(StrEnum):
    DROP = "drop"  # close without forwarding: the kiosk sees the connection closed, no answer
    DELAY = "delay"  # hold the request (or the answer) for `seconds`, then carry on
    RESET = "reset"  # forward, let the center answer, then RST the kiosk's connection
    TRUNCATE = "truncate"  # forward the answer with half its body, then close
    SERVER_ERROR = "5xx"  # answer `status` without forwarding
    SERVER_ERROR_AFTER_FORWARD = "5xx_after_forward"  # the center answered; the kiosk gets 5xx
    HANG = "hang"  # take the request and never answer (until clear() or close())
    GARBAGE = "garbage"  # answer bytes that are not HTTP, then close


_DEFAULT_STATUS = {FaultKind.SERVER_ERROR: 503, FaultKind.SERVER_ERROR_AFTER_FORWARD: 502}
_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass(eq=False)  # identity: remove() takes out this fault, not an equal one
class Fault:
    """One switched-on fault. `times`: how many more hits before it switches itself off."""

    kind: FaultKind
    probability: float = 1.0
    per: Literal["request", "connection"] = "request"
    seconds: float = 0.0
    on: Literal["request", "answer"] = "request"
    status: int | None = None
    times: int | None = None

    def __post_init__(self) -> None:
        self.kind = FaultKind(self.kind)
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError(f"probability {self.probability} is not within 0..1")
        if self.per not in ("request", "connection"):
            raise ValueError(f"per must be 'request' or 'connection', not {self.per!r}")
        if self.on not in ("request", "answer"):
            raise ValueError(f"on must be 'request' or 'answer', not {self.on!r}")
        if self.seconds < 0 or (self.kind is FaultKind.DELAY and self.seconds == 0):
            raise ValueError("a delay needs seconds > 0")
        if self.status is None:
            self.status = _DEFAULT_STATUS.get(self.kind)
        elif self.kind not in _DEFAULT_STATUS or not 500 <= self.status <= 599:
            raise ValueError(f"status {self.status} does not fit a {self.kind} fault")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1")


@dataclass(frozen=True)
class Passage:
    """One request that came through: what it was and which fault, if any, it met."""

    method: str
    path: str
    fault: FaultKind | None


class FaultProxy:
    """HTTP/1.1-aware TCP proxy on 127.0.0.1 (a free port) in front of `upstream`
    ("http://host:port" or "host:port"). Use as a context manager; `url` is where to point
    the client."""

    def __init__(self, upstream: str, *, seed: int = 0, host: str = "127.0.0.1") -> None:
        parts = urlsplit(upstream if "//" in upstream else f"//{upstream}")
        if parts.hostname is None or parts.port is None:
            raise ValueError(f"upstream {upstream!r} needs a host and a port")
        self.upstream = (parts.hostname, parts.port)
        self.host = host
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._counts: Counter[str] = Counter()
        self._history: list[Passage] = []
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._release = threading.Event()  # set by clear(): hung connections let go
        self._listener: socket.socket | None = None
        self._reopen: threading.Timer | None = None
        self.port = 0
        self._listen()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- what the test switches ---------------------------------------------------------

    def inject(
        self,
        kind: FaultKind | str,
        *,
        probability: float = 1.0,
        per: Literal["request", "connection"] = "request",
        seconds: float = 0.0,
        on: Literal["request", "answer"] = "request",
        status: int | None = None,
        times: int | None = None,
    ) -> Fault:
        """Switch a fault on (alongside any others; the first one drawn wins)."""
        fault = Fault(FaultKind(kind), probability, per, seconds, on, status, times)
        with self._lock:
            self._faults.append(fault)
        return fault

    def remove(self, fault: Fault) -> None:
        with self._lock:
            if fault in self._faults:
                self._faults.remove(fault)

    def refuse(self, seconds: float | None = None) -> None:
        """Stop listening and close every open connection: new connections are refused.
        Listening starts again after `seconds`, or on `listen()` / `clear()`."""
        with self._lock:
            listener, self._listener = self._listener, None
            self._cancel_reopen()
            self._counts["refuse"] += 1
            open_sockets = list(self._sockets)
        if listener is not None:
            _shut(listener)
        for sock in open_sockets:
            _shut(sock)
        if seconds is not None:
            timer = threading.Timer(seconds, self.listen)
            timer.daemon = True
            with self._lock:
                self._reopen = timer
            timer.start()

    def listen(self) -> None:
        """Accept connections again after `refuse()` (same port)."""
        with self._lock:
            self._cancel_reopen()
            if self._listener is not None or self._stopping.is_set():
                return
        self._listen()

    def clear(self) -> None:
        """Back to a clean pass-through: no faults, listening, hung connections released.
        Counters and history are kept."""
        with self._lock:
            self._faults.clear()
            release, self._release = self._release, threading.Event()
        release.set()
        self.listen()

    @property
    def counts(self) -> dict[str, int]:
        """A snapshot: "connections", "requests", "forwarded" (reached the upstream),
        "passed" (answered untouched), "refuse", and one key per FaultKind value that hit."""
        with self._lock:
            return dict(self._counts)

    @property
    def history(self) -> list[Passage]:
        with self._lock:
            return list(self._history)

    def close(self) -> None:
        self._stopping.set()
        self._release.set()
        with self._lock:
            self._cancel_reopen()
            listener, self._listener = self._listener, None
            open_sockets = list(self._sockets)
            threads = list(self._threads)
        if listener is not None:
            _shut(listener)
        for sock in open_sockets:
            _shut(sock)
        for thread in threads:
            thread.join(timeout=CLOSE_TIMEOUT)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"FaultProxy({self.url} -> {self.upstream[0]}:{self.upstream[1]}, {self.counts})"

    # -- the moving parts ---------------------------------------------------------------

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        with self._lock:
            self._listener = listener
        self._start(self._accept, listener, name=f"fault-proxy:{self.port}")

    def _cancel_reopen(self) -> None:
        if self._reopen is not None:
            self._reopen.cancel()
            self._reopen = None

    def _start(self, target: Callable[..., None], *args: object, name: str) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # refuse() or close() shut the listener
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._counts["connections"] += 1
                self._sockets.add(client)
            self._start(self._serve, client, name=f"fault-proxy:{self.port}:conn")

    def _draw(self, per: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.per != per:
                    continue
                if fault.probability < 1.0 and self._rng.random() >= fault.probability:
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                return fault
            return None

    def _count(self, key: str) -> None:
        with self._lock:
            self._counts[str(key)] += 1  # plain strings: counts print and compare as "drop"

    def _serve(self, client: socket.socket) -> None:
        link = _Link(self, client)
        try:
            standing = self._draw("connection")
            if standing is not None and standing.kind in (FaultKind.DROP, FaultKind.HANG):
                # Nothing is read: the kiosk is cut off (or left waiting) as it connects.
                self._count(standing.kind)
                if standing.kind is FaultKind.HANG:
                    self._wait_for_release()
                return
            while not self._stopping.is_set():
                request = link.kiosk.read_message(is_answer=False)
                if request is None:
                    return
                fault = standing or self._draw("request")
                with self._lock:
                    self._counts["requests"] += 1
                    self._history.append(
                        Passage(request.method, request.path, fault.kind if fault else None)
                    )
                if not link.handle(request, fault):
                    return
        except (OSError, _Broken):
            return  # either end went away: the kiosk sees whatever the socket says
        finally:
            link.close()

    def _wait_for_release(self) -> None:
        self._release.wait()  # close() sets the current one, clear() the one it replaces

    def _hold(self, seconds: float) -> None:
        self._stopping.wait(seconds)
        if self._stopping.is_set():
            raise _Broken("proxy closing")


class _Broken(Exception):
    """A peer broke HTTP framing or went away mid-message."""


@dataclass
class _Message:
    head: bytes
    body: bytes
    start: str  # request line or status line
    headers: dict[str, str]

    @property
    def method(self) -> str:
        return self.start.split(" ", 1)[0]

    @property
    def path(self) -> str:
        parts = self.start.split(" ")
        return parts[1] if len(parts) > 1 else ""

    @property
    def status(self) -> int:
        parts = self.start.split(" ")
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0

    @property
    def closes(self) -> bool:
        return "close" in self.headers.get("connection", "").lower()


class _Reader:
    """Reads HTTP/1.1 messages (head, then a Content-Length, chunked or until-close body)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def _fill(self) -> bool:
        data = self.sock.recv(65536)
        self.buffer += data
        return bool(data)

    def _take(self, size: int) -> bytes:
        while len(self.buffer) < size:
            if not self._fill():
                raise _Broken("closed mid-message")
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def _line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            if len(self.buffer) > MAX_HEAD or not self._fill():
                raise _Broken("no line end")
        end = self.buffer.index(b"\r\n") + 2
        return self._take(end)

    def read_message(self, *, is_answer: bool, method: str = "GET") -> _Message | None:
        """The next message, or None if the peer closed cleanly before sending one."""
        while b"\r\n\r\n" not in self.buffer:
            if len(self.buffer) > MAX_HEAD:
                raise _Broken("head too long")
            if not self._fill():
                if self.buffer:
                    raise _Broken("closed mid-head")
                return None
        head = self._take(self.buffer.index(b"\r\n\r\n") + 4)
        lines = head.decode("latin-1").split("\r\n")
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                name = name.strip().lower()
                headers[name] = f"{headers[name]}, {value.strip()}" if name in headers else value
        message = _Message(head, b"", lines[0], {k: v.strip() for k, v in headers.items()})
        message.body = self._body(message, is_answer=is_answer, method=method)
        return message

    def _body(self, message: _Message, *, is_answer: bool, method: str) -> bytes:
        if is_answer and (
            method == "HEAD" or 100 <= message.status < 200 or message.status in (204, 304)
        ):
            return b""
        if "chunked" in message.headers.get("transfer-encoding", "").lower():
            return self._chunked()
        length = message.headers.get("content-length")
        if length is not None:
            return self._take(int(length))
        if not is_answer:
            return b""
        while self._fill():  # an answer without framing ends when the server closes
            pass
        message.headers["connection"] = "close"
        data, self.buffer = self.buffer, b""
        return data

    def _chunked(self) -> bytes:
        raw = b""
        while True:
            size_line = self._line()
            raw += size_line
            size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                break
            raw += self._take(size + 2)
        while True:  # trailers, up to the empty line
            line = self._line()
            raw += line
            if line == b"\r\n":
                return raw


class _Link:
    """One kiosk connection and the upstream connection opened for it."""

    def __init__(self, proxy: FaultProxy, client: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.kiosk = _Reader(client)
        self.upstream: socket.socket | None = None
        self.center: _Reader | None = None

    def handle(self, request: _Message, fault: Fault | None) -> bool:
        """Do the fault (or pass through); False when the kiosk's connection must end."""
        proxy = self.proxy
        kind = fault.kind if fault else None
        if fault is not None:
            proxy._count(fault.kind)
        if kind is FaultKind.DROP:
            return False
        if kind is FaultKind.HANG:
            proxy._wait_for_release()
            return False
        if kind is FaultKind.GARBAGE:
            self.client.sendall(self._garbage())
            return False
        if kind is FaultKind.SERVER_ERROR:
            self.client.sendall(_error_answer(fault.status or 503))
            return True
        if fault is not None and kind is FaultKind.DELAY and fault.on == "request":
            proxy._hold(fault.seconds)
        answer = self._forward(request)
        if answer is None:
            return False  # the upstream is gone: so is this connection, as with a real hop
        if kind is FaultKind.RESET:
            # SO_LINGER 0: close() sends RST, so the kiosk gets ECONNRESET, not a clean EOF.
            self.client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return False
        if kind is FaultKind.TRUNCATE:
            self.client.sendall(answer.head + answer.body[: len(answer.body) // 2])
            return False
        if kind is FaultKind.SERVER_ERROR_AFTER_FORWARD:
            self.client.sendall(_error_answer(fault.status or 502))
            return True
        if fault is not None and kind is FaultKind.DELAY and fault.on == "answer":
            proxy._hold(fault.seconds)
        if fault is None:
            proxy._count("passed")
        self.client.sendall(answer.head + answer.body)
        return not (answer.closes or request.closes)

    def _forward(self, request: _Message) -> _Message | None:
        # Never re-sent: a retried POST could be processed twice and hide the very bug a
        # payment test looks for. An idle upstream the center closed is replaced before use.
        try:
            if self.upstream is not None and _closed_while_idle(self.upstream):
                self._drop_upstream()
            if self.upstream is None:
                self._connect()
            assert self.upstream is not None and self.center is not None
            self.upstream.sendall(request.head + request.body)
            self.proxy._count("forwarded")
            answer = self.center.read_message(is_answer=True, method=request.method)
        except (OSError, _Broken):
            answer = None
        if answer is None or answer.closes:
            self._drop_upstream()
        return answer

    def _connect(self) -> None:
        upstream = socket.create_connection(self.proxy.upstream, timeout=CLOSE_TIMEOUT)
        upstream.settimeout(None)
        upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.proxy._lock:
            self.proxy._sockets.add(upstream)
        self.upstream, self.center = upstream, _Reader(upstream)

    def _drop_upstream(self) -> None:
        if self.upstream is not None:
            with self.proxy._lock:
                self.proxy._sockets.discard(self.upstream)
            self.upstream.close()
        self.upstream = self.center = None

    def _garbage(self) -> bytes:
        with self.proxy._lock:
            noise = bytes(self.proxy._rng.randrange(256) for _ in range(64))
        return b"\x15\x03\x01" + noise  # starts like a TLS alert: never "HTTP/"

    def close(self) -> None:
        self._drop_upstream()
        with self.proxy._lock:
            self.proxy._sockets.discard(self.client)
        with contextlib.suppress(OSError):
            self.client.close()


def _error_answer(status: int) -> bytes:
    body = f"fault proxy: {status}\n".encode()
    head = (
        f"HTTP/1.1 {status} {_REASONS.get(status, 'Server Error')}\r\n"
        "Content-Type: text/plain\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


def _closed_while_idle(sock: socket.socket) -> bool:
    """An idle kept-alive connection that is readable has been closed (or is talking out of
    turn): either way it cannot carry the next request."""
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


def _shut(sock: socket.socket) -> None:
    """Wake whatever thread is blocked on `sock` (close alone does not), then close it."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
