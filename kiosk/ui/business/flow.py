"""The business flow: one application from the menu to its slip, through the services.

It holds the application being made (the domain's `Draft`, the accepted page photos, the card's
fields) and nothing else; `clear()` drops all of it, and the window calls that when the session
ends. Every call to the services runs in the background with a timeout; the screens only show.

Steps: menu → what it needs and costs, place the ID card → the real-name check (a live photo
and "close your eyes, then open them", face_check.py), for the businesses that need it → the
form filled from the card and the account → documents (photographed, promised, or already
on file) → read and sign → done.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.domain.applications import (
    CATALOGUE,
    ApplicationKind,
    DocumentState,
    Draft,
    renewal_due,
    slip_qr_text,
)
from kiosk.services.business_types import (
    CardHolder,
    PagePhoto,
    PageSeen,
    Progress,
    ReadyApplication,
    SignedPad,
    Submitted,
    WaitingHere,
)
from kiosk.services.screen_types import ApplicationProgress
from kiosk.ui.background import BackgroundTasks
from kiosk.ui.business.face_check import FaceCheck
from kiosk.ui.business.face_screen import FaceCheckScreen
from kiosk.ui.business.screens import (
    BusinessDocumentsScreen,
    BusinessDoneScreen,
    BusinessFormScreen,
    BusinessMenuScreen,
    BusinessStartScreen,
    DocumentCaptureScreen,
    FollowScreen,
    SignScreen,
)
from kiosk.ui.business.words import (
    CHOICES,
    DOCUMENTS,
    FIELDS,
    PROBLEMS,
    STAGES,
    business_name,
    said,
)
from kiosk.ui.translations import in_language
from rules.masking import mask_address, mask_id_number, mask_name
from rules.phone import is_phone_number
from rules.utility_words import Said

if TYPE_CHECKING:
    from kiosk.services import UseCases
    from kiosk.services.device_input import IdCard

CHINA_TIME = dt.timezone(dt.timedelta(hours=8))  # the resident's clock, whatever the kiosk's
LOOK_EVERY_MS = 250  # the camera is looked at four times a second while a page is wanted


def _today() -> dt.date:
    """The resident's date (a card valid "until today" is valid all of today in China, whatever
    time zone the kiosk's clock is set to)."""
    return dt.datetime.now(CHINA_TIME).date()


