"""The staff console's call page over HTTP, without a browser: who may open it, what it carries
for its script (the socket's path, the session's CSRF token, the words), and the script itself.
The page in a browser: tests/e2e/test_staff_call_page_browser.py."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import requests

from center.staff.accounts import Role
from sync.protocol.calls import PUSHABLE_SCREENS, STAFF_SOCKET_PATH
from tests.integration.test_staff_console import csrf_of, sign_in, staff


@pytest.fixture
def center(start_center: Any) -> Any:
    return start_center(demo_data=False)


def test_agents_and_admins_open_the_call_page_and_others_are_refused(center: Any) -> None:
    for login, role in (
        ("agent1", Role.AGENT),
        ("root", Role.ADMIN),
        ("rev1", Role.REVIEWER),
        ("op1", Role.OPERATOR),
    ):
        staff(center, login, role)
    agent = sign_in(center, "agent1")
    page = agent.get(f"{center.url}/staff/calls", timeout=10)
    assert page.status_code == 200 and "等待接听" in page.text and "挂断" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert '<script src="/staff/static/calls.js" defer></script>' in page.text
    assert f'data-socket="{STAFF_SOCKET_PATH}"' in page.text
    assert f'data-csrf="{csrf_of(page)}"' in page.text  # the session's token, as its forms carry
    for screen in PUSHABLE_SCREENS:
        assert f'<option value="{screen}">' in page.text
    words = re.search(r'<script type="application/json" id="call-words">(.*?)</script>', page.text)
    assert words and json.loads(words.group(1))["take"] == "接听"
    assert 'href="/staff/calls"' in agent.get(f"{center.url}/staff/", timeout=10).text
    english = agent.get(f"{center.url}/staff/calls", params={"lang": "en"}, timeout=10)
    assert "Waiting calls" in english.text and "等待接听" not in english.text
    admin = sign_in(center, "root")
    assert admin.get(f"{center.url}/staff/calls", timeout=10).status_code == 200
    for login in ("rev1", "op1"):
        other = sign_in(center, login)
        refused = other.get(f"{center.url}/staff/calls", timeout=10)
        assert refused.status_code == 403 and "无权" in refused.text
        assert "calls.js" not in refused.text
        assert 'href="/staff/calls"' not in other.get(f"{center.url}/staff/", timeout=10).text
    nobody = requests.get(f"{center.url}/staff/calls", timeout=10, allow_redirects=False)
    assert nobody.status_code == 303 and nobody.headers["location"] == "/staff/login"


def test_the_call_script_is_served_as_javascript_and_revalidated(center: Any) -> None:
    script = requests.get(f"{center.url}/staff/static/calls.js", timeout=10)
    assert script.status_code == 200
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert script.headers["x-content-type-options"] == "nosniff"
    assert script.headers["cache-control"] == "no-cache"
    assert "window.callStats" in script.text and "http" not in script.text.replace("https:", "")
    again = requests.get(
        f"{center.url}/staff/static/calls.js",
        headers={"If-None-Match": script.headers["etag"]},
        timeout=10,
    )
    assert again.status_code == 304 and again.content == b""
