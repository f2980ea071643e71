"""The businesses a resident can start at the kiosk: what each needs, and the application made.

Pure rules: no Qt, no I/O, no clock (days and random bytes are passed in). The words a resident
reads (names of documents, choices) live in the UI's translations; here are ids only.

一证受理: with the ID card alone an application is accepted. A document that is missing may be
promised by a signed commitment letter (承诺书) where `promise_allowed`; a document the center
already holds for the person is not asked for again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

# The number's rule is shared with the center; the kiosk's code knows it by these names too.
from rules.application_number import APPLICATION_NUMBER as APPLICATION_NUMBER
from rules.application_number import SLIP_QR_PREFIX as SLIP_QR_PREFIX
from rules.application_number import is_application_number
from rules.application_number import new_application_number as new_application_number


# The kinds and the slip's prefix are the protocol's too (sync.protocol.business): the domain
# imports no protocol, and a unit test holds the two alike.
class ApplicationKind(StrEnum):
    """The businesses a resident starts at the kiosk; the ids are the guides' ids."""

    CHANGE_HOLDER = "change-holder"  # 更名过户
    MULTI_PERSON = "multi-person"  # 一户多人口
    CAPACITY = "capacity"  # 增容
    METER_CHECK = "meter-check"  # 电能表校验
    EV_CHARGER = "ev-charger"  # 充电桩报装
    ROOFTOP_PV = "rooftop-pv"  # 分布式光伏
    REAL_NAME = "real-name"  # 实名制登记
    FAULT_REPORT = "fault-report"  # 报修


# Crockford's base 32: no I, L, O, U, so a number typed from a slip is not misread.
MULTI_PERSON_VALID_YEARS = 2
MULTI_PERSON_MIN_MEMBERS = 5
RENEWAL_WARNING_DAYS = 60


class FieldKind(StrEnum):
    NUMBER = "number"  # typed on the number pad
    CHOICE = "choice"  # one of `choices`, big buttons
    TEXT = "text"  # short text (a parking space "B2-118"): letters and digits


@dataclass(frozen=True, slots=True)
class FormField:
    """A field the resident gives; the card's and the account's fields are filled by the kiosk."""

    id: str
    kind: FieldKind
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    optional: bool = False

    def problem(self, value: str | None) -> str | None:
        """Why a value will not do (an English key the UI translates), None when it will."""
        if value is None or value == "":
            return None if self.optional else "required"
        if self.kind is FieldKind.CHOICE and value not in self.choices:
            return "not_a_choice"
        if self.kind is FieldKind.NUMBER:
            if not value.isdigit():
                return "not_a_number"
            number = int(value)
            if self.minimum is not None and number < self.minimum:
                return "too_small"
            if self.maximum is not None and number > self.maximum:
                return "too_large"
        if self.kind is FieldKind.TEXT and (len(value) > 40 or not value.isprintable()):
            return "too_long"
        return None


@dataclass(frozen=True, slots=True)
class DocumentNeed:
    id: str
    promise_allowed: bool = False  # a signed commitment letter may stand in for it
    optional: bool = False  # asked for, but the application goes without it (a fault photo)


@dataclass(frozen=True, slots=True)
class Business:
    kind: ApplicationKind
    documents: tuple[DocumentNeed, ...]
    fields: tuple[FormField, ...] = ()
    needs_account: bool = True
    cost: Decimal = Decimal("0.00")
    # Real-name verification first: the card's holder must be the person at the kiosk.
    needs_identity_check: bool = True

    def document(self, document_id: str) -> DocumentNeed:
        for need in self.documents:
            if need.id == document_id:
                return need
        raise KeyError(document_id)


_PHONE = FormField("phone", FieldKind.NUMBER)  # for the SMS at each node; checked by rules.phone

CATALOGUE: dict[ApplicationKind, Business] = {
    business.kind: business
    for business in (
        Business(
            ApplicationKind.CHANGE_HOLDER,
            (DocumentNeed("ownership-proof", promise_allowed=True),),
            (_PHONE,),
        ),
        Business(
            ApplicationKind.MULTI_PERSON,
            (DocumentNeed("household-register"),),
            (
                _PHONE,
                FormField(
                    "members", FieldKind.NUMBER, minimum=MULTI_PERSON_MIN_MEMBERS, maximum=30
                ),
            ),
        ),
        Business(
            ApplicationKind.CAPACITY,
            (DocumentNeed("ownership-proof", promise_allowed=True),),
            (_PHONE, FormField("capacity_kw", FieldKind.CHOICE, ("10", "16", "20", "25"))),
        ),
        Business(
            ApplicationKind.METER_CHECK,
            (),
            (_PHONE, FormField("reason", FieldKind.CHOICE, ("too_fast", "too_slow", "display"))),
        ),
        Business(
            ApplicationKind.EV_CHARGER,
            (
                DocumentNeed("parking-proof", promise_allowed=True),
                DocumentNeed("property-consent", promise_allowed=True),
            ),
            (
                _PHONE,
                FormField("charger_kw", FieldKind.CHOICE, ("7", "11")),
                FormField("parking_space", FieldKind.TEXT),
            ),
        ),
        Business(
            ApplicationKind.ROOFTOP_PV,
            (
                DocumentNeed("ownership-proof", promise_allowed=True),
                DocumentNeed("roof-consent", promise_allowed=True),
            ),
            (
                _PHONE,
                FormField("pv_kw", FieldKind.NUMBER, minimum=1, maximum=50),
                FormField("pv_mode", FieldKind.CHOICE, ("surplus_to_grid", "all_to_grid")),
            ),
        ),
        Business(ApplicationKind.REAL_NAME, (), (_PHONE,)),
        Business(
            ApplicationKind.FAULT_REPORT,
            (DocumentNeed("fault-photo", optional=True),),
            (
                _PHONE,
                FormField(
                    "fault", FieldKind.CHOICE, ("no_power", "flicker", "meter", "wire", "other")
                ),
                FormField("location", FieldKind.CHOICE, ("home", "building", "street")),
            ),
            # A fault is reported from the card alone: an outage cannot wait for a face check.
            needs_identity_check=False,
        ),
    )
}


