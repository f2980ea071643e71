"""What the console's call page asks over HTTP besides its socket: save a note on a call the
agent took, and look up a payment of the call's kiosk by the reference the resident reads out.

JSON answers (an ErrorBody when refused), the console's session cookie; the note is a form
post carrying the session's CSRF token in the `csrf` field, as every form of the console does.
Agents and admins only; every use is audited.

FastAPI reads the handlers' annotations at run time, so this module does not postpone them.
"""

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query

from center.calls.registry import NOTE_MAX, CallRefused, CallRegistry
from center.calls.sockets import CALL_ROLES
from center.errors import Refusal
from center.staff.accounts import StaffMember
from center.staff.web import StaffSession

CallIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]


def _agent(signed: tuple[StaffMember, str] | None) -> tuple[StaffMember, str]:
    if signed is None:
        raise Refusal(401, "not_signed_in", "sign in to the staff console first")
    member, csrf = signed
    if not member.may(*CALL_ROLES):
        raise Refusal(403, "role_refused", "only agents answer calls")
    return member, csrf


def call_staff_routes(registry: CallRegistry) -> APIRouter:
    router = APIRouter(prefix="/staff/calls", include_in_schema=False)

    @router.post("/{call_id}/note")
    def save_note(
        call_id: CallIdPath,
        signed: StaffSession,
        note: Annotated[str, Form(max_length=NOTE_MAX)],
        csrf: Annotated[str, Form(max_length=100)],
    ) -> dict[str, Any]:
        member, session_csrf = _agent(signed)
        if not hmac.compare_digest(csrf.encode(), session_csrf.encode()):
            raise Refusal(403, "bad_csrf", "the form's CSRF token is not this session's")
        try:
            saved_at = registry.save_note(call_id, member.login, note)
        except CallRefused as refused:
            raise Refusal(403, refused.code, refused.message) from None
        return {"call_id": call_id, "note": note, "saved_at": saved_at.isoformat()}

    @router.get("/{call_id}/payment")
    def payment(
        call_id: CallIdPath,
        signed: StaffSession,
        reference: Annotated[str, Query(min_length=12, max_length=40)],
    ) -> dict[str, Any]:
        member, _csrf = _agent(signed)
        try:
            return registry.payment(call_id, member.login, reference)
        except CallRefused as refused:
            status = {"not_your_call": 403, "payment_not_found": 404}.get(refused.code, 422)
            raise Refusal(status, refused.code, refused.message) from None

    return router