class BusinessFlow(QObject):
    sig_show_screen = Signal(str)
    """(screen name): show it."""

    sig_finished = Signal()
    """(): the resident is done (the slip is out)."""

    def __init__(
        self,
        services: UseCases | None,
        tasks: BackgroundTasks,
        *,
        menu: BusinessMenuScreen,
        start: BusinessStartScreen,
        face: FaceCheckScreen,
        form: BusinessFormScreen,
        documents: BusinessDocumentsScreen,
        capture: DocumentCaptureScreen,
        sign: SignScreen,
        done: BusinessDoneScreen,
        follow: FollowScreen,
        center_timeout_s: float,
        language: Any = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self.menu, self.start, self.form = menu, start, form
        self.documents, self.capture, self.sign, self.done = documents, capture, sign, done
        self.follow = follow
        self.face_check = FaceCheck(services, tasks, face, center_timeout_s=center_timeout_s,
                                    parent=self)  # fmt: skip
        self._timeout_s = center_timeout_s
        self._language = language or (lambda: "zh_CN")
        self.kind: str | None = None
        self.draft: Draft | None = None
        self.holder: CardHolder | None = None
        self.accounts: list[str] = []
        self.pages: dict[str, PagePhoto] = {}
        self._capturing: str | None = None
        self._looking = False
        self._last_look: PageSeen | None = None
        self._taken: PageSeen | None = None
        self.submitted: Submitted | None = None
        self._made_number: str | None = None
        self.resubmission_of: str | None = None  # a rejected application this one makes again
        self.identity_check_id: str | None = None  # the center's real-name check for it
        self._bringing: str | None = None  # an application whose wanted documents come now
        self._still_wanted: list[str] = []
        self._shown: Progress | None = None
        self._watch = QTimer(self)
        self._watch.setInterval(LOOK_EVERY_MS)
        self._watch.timeout.connect(self._look)
        menu.sig_chosen.connect(self.choose)
        menu.sig_follow.connect(self.open_follow)
        follow.sig_look_up.connect(self.follow_number)
        follow.sig_open.connect(self.follow_number)
        follow.sig_apply_again.connect(self.apply_again)
        follow.sig_bring.connect(self.bring_documents)
        form.sig_answer.connect(self._answer)
        form.sig_account.connect(self._account_chosen)
        form.sig_next.connect(self._form_done)
        documents.sig_photograph.connect(self.photograph)
        documents.sig_promise.connect(lambda d: self._set_document(d, DocumentState.PROMISED))
        documents.sig_leave_out.connect(lambda d: self._set_document(d, DocumentState.SKIPPED))
        documents.sig_next.connect(self._documents_done)
        capture.sig_take.connect(self.take_picture)
        capture.sig_use.connect(self.use_picture)
        capture.sig_retake.connect(self._retake)
        sign.sig_sign.connect(self.sign_and_submit)
        self.face_check.sig_checked.connect(self._identity_checked)

    # -- steps ---------------------------------------------------------------------------

    def open_menu(self) -> None:
        self.clear()
        self.sig_show_screen.emit(self.menu.name)

    def choose(self, kind: str) -> None:
        self.clear()
        self.kind = kind
        business = CATALOGUE[ApplicationKind(kind)]
        needs = [
            said(DOCUMENTS, need.id)
            + (in_language(Said("（可签承诺书后补）", " (or a signed promise)"))
               if need.promise_allowed else "")
            for need in business.documents
        ]  # fmt: skip
        needs.insert(0, in_language(Said("您的身份证", "Your ID card")))
        self.start.set_business(kind, needs, self._cost_words(kind))
        self.sig_show_screen.emit(self.start.name)

    def wants_card(self, current_screen: str) -> bool:
        """An ID card read now is for this flow (the start or the follow screen waits for one)."""
        starting = self.kind is not None and current_screen == self.start.name
        return starting or current_screen == self.follow.name

    def id_card_read(self, card: IdCard) -> None:
        if self.kind is None:
            self._follow_card(card.id_number)
            return
        holder = CardHolder(card.name, card.id_number, card.address, card.valid_from, card.valid_to)
        if holder.valid_until is not None and holder.valid_until < _today():
            self.start.status.show_message(
                self.tr("This ID card has expired. Business needs a valid card.")
            )
            return
        self.holder = holder
        self.draft = Draft(CATALOGUE[ApplicationKind(self.kind)], holder.card_fields())
        self.start.status.show_busy(self.tr("Finding your accounts…"))
        self._run(self._find_accounts, holder.id_number, on_result=self._accounts_found,
                  on_error=self._accounts_not_found)  # fmt: skip

    def _find_accounts(self, id_number: str) -> tuple[list[str], set[str]]:
        services = self._need_services()
        accounts = [a.number for a in services.accounts_for_id_number(id_number)]
        account = accounts[0] if accounts else None
        return accounts, services.documents_on_file(id_number, account)

    def _accounts_found(self, found: tuple[list[str], set[str]]) -> None:
        accounts, on_file = found
        draft = self.draft
        if draft is None:
            return
        self.start.status.hide_status()
        self.accounts = accounts
        draft.account_number = accounts[0] if accounts else None
        draft.know_on_file(on_file)
        if draft.business.needs_identity_check and self.holder is not None:
            self.sig_show_screen.emit(self.face_check.screen.name)
            self.face_check.start(self.holder)
            return
        self._show_form()

    def _identity_checked(self, check_id: str, for_staff: bool) -> None:
        self.identity_check_id = check_id
        self._show_form()
        if for_staff:
            self.form.status.show_message(
                self.tr(
                    "Staff will confirm your photo before your application is handled. "
                    "You may carry on."
                )
            )

    def _accounts_not_found(self, _error: BaseException) -> None:
        self.start.status.show_message(
            self.tr(
                "The center cannot be reached now, and business needs it. "
                "Please try again later or ask staff for help."
            )
        )

    def _show_form(self) -> None:
        draft, holder = self.draft, self.holder
        if draft is None or holder is None or self.kind is None:
            return
        rows = [
            (self.tr("Name"), mask_name(holder.name)),
            (self.tr("ID number"), mask_id_number(holder.id_number)),
            (self.tr("Address"), mask_address(holder.address)),
            (self.tr("Account"), draft.account_number or self.tr("none found")),
        ]
        self.form.show_application(
            self.kind, rows, draft.answers, self.accounts, draft.account_number
        )
        self.sig_show_screen.emit(self.form.name)

    def _answer(self, field_id: str, value: str) -> None:
        if self.draft is None:
            return
        self.draft.answers[field_id] = value
        if field_id in self.form.choice_buttons:
            self._show_form()

    def _account_chosen(self, number: str) -> None:
        if self.draft is not None and number in self.accounts:
            self.draft.account_number = number
            self._show_form()

    def _form_done(self) -> None:
        draft = self.draft
        if draft is None:
            return
        problems = {
            key: said(PROBLEMS, why)
            for key, why in draft.problems().items()
            if key in {f.id for f in draft.business.fields} or key == "account_number"
        }
        phone = draft.answers.get("phone", "")
        if phone and not is_phone_number(phone):
            problems["phone"] = said(PROBLEMS, "not_a_phone")
        if problems:
            self.form.show_problems(problems)
            return
        self._show_documents()

    def _show_documents(self) -> None:
        if self.draft is None or self.kind is None:
            return
        self.documents.show_documents(self.kind, dict(self.draft.documents))
        self.sig_show_screen.emit(self.documents.name)

    def _set_document(self, document_id: str, state: DocumentState) -> None:
        if self.draft is None:
            return
        self.draft.set_document(document_id, state)
        self.pages.pop(document_id, None)
        self._show_documents()

    def _documents_done(self) -> None:
        draft = self.draft
        if draft is None:
            return
        if draft.still_wanted():
            missing = ", ".join(said(DOCUMENTS, need.id) for need in draft.still_wanted())
            self.documents.status.show_message(self.tr("Still needed: %1").replace("%1", missing))
            return
        self.sign.show_content(self._content_lines())
        self.sig_show_screen.emit(self.sign.name)

    # -- photographs ---------------------------------------------------------------------

    def photograph(self, document_id: str) -> None:
        self._capturing = document_id
        self._taken = None
        self.capture.set_document(document_id)
        self.capture.show_live(None, None, None)
        self.sig_show_screen.emit(self.capture.name)
        self._watch.start()
        self._look()

    def _look(self) -> None:
        if self._looking or self._capturing is None or self._taken is not None:
            return
        self._looking = True
        self._run(self._need_services().look_for_page, on_result=self._seen,
                  on_error=lambda _e: self._seen(None), timeout_s=5.0)  # fmt: skip

    def _seen(self, seen: PageSeen | None) -> None:
        self._looking = False
        if self._capturing is None or self._taken is not None:
            return
        self._last_look = seen
        if seen is None:
            self.capture.show_live(None, None, None)
        else:
            self.capture.show_live(seen.picture, seen.corners, seen.problem)

    def take_picture(self) -> None:
        seen = self._last_look
        if seen is None or seen.jpeg is None:
            return
        self._taken = seen
        self._watch.stop()
        self.capture.show_page(seen.jpeg)

    def _retake(self) -> None:
        self._taken = None
        self._last_look = None
        self.capture.show_live(None, None, None)
        self._watch.start()

    def use_picture(self) -> None:
        taken, document_id = self._taken, self._capturing
        if taken is None or taken.jpeg is None or document_id is None:
            return
        if self._bringing is not None:
            self.pages[document_id] = PagePhoto(document_id, taken.jpeg, taken.sharpness)
            self._stop_capture()
            self._bring_next()
            return
        if self.draft is None:
            return
        self.pages[document_id] = PagePhoto(document_id, taken.jpeg, taken.sharpness)
        self.draft.set_document(document_id, DocumentState.PHOTOGRAPHED)
        self._stop_capture()
        self._show_documents()

    def _stop_capture(self) -> None:
        self._watch.stop()
        self._capturing, self._taken, self._last_look = None, None, None
        self.capture.clear()

    # -- signing -------------------------------------------------------------------------

    def _ready(self) -> ReadyApplication | None:
        draft = self.draft
        if draft is None or self._services is None:
            return None
        return ReadyApplication(
            number=self._number(),
            draft=draft,
            pages=[self.pages[d] for d in draft.photographed()],
            identity_check_id=self.identity_check_id,
            language=self._language(),
            resubmission_of=self.resubmission_of,
        )

    def _number(self) -> str:
        if self._made_number is None:
            self._made_number = self._need_services().new_application_number()
        return self._made_number

    def _content_lines(self) -> list[str]:
        draft, holder = self.draft, self.holder
        if draft is None or holder is None or self.kind is None:
            return []
        lines = [
            f"{self.tr('Business')}: {business_name(self.kind)}",
            f"{self.tr('Application number')}: {self._number()}",
            f"{self.tr('Name')}: {mask_name(holder.name)}",
            f"{self.tr('ID number')}: {mask_id_number(holder.id_number)}",
            f"{self.tr('Address')}: {mask_address(holder.address)}",
            f"{self.tr('Account')}: {draft.account_number or '-'}",
        ]
        for form_field in draft.business.fields:
            value = draft.answers.get(form_field.id, "")
            shown = said(CHOICES, value) if form_field.choices else value
            if form_field.id == "phone" and value:
                shown = value[:3] + "****" + value[-4:]
            lines.append(f"{said(FIELDS, form_field.id)}: {shown}")
        for need in draft.business.documents:
            state = draft.documents[need.id]
            lines.append(f"{said(DOCUMENTS, need.id)}: {self.documents.state_words(state)}")
        if draft.promised():
            lines.append(
                self.tr(
                    "I promise to bring the documents marked promised within 30 days "
                    "(commitment letter)."
                )
            )
        lines.append(self.tr("I confirm the above is true and apply for this business."))
        return lines

    def sign_and_submit(self) -> None:
        ready = self._ready()
        pad = self.sign.pad
        if ready is None:
            return
        if not pad.looks_signed():
            self.sign.status.show_message(self.tr("Please sign in the box first."))
            return
        self.sign.sign_button.setEnabled(False)
        self.sign.status.show_busy(self.tr("Submitting your application…"))
        strokes, png, size = pad.strokes, pad.png(), (pad.width(), pad.height())
        self._run(self._submit, ready, strokes, png, size, on_result=self._submitted,
                  on_error=self._not_submitted, timeout_s=self._timeout_s + 20)  # fmt: skip

    def _submit(
        self, ready: ReadyApplication, strokes: Any, png: bytes, size: tuple[int, int]
    ) -> Submitted:
        services = self._need_services()
        content = services.application_content(ready)
        ready.signature = SignedPad(
            strokes=strokes,
            width=max(50, size[0]),
            height=max(50, size[1]),
            png=png,
            content_sha256=hashlib.sha256(content).hexdigest(),
            signed_at=dt.datetime.now(dt.UTC),
        )
        return services.submit_application(ready)

    def _submitted(self, submitted: Submitted) -> None:
        self.submitted = submitted
        self.done.show_submitted(
            submitted.number,
            slip_qr_text(submitted.number),
            printed=submitted.slip_printed,
            queued=submitted.queued_only,
        )
        # What was made is in the queue now (sealed): the screens keep only the number.
        self._forget_application()
        self.sig_show_screen.emit(self.done.name)

    def _not_submitted(self, error: BaseException) -> None:
        self.sign.sign_button.setEnabled(True)
        self.sign.status.show_message(
            self.tr("Your application could not be submitted: %1").replace("%1", str(error))
        )

    # -- following an application ---------------------------------------------------------

    def open_follow(self) -> None:
        self.clear()
        self.follow.clear()
        self.sig_show_screen.emit(self.follow.name)

    def slip_scanned(self, text: str) -> None:
        """An application's slip shown to the scanner, from any screen."""
        self.open_follow()
        self.follow_number(text)

    def follow_number(self, text: str) -> None:
        """Find one application: typed, scanned from the slip (its prefix taken off), or
        picked from the card's list."""
        self._forget_brought()  # a photograph not finished for another one is dropped
        self.follow.status.show_busy(self.tr("Looking up your application…"))
        self._run(self._need_services().application_progress, text,
                  on_result=self._show_progress, on_error=self._follow_failed)  # fmt: skip

    def _follow_card(self, id_number: str) -> None:
        self.follow.status.show_busy(self.tr("Looking up your applications…"))
        self._run(self._need_services().applications_for_id_number, id_number,
                  on_result=self._show_applications, on_error=self._follow_failed)  # fmt: skip

    def _show_applications(self, found: list[Progress]) -> None:
        if not found:
            self.follow.status.show_message(self.tr("No application was found for this ID card."))
            return
        entries = []
        for progress in found:
            stage = (
                said(STAGES, progress.stage.value)
                if isinstance(progress, ApplicationProgress)
                else self.tr("waiting to be sent")
            )
            entries.append(
                (progress.number, f"{business_name(progress.kind)}   {progress.number}   {stage}")
            )
        self.follow.show_list(entries)

    def _show_progress(self, progress: Progress) -> None:
        self._shown = progress
        rejected = isinstance(progress, ApplicationProgress) and progress.stage.value == "rejected"
        wanted = (
            isinstance(progress, ApplicationProgress)
            and progress.stage.value == "more_documents"
            and bool(progress.wanted)
        )
        self.follow.show_timeline(
            self.timeline_lines(progress, _today()),
            may_apply_again=rejected,
            may_bring=wanted and self._bringing is None,
        )

    def bring_documents(self) -> None:
        """The documents staff asked for on the application shown, photographed one after the
        other and sent with it (queued: it goes when the link is there)."""
        shown = self._shown
        if not isinstance(shown, ApplicationProgress) or not shown.wanted:
            return
        self._bringing, self._still_wanted, self.pages = shown.number, list(shown.wanted), {}
        self._bring_next()

    def _bring_next(self) -> None:
        if self._still_wanted:
            self.photograph(self._still_wanted.pop(0))
            return
        number, pages = self._bringing, list(self.pages.values())
        self.sig_show_screen.emit(self.follow.name)
        if number is None or not pages:
            return
        self.follow.bring_button.setVisible(False)
        self.follow.status.show_busy(self.tr("Sending your documents…"))
        self._run(self._need_services().add_documents, number, pages,
                  on_result=lambda _none: self._brought(number),
                  on_error=self._not_brought)  # fmt: skip

    def _brought(self, number: str) -> None:
        self._forget_brought()
        self.follow_number(number)
        self.follow.status.show_message(
            self.tr("Sent with your application: staff will look at it. Thank you.")
        )

    def _not_brought(self, error: BaseException) -> None:
        self._forget_brought()
        self.follow.status.show_message(
            self.tr("Your documents could not be sent: %1").replace("%1", str(error))
        )

    def _forget_brought(self) -> None:
        self._bringing, self._still_wanted, self.pages = None, [], {}

    def apply_again(self) -> None:
        """The rejected application shown, made again: the same business, a new number, linked
        to the old one so staff see why it comes back."""
        shown = self._shown
        if not isinstance(shown, ApplicationProgress):
            return
        self.choose(shown.kind)
        self.resubmission_of = shown.number

    def timeline_lines(self, progress: Progress, today: dt.date) -> list[str]:
        lines = [f"{business_name(progress.kind)}   {progress.number}"]
        if isinstance(progress, WaitingHere):
            lines.append(
                self.tr(
                    "Made here and kept safely: it is sent when the link to the center is back."
                )
            )
            return lines
        lines.append(f"{self.tr('Now')}: {said(STAGES, progress.stage.value)}")
        for node in progress.nodes:
            at = node.at.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M")
            note = f"  ({node.note})" if node.note and node.stage.value != "more_documents" else ""
            lines.append(f"  {at}  {said(STAGES, node.stage.value)}{note}")
        if progress.limit is not None:
            lines.append(
                self.tr("Time limit: day %1 of %2 working days, due %3")
                .replace("%1", str(progress.limit.used_days))
                .replace("%2", str(progress.limit.limit_days))
                .replace("%3", progress.limit.due.isoformat())
            )
        if progress.wanted:
            wanted = ", ".join(said(DOCUMENTS, d) for d in progress.wanted)
            lines.append(
                self.tr("Staff ask for: %1. Bring it to any station or the hall.").replace(
                    "%1", wanted
                )
            )
        if progress.reason:
            lines.append(self.tr("Why it was not approved: %1").replace("%1", progress.reason))
            lines.append(self.tr("You may apply again from the business menu."))
        if progress.visit_at is not None:
            visit = progress.visit_at.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M")
            lines.append(self.tr("Site visit: %1").replace("%1", visit))
        if progress.valid_until is not None:
            lines.append(self.tr("Valid until %1").replace("%1", progress.valid_until.isoformat()))
            if renewal_due(progress.valid_until, today):
                lines.append(self.tr("Renew it now: choose it again in the business menu."))
        return lines

    def _follow_failed(self, error: BaseException) -> None:
        problem = getattr(error, "problem", None)
        words = {
            "invalid_number": self.tr("That is not an application number. Please check your slip."),
            "not_found": self.tr("No application has this number."),
        }.get(
            getattr(problem, "value", ""),
            self.tr("The center cannot be reached now. Please try again later."),
        )
        self.follow.status.show_message(words)

    # -- the rest --------------------------------------------------------------------------

    def _cost_words(self, kind: str) -> str:
        services = self._services
        library = services.reference if services is not None else None
        if library is not None:
            for guide in library.knowledge().guides:
                if guide.id == kind and guide.cost is not None:
                    return in_language(Said(guide.cost.zh, guide.cost.en))
        return in_language(Said("免费。", "Free."))

    def _need_services(self) -> UseCases:
        if self._services is None:
            raise RuntimeError("no services: business needs the kiosk's services")
        return self._services

    def _run(self, work: Any, *args: object, on_result: Any, on_error: Any,
             timeout_s: float | None = None) -> None:  # fmt: skip
        self._tasks.run(
            work, *args, timeout_s=timeout_s or self._timeout_s,
            on_result=on_result, on_error=on_error,
        )  # fmt: skip

    def _forget_application(self) -> None:
        self._stop_capture()
        self.face_check.stop()
        self.identity_check_id = None
        self._forget_brought()
        self.draft, self.holder, self.accounts, self.pages = None, None, [], {}
        self._made_number = None
        for screen in (self.form, self.documents, self.sign, self.start):
            screen.clear()

    def clear(self) -> None:
        """Forget the application, the card and every picture: the session ended."""
        self._forget_application()
        self.kind, self.submitted, self.resubmission_of, self._shown = None, None, None, None
        self.done.clear()
