"""The staff console from outside, over HTTP on loopback, as a browser and as an attacker would
use it: the first admin added on the command line, sign-in, lockout, CSRF, roles, sign-out
everywhere, and the audit trail of it all."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import uuid
from typing import Any

import pytest
import requests
from sqlalchemy import select

from center.database import StaffAuditRow, StaffRow, open_database
from center.staff.accounts import MAX_FAILED_LOGINS, Role, add_staff
from tests.support.center import TEST_KIOSK, kiosk_http

PASSWORD = "correct horse battery"
NOW = dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def center(start_center: Any) -> Any:
    return start_center(demo_data=False)


def staff(center: Any, login: str, role: Role, password: str = PASSWORD) -> None:
    database = open_database(center.db_url)
    try:
        add_staff(database.sessions, login, login.title(), role, password, NOW)
    finally:
        database.close()


def audit_actions(center: Any, login: str) -> list[str]:
    database = open_database(center.db_url)
    try:
        with database.sessions() as session:
            rows = session.scalars(
                select(StaffAuditRow).where(StaffAuditRow.login == login).order_by(StaffAuditRow.id)
            )
            return [row.action for row in rows]
    finally:
        database.close()


def csrf_of(page: requests.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def try_sign_in(
    center: Any, login: str, password: str = PASSWORD
) -> tuple[requests.Session, requests.Response]:
    """(the browser, the answer to its sign-in form)."""
    browser = requests.Session()
    form = browser.get(f"{center.url}/staff/login", timeout=10)
    answer = browser.post(
        f"{center.url}/staff/login",
        data={"login": login, "password": password, "csrf": csrf_of(form)},
        timeout=30,
        allow_redirects=False,
    )
    return browser, answer


def sign_in(center: Any, login: str) -> requests.Session:
    browser, answer = try_sign_in(center, login)
    assert answer.status_code == 303, answer.text[:300]
    return browser


def test_the_first_admin_comes_from_the_command_line_and_signs_in(center: Any) -> None:
    added = subprocess.run(
        [
            *(sys.executable, "-m", "center.cli", "--db", center.db_url, "staff", "add"),
            *("--login", "chief", "--name", "王主任", "--role", "admin", "--password-stdin"),
        ],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    database = open_database(center.db_url)
    with database.sessions() as session:
        stored = session.scalar(select(StaffRow.password_hash).where(StaffRow.login == "chief"))
    database.close()
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored
    browser, answer = try_sign_in(center, "chief")
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    home = browser.get(f"{center.url}/staff/", timeout=10)
    assert home.status_code == 200 and "当前登录：王主任（管理员）" in home.text
    trail = browser.get(f"{center.url}/staff/audit", timeout=10)
    assert trail.status_code == 200
    assert "新增人员账号" in trail.text and "chief (admin)" in trail.text
    assert audit_actions(center, "chief") == ["login"]


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(center: Any) -> None:
    staff(center, "agent1", Role.AGENT)
    for _ in range(MAX_FAILED_LOGINS - 1):
        _, wrong = try_sign_in(center, "agent1", "not the password")
        assert wrong.status_code == 401 and "账号或密码不正确" in wrong.text
    _, locked = try_sign_in(center, "agent1", "still not it")
    assert locked.status_code == 429 and "已锁定" in locked.text
    _, right = try_sign_in(center, "agent1")
    assert right.status_code == 429 and "staff_session" not in right.headers.get("set-cookie", "")
    actions = audit_actions(center, "agent1")
    assert actions.count("login_failed") == MAX_FAILED_LOGINS - 1
    assert "locked" in actions and actions[-1] == "login_while_locked"
    # An unknown login is told exactly what a wrong password is told.
    _, unknown = try_sign_in(center, "nobody")
    assert unknown.status_code == 401 and "账号或密码不正确" in unknown.text


def test_a_form_without_its_csrf_token_is_refused(center: Any) -> None:
    staff(center, "op1", Role.OPERATOR)
    forged = requests.post(
        f"{center.url}/staff/login",
        data={"login": "op1", "password": PASSWORD, "csrf": "made-up"},
        timeout=30,
        allow_redirects=False,
    )
    assert forged.status_code == 403 and "staff_session" not in forged.headers.get("set-cookie", "")
    browser = sign_in(center, "op1")
    out = browser.post(
        f"{center.url}/staff/logout", data={"csrf": "made-up"}, timeout=10, allow_redirects=False
    )
    assert out.status_code == 403
    still = browser.get(f"{center.url}/staff/", timeout=10, allow_redirects=False)
    assert still.status_code == 200  # a forged sign-out did nothing


def test_each_role_reaches_only_its_pages(center: Any) -> None:
    for login, role in (("rev1", Role.REVIEWER), ("op1", Role.OPERATOR), ("root", Role.ADMIN)):
        staff(center, login, role)
    reviewer = sign_in(center, "rev1")
    for path in ("/staff/kiosks", "/staff/audit"):
        refused = reviewer.get(center.url + path, timeout=10)
        assert refused.status_code == 403 and "无权" in refused.text
    assert 'href="/staff/kiosks"' not in reviewer.get(f"{center.url}/staff/", timeout=10).text
    operator = sign_in(center, "op1")
    kiosks = operator.get(f"{center.url}/staff/kiosks", timeout=10)
    assert kiosks.status_code == 200 and "自助终端" in kiosks.text
    assert operator.get(f"{center.url}/staff/audit", timeout=10).status_code == 403
    admin = sign_in(center, "root")
    for path in ("/staff/kiosks", "/staff/audit"):
        assert admin.get(center.url + path, timeout=10).status_code == 200


def test_signing_out_everywhere_ends_every_session(center: Any) -> None:
    staff(center, "agent2", Role.AGENT)
    desk, laptop = sign_in(center, "agent2"), sign_in(center, "agent2")
    home = laptop.get(f"{center.url}/staff/", timeout=10)
    out = laptop.post(
        f"{center.url}/staff/logout-everywhere",
        data={"csrf": csrf_of(home)},
        timeout=10,
        allow_redirects=False,
    )
    assert out.status_code == 303 and out.headers["location"] == "/staff/login"
    for browser in (desk, laptop):
        gone = browser.get(f"{center.url}/staff/", timeout=10, allow_redirects=False)
        assert gone.status_code == 303 and gone.headers["location"] == "/staff/login"
    assert audit_actions(center, "agent2")[-1] == "logout_everywhere"


def test_no_session_leads_to_sign_in_and_no_page_is_cached_or_framed(center: Any) -> None:
    bare = requests.get(f"{center.url}/staff/", timeout=10, allow_redirects=False)
    assert bare.status_code == 303 and bare.headers["location"] == "/staff/login"
    form = requests.get(f"{center.url}/staff/login", params={"lang": "en"}, timeout=10)
    assert form.status_code == 200 and "Sign in" in form.text and "登录" not in form.text
    assert form.headers["cache-control"] == "no-store"
    assert form.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in form.headers["content-security-policy"]
    assert "http" not in re.sub(r'href="/[^"]*"|action="/[^"]*"', "", form.text).replace(
        "http-equiv", ""
    )  # nothing fetched from outside


def ask_for_a_call_back(center: Any, phone: str) -> str:
    """A kiosk delivers a resident's call-back request, as its relay does; the event's id."""
    event_id = str(uuid.uuid4())
    event = {
        "id": event_id,
        "type": "help.call_back_requested",
        "aggregate_type": "kiosk",
        "aggregate_id": TEST_KIOSK,
        "sequence": 0,
        "occurred_at": NOW.isoformat(),
        "payload": {"phone": phone, "language": "zh_CN"},
    }
    answer = kiosk_http().post(
        f"{center.url}/v1/events", json={"kiosk_id": TEST_KIOSK, "events": [event]}, timeout=10
    )
    assert answer.status_code == 200 and answer.json()["results"][0]["status"] == "accepted"
    return event_id


def test_an_agent_reads_a_call_back_request_and_marks_it_called_once(center: Any) -> None:
    staff(center, "agent3", Role.AGENT)
    staff(center, "agent4", Role.AGENT)
    staff(center, "rev2", Role.REVIEWER)
    event_id = ask_for_a_call_back(center, "13800138000")
    reviewer = sign_in(center, "rev2")
    assert reviewer.get(f"{center.url}/staff/callbacks", timeout=10).status_code == 403
    agent = sign_in(center, "agent3")
    listed = agent.get(f"{center.url}/staff/callbacks", timeout=10)
    assert listed.status_code == 200 and "13800138000" in listed.text and TEST_KIOSK in listed.text
    forged = agent.post(
        f"{center.url}/staff/callbacks/{event_id}/done", data={"csrf": "x"}, timeout=10
    )
    assert forged.status_code == 403
    done = agent.post(
        f"{center.url}/staff/callbacks/{event_id}/done",
        data={"csrf": csrf_of(listed)},
        timeout=10,
        allow_redirects=False,
    )
    assert done.status_code == 303
    after = agent.get(f"{center.url}/staff/callbacks", timeout=10)
    assert "agent3, " in after.text and "标记为已回电" not in after.text
    other = sign_in(center, "agent4")  # a second agent marking it too changes nothing
    again = other.get(f"{center.url}/staff/callbacks", timeout=10)
    other.post(
        f"{center.url}/staff/callbacks/{event_id}/done", data={"csrf": csrf_of(again)}, timeout=10
    )
    assert "agent3, " in other.get(f"{center.url}/staff/callbacks", timeout=10).text
    assert audit_actions(center, "agent3")[-1] == "call_back_done"
    assert "call_back_done" not in audit_actions(center, "agent4")
