"""The console's business pages over HTTP, as two reviewers and a kiosk would use them: an
application made at the kiosk and delivered, claimed by one reviewer (the other refused), its
page photo viewed, a document asked for, approved; what the resident sees follows; the SMS
outbox shows phones masked."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest

from center.business.identity import simulated_score
from center.staff.accounts import Role
from kiosk.services.business_types import LiveFace
from sync.protocol.business import ApplicationProgress, Challenge, IdentityStatus, Stage
from tests.integration.test_business_round_trip import (
    HOLDER,
    Kiosk,
    _checked,
    _ev_charger,
    _jpeg,
)
from tests.integration.test_staff_console import csrf_of, sign_in, staff


@pytest.fixture
def delivered(start_center: Any, tmp_path: Path) -> tuple[Any, Kiosk, str, bytes]:
    """(center, kiosk, number, page bytes): an EV charger application the center has."""
    center = start_center()
    kiosk = Kiosk(center.url, tmp_path)
    page = _jpeg(5)
    ready = _ev_charger(kiosk, page, _checked(kiosk))
    kiosk.desk.submit_application(ready)
    assert kiosk.relay.deliver_once() == 1
    staff(center, "wang", Role.REVIEWER)
    staff(center, "zhao", Role.REVIEWER)
    yield center, kiosk, ready.number, page
    kiosk.close()


def _post(browser: Any, url: str, page_url: str, **form: str) -> Any:
    csrf = csrf_of(browser.get(page_url, timeout=10))
    return browser.post(url, data={"csrf": csrf, **form}, timeout=30, allow_redirects=False)


def test_one_reviewer_claims_views_asks_and_approves_the_other_is_refused(delivered) -> None:
    center, kiosk, number, page = delivered
    base = f"{center.url}/staff/applications"
    wang, zhao = sign_in(center, "wang"), sign_in(center, "zhao")
    listed = wang.get(base, timeout=10)
    assert number in listed.text and "/claim" in listed.text
    assert _post(wang, f"{base}/{number}/claim", base).status_code == 303
    assert _post(zhao, f"{base}/{number}/claim", base).status_code == 409
    assert "wang" in zhao.get(base, timeout=10).text
    refused = _post(zhao, f"{base}/{number}/decide", base, action="approve")
    assert refused.status_code == 409 and "请先抢单" in refused.text
    detail = wang.get(f"{base}/{number}", timeout=10)
    assert detail.status_code == 200
    assert "11010519491231002X" not in detail.text and "13912345678" not in detail.text
    assert "139****5678" in detail.text
    file_ids = [int(i) for i in re.findall(r"/files/(\d+)", detail.text)]
    photos = [wang.get(f"{base}/{number}/files/{i}", timeout=10) for i in set(file_ids)]
    assert any(hashlib.sha256(p.content).digest() == hashlib.sha256(page).digest() for p in photos)
    assert zhao.get(f"{base}/{number}/files/{file_ids[0]}", timeout=10).status_code == 200
    # Decisions: a rejection needs its reason; asking for a document reaches the resident.
    assert _post(wang, f"{base}/{number}/decide", base, action="reject").status_code == 409
    asked = _post(
        wang, f"{base}/{number}/decide", base, action="more_documents", wanted="parking-proof"
    )
    assert asked.status_code == 303
    seen = kiosk.desk.application_progress(number)
    assert isinstance(seen, ApplicationProgress)
    assert seen.stage is Stage.MORE_DOCUMENTS and seen.wanted == ["parking-proof"]
    assert _post(wang, f"{base}/{number}/decide", base, action="review").status_code == 303
    assert _post(wang, f"{base}/{number}/decide", base, action="approve").status_code == 303
    seen = kiosk.desk.application_progress(number)
    assert isinstance(seen, ApplicationProgress) and seen.stage is Stage.APPROVED
    outbox = wang.get(f"{center.url}/staff/sms", timeout=10).text
    assert number in outbox and "139****5678" in outbox and "13912345678" not in outbox


def test_without_the_forms_token_nothing_is_claimed(delivered) -> None:
    center, _kiosk, number, _page = delivered
    wang = sign_in(center, "wang")
    answer = wang.post(
        f"{center.url}/staff/applications/{number}/claim",
        data={"csrf": "forged"},
        timeout=10,
        allow_redirects=False,
    )
    assert answer.status_code == 403
    zhao = sign_in(center, "zhao")
    base = f"{center.url}/staff/applications"
    assert _post(zhao, f"{base}/{number}/claim", base).status_code == 303  # still free


def test_a_doubtful_real_name_check_is_decided_by_a_reviewer(delivered) -> None:
    center, kiosk, _number, _page = delivered
    seed = next(s for s in range(300) if 70 <= simulated_score(HOLDER.id_number, _jpeg(s))[0] < 80)
    face = LiveFace(_jpeg(seed), Challenge.BLINK, True, 40)
    asked = kiosk.desk.check_identity(HOLDER, face)
    assert asked.status is IdentityStatus.REVIEW
    # The resident carried on: an application stands on the doubtful check, not approved yet.
    ready = _ev_charger(kiosk, _jpeg(6), str(asked.check_id))
    kiosk.desk.submit_application(ready)
    assert kiosk.relay.deliver_once() == 1
    base = f"{center.url}/staff/applications"
    wang = sign_in(center, "wang")
    assert _post(wang, f"{base}/{ready.number}/claim", base).status_code == 303
    page = wang.get(f"{base}/{ready.number}", timeout=10).text
    assert "待人工确认" in page or "waiting for staff" in page
    early = _post(wang, f"{base}/{ready.number}/decide", base, action="approve")
    assert early.status_code == 409 and ("实名核验" in early.text or "Identity" in early.text)
    listed = wang.get(f"{center.url}/staff/identity", timeout=10)
    assert str(asked.check_id) in listed.text
    assert HOLDER.name not in listed.text and HOLDER.id_number not in listed.text
    photo = wang.get(f"{center.url}/staff/identity/{asked.check_id}/photo", timeout=10)
    assert photo.content == face.jpeg
    answer = _post(
        wang,
        f"{center.url}/staff/identity/{asked.check_id}/decide",
        f"{center.url}/staff/identity",
        passed="yes",
    )
    assert answer.status_code == 303
    decided = kiosk.desk.identity_outcome(str(asked.check_id))
    assert decided.status is IdentityStatus.PASSED
    assert _post(wang, f"{base}/{ready.number}/decide", base, action="approve").status_code == 303
    # Decided: the photo is gone (retention 0 days) once the center's chores sweep.
    center.app.state.business_chores.run_once()
    gone = wang.get(f"{center.url}/staff/identity/{asked.check_id}/photo", timeout=10)
    assert gone.status_code == 404