# -- the application being made --------------------------------------------------------------


class DocumentState(StrEnum):
    MISSING = "missing"
    PHOTOGRAPHED = "photographed"
    PROMISED = "promised"  # a commitment letter stands in
    ON_FILE = "on_file"  # the center has it already
    SKIPPED = "skipped"  # optional and not given


@dataclass
class Draft:
    """An application while the resident makes it; dropped when the session ends."""

    business: Business
    card_fields: dict[str, str]  # name, id_number, address: from the card, never typed
    account_number: str | None = None
    answers: dict[str, str] = field(default_factory=dict)
    documents: dict[str, DocumentState] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for need in self.business.documents:
            self.documents.setdefault(need.id, DocumentState.MISSING)

    def know_on_file(self, on_file: set[str]) -> None:
        """The center's documents for this person: those are not asked for again."""
        for need in self.business.documents:
            if need.id in on_file and self.documents[need.id] is DocumentState.MISSING:
                self.documents[need.id] = DocumentState.ON_FILE

    def still_wanted(self) -> list[DocumentNeed]:
        """Documents to photograph (or promise) before signing, in the guide's order."""
        return [
            need
            for need in self.business.documents
            if self.documents[need.id] is DocumentState.MISSING
        ]

    def set_document(self, document_id: str, state: DocumentState) -> None:
        need = self.business.document(document_id)
        if state is DocumentState.PROMISED and not need.promise_allowed:
            raise ValueError(f"a commitment letter cannot stand in for {document_id}")
        if state is DocumentState.SKIPPED and not need.optional:
            raise ValueError(f"{document_id} cannot be left out")
        self.documents[document_id] = state

    def problems(self) -> dict[str, str]:
        """Each field or document not yet good enough, with why; empty when it may be signed."""
        found = {}
        for form_field in self.business.fields:
            problem = form_field.problem(self.answers.get(form_field.id))
            if problem:
                found[form_field.id] = problem
        if self.business.needs_account and not self.account_number:
            found["account_number"] = "required"
        for need in self.still_wanted():
            found[need.id] = "missing"
        return found

    def form(self) -> dict[str, str]:
        """Everything the application says, as the center receives it (免填单: filled here)."""
        return {**self.card_fields, **{k: v for k, v in self.answers.items() if v}}

    def photographed(self) -> list[str]:
        return self._in(DocumentState.PHOTOGRAPHED)

    def promised(self) -> list[str]:
        return self._in(DocumentState.PROMISED)

    def on_file(self) -> list[str]:
        return self._in(DocumentState.ON_FILE)

    def _in(self, state: DocumentState) -> list[str]:
        return [doc for doc, now in self.documents.items() if now is state]


# -- numbers ---------------------------------------------------------------------------------


def normalise_application_number(text: str) -> str | None:
    """A typed or scanned number as the center knows it, or None when it cannot be one.

    Forgiving where people slip (lower case, spaces, O for 0, I or L for 1), strict on the check
    character, so a mistyped number is told at once, not looked up.
    """
    text = text.strip()
    if text.startswith(SLIP_QR_PREFIX):
        text = text[len(SLIP_QR_PREFIX) :]
    text = text.upper().replace(" ", "").replace("-", "")
    if text.startswith("SQ"):
        head, rest = "SQ", text[2:]
    else:
        return None
    rest = rest.translate(str.maketrans("OIL", "011"))
    number = head + rest
    return number if is_application_number(number) else None


def slip_qr_text(number: str) -> str:
    return SLIP_QR_PREFIX + number


def content_sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# -- renewal ---------------------------------------------------------------------------------


def renewal_due(valid_until: dt.date | None, today: dt.date) -> bool:
    """Whether an approval (一户多人口, valid two years) should be renewed now."""
    return valid_until is not None and (valid_until - today).days <= RENEWAL_WARNING_DAYS


def multi_person_valid_until(approved_on: dt.date) -> dt.date:
    try:
        return approved_on.replace(year=approved_on.year + MULTI_PERSON_VALID_YEARS)
    except ValueError:  # approved on 29 February
        return approved_on.replace(year=approved_on.year + MULTI_PERSON_VALID_YEARS, day=28)
