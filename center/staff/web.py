"""The staff console's pages, rendered by the center itself (Jinja2; no build step, nothing
fetched from outside).

Sign-in sets an HttpOnly, SameSite=Strict session cookie. Every form carries a CSRF token: the
sign-in form's matches a cookie set with the form; a signed-in form's is the session's own. A
page a role may not open answers 403; no session leads to the sign-in page. Answers are never
cached and never framed.

FastAPI reads the handlers' annotations at run time, so this module does not postpone them.
"""

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import sessionmaker

from center.business.claims import claim, release
from center.business.identity import decide_after_review
from center.business.progress import CENTER_TIME
from center.database import KioskScreenshotRow, KioskSeenRow
from center.errors import Refusal
from center.fleet import KioskId, issue_command
from center.fleet_status import clear_alert
from center.staff import notices
from center.staff.accounts import (
    LoginRefused,
    Role,
    StaffMember,
    audit,
    recent_audit,
    session_of,
    sign_in,
    sign_out,
)
from center.staff.applications import (
    Refused,
    application_detail,
    application_file,
    application_list,
    decide,
    identity_photo,
    identity_reviews,
    sms_outbox,
)
from center.staff.call_backs import call_backs, mark_done
from center.staff.fleet import fleet_page, kiosk_detail
from center.staff.words import LANGUAGES, words_in
from sync.protocol.calls import PUSHABLE_SCREENS, STAFF_SOCKET_PATH
from sync.protocol.fleet import CommandOrder

SESSION_COOKIE = "staff_session"
LOGIN_CSRF_COOKIE = "staff_login_csrf"
LANGUAGE_COOKIE = "staff_lang"
# The documents staff may ask for (the kiosk's catalogue's ids).
DOCUMENT_CHOICES = (
    "ownership-proof", "household-register", "parking-proof", "property-consent", "roof-consent",
    "fault-photo",
)  # fmt: skip
_TEMPLATES = Jinja2Templates(directory=str(FilePath(__file__).parent / "templates"))
_STYLESHEET = (FilePath(__file__).parent / "static" / "console.css").read_bytes()
# The call page's script: revalidated on every load (its ETag), so a new center never runs
# beside an old script.
_CALL_SCRIPT = (FilePath(__file__).parent / "static" / "calls.js").read_bytes()
_CALL_SCRIPT_ETAG = '"' + hashlib.sha256(_CALL_SCRIPT).hexdigest()[:32] + '"'
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
}
# Who may open which page; an admin may open every one.
PAGE_ROLES: dict[str, tuple[Role, ...]] = {
    "home": tuple(Role),
    "kiosks": (Role.OPERATOR, Role.AGENT),
    "callbacks": (Role.AGENT,),
    "calls": (Role.AGENT,),
    "audit": (Role.ADMIN,),
    "applications": (Role.REVIEWER,),
    "sms": (Role.REVIEWER, Role.AGENT),
    "identity": (Role.REVIEWER,),
    "notices": (Role.OPERATOR,),
}


# What a role may do beyond opening a page: agents see the fleet, only operators act on it.
ACTION_ROLES: dict[str, tuple[Role, ...]] = {
    "fleet_commands": (Role.OPERATOR,),
    "fleet_alerts": (Role.OPERATOR,),
}
# The commands the console sends (reload_settings is the operator API's).
CONSOLE_COMMANDS = ("lock", "unlock", "restart", "sync_now", "screenshot")


