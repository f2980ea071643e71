"""docs/protocol.md's route table is the center's: every route is in it, behind the guard it
names, and no route reads who is asking from the headers itself. A WebSocket is a `WS` row."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette.routing import BaseRoute, Route

from center.app import create_app
from center.calls.sockets import staff_socket_member
from center.kiosk_auth import is_public, signed_kiosk, signed_kiosk_socket
from center.operators import operator_only
from center.staff.web import staff_session
from sync.protocol.signing import SINGLE_HEADERS

DOC = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"
ROW = re.compile(r"^\| `(GET|POST|PUT|DELETE|PATCH|WS) (/\S*)` \| ([a-z ]+) \| .+ \|$")
GUARDS = {"signed kiosk", "operator", "public", "demo only", "staff"}


def documented() -> dict[tuple[str, str], str]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Routes, and who may call them", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        if match := ROW.match(line):
            method, path, guard = match.groups()
            assert guard in GUARDS, line
            assert (method, path) not in rows, f"{method} {path} is in the table twice"
            rows[(method, path)] = guard
    assert len(rows) > 15
    return rows


def routes(items: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    """Every route, those of included routers too (included without a prefix of their own)."""
    for route in items:
        included = getattr(route, "original_router", None)
        if included is not None:
            assert route.include_context.prefix == ""  # type: ignore[attr-defined]
            yield from routes(included.routes)
        else:
            yield route


def calls(dependant: Dependant) -> Iterator[object]:
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from calls(dependency)


def guard_of(route: BaseRoute) -> str:
    path = route.path  # type: ignore[attr-defined]
    if not isinstance(route, APIRoute | APIWebSocketRoute):
        return "public"  # the OpenAPI document and its pages
    found = set(calls(route.dependant))
    if signed_kiosk in found or signed_kiosk_socket in found:
        assert not is_public(path), f"{path} needs a kiosk but the middleware does not sign it"
        return "signed kiosk"
    if operator_only in found:
        return "operator"
    if staff_session in found or staff_socket_member in found:
        return "staff"
    if path.startswith("/sim/"):
        return "demo only"
    return "public"


def served(app: FastAPI) -> dict[tuple[str, str], str]:
    table = {}
    for route in routes(app.routes):
        if isinstance(route, APIWebSocketRoute):
            table[("WS", route.path)] = guard_of(route)
            continue
        assert isinstance(route, Route | APIRoute), route
        for method in sorted((route.methods or set()) - {"HEAD"}):
            table[(method, route.path)] = guard_of(route)
    return table


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app("sqlite://", simulate_wallets=True, require_signatures=True)


def test_every_route_is_in_the_table_behind_its_guard(app: FastAPI) -> None:
    assert served(app) == documented()


def test_the_walk_finds_every_route_of_the_openapi_document(app: FastAPI) -> None:
    walked = {
        (method, path)
        for method, path in served(app)
        if path.startswith(("/v1", "/sim")) and method != "WS"  # OpenAPI has no WebSockets
    }
    described = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    assert walked == described


def test_signed_kiosk_routes_are_exactly_the_signed_paths(app: FastAPI) -> None:
    """The middleware verifies by path and the routes guard by dependency: they must agree,
    or a kiosk route would be reached unsigned (it is refused then, but say so here)."""
    for (method, path), guard in served(app).items():
        if path.startswith("/v1/"):
            assert (guard == "signed kiosk") == (not is_public(path)), f"{method} {path}"


def test_no_route_reads_an_identity_or_signing_header(app: FastAPI) -> None:
    """Who is asking comes from the verifier only (center/kiosk_auth.py); a route taking
    X-Kiosk-Id itself could be told one kiosk while the signature was checked for another."""
    forbidden = {name.lower() for name in SINGLE_HEADERS} - {"idempotency-key", "authorization"}

    def headers(dependant: Dependant) -> Iterator[str]:
        for param in dependant.header_params:
            yield (param.alias or param.name).lower().replace("_", "-")
        for dependency in dependant.dependencies:
            yield from headers(dependency)

    for route in routes(app.routes):
        if isinstance(route, APIRoute | APIWebSocketRoute):
            assert forbidden.isdisjoint(headers(route.dependant)), route.path


def test_a_center_without_simulated_wallets_has_no_demo_routes() -> None:
    plain = create_app("sqlite://")
    guards = served(plain)
    assert "demo only" not in guards.values()
    assert not any(path.startswith("/sim") for _method, path in guards)
    wanted = {key: guard for key, guard in documented().items() if guard != "demo only"}
    assert guards == wanted