def staff_session(request: Request) -> tuple[StaffMember, str] | None:
    """The guard of every signed-in page: who is asking and their session's CSRF token, from
    the session cookie; None without a live session (the page then leads to the sign-in form,
    or answers 403 when the role may not open it). A sync dependency: it reads the database."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    state = request.app.state
    return session_of(state.database.sessions, token, state.clock())


StaffSession = Annotated[tuple[StaffMember, str] | None, Depends(staff_session)]


def staff_routes(sessions: sessionmaker, clock: Callable[[], dt.datetime]) -> APIRouter:
    router = APIRouter(prefix="/staff", include_in_schema=False)

    def language(request: Request) -> str:
        wanted = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
        return wanted if wanted in LANGUAGES else LANGUAGES[0]

    def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = language(request)
        member = context.get("member")
        nav = [
            ("/staff/" + ("" if name == "home" else name), name)
            for name, roles in PAGE_ROLES.items()
            if member is not None and member.may(*roles)
        ]
        shown = _TEMPLATES.TemplateResponse(
            request,
            template,
            {
                "w": words_in(lang),
                "lang": lang,
                "other": "en" if lang != "en" else "zh_CN",
                "nav": nav,
            }
            | context,
            status_code=status,
            headers=_HEADERS,
        )
        if request.query_params.get("lang") in LANGUAGES:
            _cookie(request, shown, LANGUAGE_COOKIE, lang, max_age=365 * 24 * 3600)
        return shown

    def open_page(
        request: Request, found: tuple[StaffMember, str] | None, name: str
    ) -> tuple[StaffMember, str] | Response:
        """Who is asking, if they may open page `name`; else where they go instead."""
        if found is None:
            return RedirectResponse("/staff/login", status_code=303, headers=_HEADERS)
        member, _csrf = found
        if not member.may(*(PAGE_ROLES.get(name) or ACTION_ROLES[name])):
            return page(request, "refused.html", 403, member=member, csrf=_csrf)
        return found

    def login_form(request: Request, message: str = "", status: int = 200) -> HTMLResponse:
        csrf = secrets.token_urlsafe(32)
        shown = page(request, "login.html", status, csrf=csrf, message=message)
        _cookie(request, shown, LOGIN_CSRF_COOKIE, csrf, max_age=3600)
        return shown

    @router.get("/static/console.css")
    def stylesheet() -> Response:
        return Response(
            _STYLESHEET, media_type="text/css", headers={"Cache-Control": "max-age=3600"}
        )

    @router.get("/static/calls.js")
    def call_script(request: Request) -> Response:
        headers = {
            "Cache-Control": "no-cache",
            "ETag": _CALL_SCRIPT_ETAG,
            "X-Content-Type-Options": "nosniff",
        }
        if request.headers.get("if-none-match") == _CALL_SCRIPT_ETAG:
            return Response(status_code=304, headers=headers)
        return Response(_CALL_SCRIPT, media_type="text/javascript; charset=utf-8", headers=headers)

    @router.get("/login")
    def login_page(request: Request) -> Response:
        return login_form(request)

    @router.post("/login")
    def login(
        request: Request,
        login: Annotated[str, Form(max_length=40)],
        password: Annotated[str, Form(max_length=200)],
        csrf: Annotated[str, Form(max_length=100)],
    ) -> Response:
        w = words_in(language(request))
        expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not expected or not hmac.compare_digest(csrf.encode(), expected.encode()):
            return login_form(request, w["expired"], 403)
        try:
            done = sign_in(sessions, login, password, clock())
        except LoginRefused as refused:
            if refused.locked_until is not None:
                until = refused.locked_until.astimezone().strftime("%H:%M")
                return login_form(request, w["locked"].format(until=until), 429)
            return login_form(request, w["wrong"], 401)
        shown = RedirectResponse("/staff/", status_code=303, headers=_HEADERS)
        _cookie(request, shown, SESSION_COOKIE, done.token)
        shown.delete_cookie(LOGIN_CSRF_COOKIE, path="/staff")
        return shown

    def show(
        request: Request,
        signed: tuple[StaffMember, str] | None,
        name: str,
        contents: Callable[[StaffMember], dict[str, Any]],
    ) -> Response:
        """Page `name` (its template `name`.html) with `contents(who)`, if they may open it."""
        found = open_page(request, signed, name)
        if isinstance(found, Response):
            return found
        member, csrf = found
        return page(request, f"{name}.html", member=member, csrf=csrf, **contents(member))

    @router.get("/")
    def home(request: Request, signed: StaffSession) -> Response:
        return show(
            request,
            signed,
            "home",
            lambda member: {"activity": recent_audit(sessions, login=member.login, limit=20)},
        )

    @router.get("/kiosks")
    def kiosks(
        request: Request,
        signed: StaffSession,
        status: Annotated[str, Query(pattern=r"^(red|amber|green|silent)?$")] = "",
        fault: Annotated[str, Query(pattern=r"^[a-z]{0,20}$")] = "",
        page_number: Annotated[int, Query(alias="page", ge=0, le=100_000)] = 0,
    ) -> Response:
        def contents(member: StaffMember) -> dict[str, Any]:
            shown = fleet_page(sessions, clock(), status=status, fault=fault, page=page_number)
            return shown | {"may_act": member.may(*ACTION_ROLES["fleet_commands"])}

        return show(request, signed, "kiosks", contents)

    @router.get("/kiosks/{kiosk_id}")
    def kiosk_page(request: Request, kiosk_id: KioskId, signed: StaffSession) -> Response:
        found = open_page(request, signed, "kiosks")
        if isinstance(found, Response):
            return found
        member, csrf = found
        detail = kiosk_detail(sessions, kiosk_id, clock())
        if detail is None:
            return page(request, "refused.html", 404, member=member, csrf=csrf)
        may_act = member.may(*ACTION_ROLES["fleet_commands"])
        return page(request, "kiosk.html", member=member, csrf=csrf, kiosk=detail,
                    may_act=may_act, commands=CONSOLE_COMMANDS)  # fmt: skip

    @router.get("/kiosks/{kiosk_id}/screenshot")
    def kiosk_screenshot(request: Request, kiosk_id: KioskId, signed: StaffSession) -> Response:
        found = open_page(request, signed, "kiosks")
        if isinstance(found, Response):
            return found
        with sessions() as session:
            shot = session.get(KioskScreenshotRow, kiosk_id)
            if shot is None:
                return page(request, "refused.html", 404, member=found[0], csrf=found[1])
            return Response(shot.png, media_type="image/png", headers=_HEADERS)

    @router.post("/kiosks/{kiosk_id}/commands")
    def kiosk_command(
        request: Request,
        kiosk_id: KioskId,
        signed: StaffSession,
        csrf: Annotated[str, Form(max_length=100)],
        kind: Annotated[str, Form(pattern=r"^(lock|unlock|restart|sync_now|screenshot)$")],
        message_zh: Annotated[str, Form(max_length=300)] = "",
        message_en: Annotated[str, Form(max_length=300)] = "",
    ) -> Response:
        found = checked_post(request, signed, csrf, "fleet_commands")
        if isinstance(found, Response):
            return found
        member, session_csrf = found
        now = clock()
        order = CommandOrder(
            kind=kind,  # type: ignore[arg-type]  # the pattern above allows only the kinds
            message_zh=(message_zh.strip() or None) if kind == "lock" else None,
            message_en=(message_en.strip() or None) if kind == "lock" else None,
        )
        with sessions.begin() as session:
            if session.get(KioskSeenRow, kiosk_id) is None:
                return page(request, "refused.html", 404, member=member, csrf=session_csrf)
            issue_command(session, kiosk_id, order, member.login, now)
            said = " / ".join(m for m in (order.message_zh, order.message_en) if m)
            audit(session, member.login, f"kiosk_{kind}", now, kiosk_id=kiosk_id,
                  detail=said[:200] or None)  # fmt: skip
        return RedirectResponse(f"/staff/kiosks/{kiosk_id}", 303, headers=_HEADERS)

    @router.get("/notices")
    def notices_page(request: Request, signed: StaffSession) -> Response:
        def contents(_member: StaffMember) -> dict[str, Any]:
            with sessions() as session:
                return {"notices": notices.current(session)}

        return show(request, signed, "notices", contents)

    @router.post("/notices")
    def notice_add(
        request: Request,
        signed: StaffSession,
        csrf: Annotated[str, Form(max_length=100)],
        kind: Annotated[str, Form(pattern=r"^(notice|outage)$")],
        zh: Annotated[str, Form(max_length=300)],
        en: Annotated[str, Form(max_length=300)],
        stations: Annotated[str, Form(max_length=2000)] = "",
        starts: Annotated[str, Form(pattern=r"^(\d{4}-\d{2}-\d{2})?$")] = "",
        ends: Annotated[str, Form(pattern=r"^(\d{4}-\d{2}-\d{2})?$")] = "",
    ) -> Response:
        found = checked_post(request, signed, csrf, "notices")
        if isinstance(found, Response):
            return found
        member, session_csrf = found
        try:
            with sessions.begin() as session:
                notices.add_notice(
                    session, member.login, clock(), kind=kind, stations=stations, zh=zh, en=en,
                    starts=dt.date.fromisoformat(starts) if starts else None,
                    ends=dt.date.fromisoformat(ends) if ends else None,
                )  # fmt: skip
        except (notices.NoticeRefused, ValueError) as refused:
            with sessions() as session:
                shown = notices.current(session)
            return page(request, "notices.html", 422, member=member, csrf=session_csrf,
                        notices=shown, refused=str(refused).splitlines()[0][:200])  # fmt: skip
        return RedirectResponse("/staff/notices", 303, headers=_HEADERS)

    @router.post("/notices/{notice_id}/remove")
    def notice_remove(
        request: Request,
        notice_id: Annotated[str, Path(max_length=40)],
        signed: StaffSession,
        csrf: Annotated[str, Form(max_length=100)],
    ) -> Response:
        found = checked_post(request, signed, csrf, "notices")
        if isinstance(found, Response):
            return found
        member, session_csrf = found
        with sessions.begin() as session:
            if not notices.remove_notice(session, member.login, clock(), notice_id):
                return page(request, "refused.html", 404, member=member, csrf=session_csrf)
        return RedirectResponse("/staff/notices", 303, headers=_HEADERS)

    @router.post("/alerts/{alert_id}/clear")
    def alert_clear(
        request: Request,
        alert_id: Annotated[int, Path(ge=1)],
        signed: StaffSession,
        csrf: Annotated[str, Form(max_length=100)],
        back: Annotated[str, Form(pattern=r"^/staff/kiosks(/[A-Za-z0-9._-]{1,64})?$")] = (
            "/staff/kiosks"
        ),
    ) -> Response:
        found = checked_post(request, signed, csrf, "fleet_alerts")
        if isinstance(found, Response):
            return found
        member, session_csrf = found
        now = clock()
        with sessions.begin() as session:
            alert = clear_alert(session, alert_id, member.login, now)
            if alert is None:
                return page(request, "refused.html", 404, member=member, csrf=session_csrf)
            audit(session, member.login, "alert_cleared", now, kiosk_id=alert.kiosk_id,
                  detail=alert.kind)  # fmt: skip
        return RedirectResponse(back, 303, headers=_HEADERS)

    @router.get("/callbacks")
    def callbacks(request: Request, signed: StaffSession) -> Response:
        return show(request, signed, "callbacks", lambda _: {"calls": call_backs(sessions)})

    @router.post("/callbacks/{event_id}/done")
    def callback_done(
        request: Request,
        event_id: Annotated[str, Path(max_length=36)],
        signed: StaffSession,
        csrf: Annotated[str, Form(max_length=100)],
    ) -> Response:
        found = open_page(request, signed, "callbacks")
        if isinstance(found, Response):
            return found
        member, session_csrf = found
        if not hmac.compare_digest(csrf.encode(), session_csrf.encode()):
            return page(request, "refused.html", 403, member=member, csrf=session_csrf)
        if not mark_done(sessions, event_id, member.login, clock()):
            return page(request, "refused.html", 404, member=member, csrf=session_csrf)
        return RedirectResponse("/staff/callbacks", status_code=303, headers=_HEADERS)

    @router.get("/calls")
    def calls_page(request: Request, signed: StaffSession) -> Response:
        return show(
            request,
            signed,
            "calls",
            lambda _: {"screens": PUSHABLE_SCREENS, "socket_path": STAFF_SOCKET_PATH},
        )

    def checked_post(
        request: Request, signed: tuple[StaffMember, str] | None, csrf: str, name: str
    ) -> tuple[StaffMember, str] | Response:
        """Who posts, if they may open page `name` and the form carries their session's token."""
        found = open_page(request, signed, name)
        if isinstance(found, Response):
            return found
        member, session_csrf = found
        if not hmac.compare_digest(csrf.encode(), session_csrf.encode()):
            return page(request, "refused.html", 403, member=member, csrf=session_csrf)
        return found

    @router.get("/applications")
    def applications_page(request: Request, signed: StaffSession) -> Response:
        def contents(member: StaffMember) -> dict[str, Any]:
            with sessions() as session:
                return {"rows": application_list(session, member.login, clock())}

        return show(request, signed, "applications", contents)

    @router.get("/applications/{number}")
    def application_page(
        request: Request, number: Annotated[str, Path(max_length=20)], signed: StaffSession
    ) -> Response:
        found = open_page(request, signed, "applications")
        if isinstance(found, Response):
            return found
        member, csrf = found
        with sessions() as session:
            shown = application_detail(session, number, member.login, clock())
        return page(request, "application.html", 200 if shown else 404, member=member, csrf=csrf,
                    app=shown, documents=DOCUMENT_CHOICES, message="")  # fmt: skip

    @router.get("/applications/{number}/files/{file_id}")
    def application_file_page(
        request: Request,
        number: Annotated[str, Path(max_length=20)],
        file_id: int,
        signed: StaffSession,
    ) -> Response:
        found = open_page(request, signed, "applications")
        if isinstance(found, Response):
            return found
        with sessions() as session:
            row = application_file(session, number, file_id)
        if row is None:
            return page(request, "refused.html", 404, member=found[0], csrf=found[1])
        data = request.app.state.files.get(row.storage_key)
        headers = {**_HEADERS, "Content-Disposition": f'inline; filename="{number}-{file_id}"'}
        return Response(data, media_type=row.media_type, headers=headers)

    @router.post("/applications/{number}/claim")
    def claim_application(
        request: Request,
        number: Annotated[str, Path(max_length=20)],
        signed: StaffSession,
        csrf: Annotated[str, Form(max_length=100)],
    ) -> Response:
        found = checked_post(request, signed, csrf, "applications")
        if isinstance(found, Response):
            return found
        if not claim(sessions, number, login=found[0].login, now=clock()):
            return page(request, "refused.html", 409, member=found[0], csrf=found[1],
                        why="held")  # fmt: skip
        return RedirectResponse(f"/staff/applications/{number}", 303, headers=_HEADERS)

    @router.post("/applications/{number}/release")
    def release_application(
        request: Request,
        number: Annotated[str, Path(max_length=20)],
        signed: StaffSession,
        csrf: Annotated[str, Form(max_length=100)],
    ) -> Response:
        found = checked_post(request, signed, csrf, "applications")
        if isinstance(found, Response):
            return found
        release(sessions, number, login=found[0].login, now=clock())
        return RedirectResponse("/staff/applications", 303, headers=_HEADERS)

    @router.post("/applications/{number}/decide")
    def decide_application(
        request: Request,
        number: Annotated[str, Path(max_length=20)],
        signed: StaffSession,
        csrf: Annotated[str, Form(max_length=100)],
        action: Annotated[str, Form(max_length=20)],
        note: Annotated[str, Form(max_length=200)] = "",
        wanted: Annotated[str, Form(max_length=40)] = "",
        visit_at: Annotated[str, Form(max_length=20)] = "",
    ) -> Response:
        found = checked_post(request, signed, csrf, "applications")
        if isinstance(found, Response):
            return found
        member, session_csrf = found
        try:
            visit = (
                dt.datetime.fromisoformat(visit_at).replace(tzinfo=CENTER_TIME)
                if visit_at
                else None
            )
            decide(sessions, number, login=member.login, action=action, now=clock(),
                   note=note, wanted=[wanted] if wanted else [], visit_at=visit)  # fmt: skip
        except (Refused, ValueError) as refused:
            why = refused.reason if isinstance(refused, Refused) else "bad_time"
            with sessions() as session:
                shown = application_detail(session, number, member.login, clock())
            return page(request, "application.html", 409 if why != "bad_time" else 422,
                        member=member, csrf=session_csrf, app=shown,
                        documents=DOCUMENT_CHOICES, message=why)  # fmt: skip
        return RedirectResponse(f"/staff/applications/{number}", 303, headers=_HEADERS)

    @router.get("/identity")
    def identity_page(request: Request, signed: StaffSession) -> Response:
        def contents(_member: StaffMember) -> dict[str, Any]:
            with sessions() as session:
                return {"rows": identity_reviews(session)}

        return show(request, signed, "identity", contents)

    @router.get("/identity/{check_id}/photo")
    def identity_photo_page(
        request: Request, check_id: Annotated[str, Path(max_length=36)], signed: StaffSession
    ) -> Response:
        found = open_page(request, signed, "identity")
        if isinstance(found, Response):
            return found
        with sessions() as session:
            key = identity_photo(session, check_id)
        if key is None:
            return page(request, "refused.html", 404, member=found[0], csrf=found[1])
        data = request.app.state.files.get(key)
        return Response(data, media_type="image/jpeg", headers=_HEADERS)

    @router.post("/identity/{check_id}/decide")
    def identity_decide(
        request: Request,
        check_id: Annotated[str, Path(max_length=36)],
        signed: StaffSession,
        csrf: Annotated[str, Form(max_length=100)],
        passed: Annotated[str, Form(max_length=5)],
    ) -> Response:
        found = checked_post(request, signed, csrf, "identity")
        if isinstance(found, Response):
            return found
        try:
            with sessions.begin() as session:
                decide_after_review(
                    session, check_id, passed=passed == "yes", by=found[0].login, now=clock()
                )
                audit(session, found[0].login, "identity_decided", clock(), detail=check_id)
        except Refusal:
            return page(request, "refused.html", 409, member=found[0], csrf=found[1])
        return RedirectResponse("/staff/identity", 303, headers=_HEADERS)

    @router.get("/sms")
    def sms_page(request: Request, signed: StaffSession) -> Response:
        def contents(_member: StaffMember) -> dict[str, Any]:
            with sessions() as session:
                return {"rows": sms_outbox(session)}

        return show(request, signed, "sms", contents)

    @router.get("/audit")
    def audit_page(request: Request, signed: StaffSession) -> Response:
        return show(request, signed, "audit", lambda _: {"rows": recent_audit(sessions, limit=200)})

    def leave(
        request: Request, found: tuple[StaffMember, str] | None, csrf: str, *, everywhere: bool
    ) -> Response:
        token = request.cookies.get(SESSION_COOKIE)
        if token is None or found is None:
            return RedirectResponse("/staff/login", status_code=303, headers=_HEADERS)
        if not hmac.compare_digest(csrf.encode(), found[1].encode()):
            return page(request, "refused.html", 403, member=found[0], csrf=found[1])
        sign_out(sessions, token, clock(), everywhere=everywhere)
        shown = RedirectResponse("/staff/login", status_code=303, headers=_HEADERS)
        shown.delete_cookie(SESSION_COOKIE, path="/staff")
        return shown

    @router.post("/logout")
    def logout(
        request: Request, signed: StaffSession, csrf: Annotated[str, Form(max_length=100)]
    ) -> Response:
        return leave(request, signed, csrf, everywhere=False)

    @router.post("/logout-everywhere")
    def logout_everywhere(
        request: Request, signed: StaffSession, csrf: Annotated[str, Form(max_length=100)]
    ) -> Response:
        return leave(request, signed, csrf, everywhere=True)

    return router


def _cookie(
    request: Request, response: Response, name: str, value: str, max_age: int | None = None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/staff",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
