"""The VAT invoice form for one past payment, made for a touch screen: the tax number typed on
keys with the letters a tax number uses, the organisation's title filled from it (the center's
register: nobody types a company's Chinese name here), pick-up at this station or e-mail, and
the phone for the SMS when it is ready, each typed on its own keys. The controller checks the
form (kiosk.services.history.vat_request) and gives back what is wrong; this screen says it in
the resident's words."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.history import VatForm, VatFormProblem
from kiosk.services.screen_types import Delivery
from kiosk.ui.widgets import Screen, button, label, scrolling, set_role
from rules.tax_number import ALPHABET, normalise, tax_number_problem

# The keys each field is typed on, and how long it may grow.
KEYS = {
    "tax": (ALPHABET, 20),
    "email": ("abcdefghijklmnopqrstuvwxyz0123456789@._-", 60),
    "phone": ("0123456789", 11),
}
COLUMNS = 8  # as wide as a portrait screen allows at large text


class _Field(QLineEdit):
    """A field typed on the screen's own keys: touching it chooses it (no system keyboard)."""

    sig_touched = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setReadOnly(True)

    def mousePressEvent(self, event: Any) -> None:
        self.sig_touched.emit()
        super().mousePressEvent(event)


class VatFormScreen(Screen):
    name = "vat_form"

    sig_submit = Signal(object)
    """(VatForm)"""
    sig_back = Signal()
    sig_tax_number_typed = Signal(str)
    """(tax number): a whole, well-formed tax number is typed: find its organisation's title."""

    def __init__(self) -> None:
        super().__init__()
        self.payment_id = ""
        self.station = ""
        self.registered_title = ""  # from the center's register, for the tax number typed
        self.title_label = label("title")
        self.problem = label("message")
        self.problem.hide()
        self.org_title = label("display")
        self.tax_number, self.email, self.phone = _Field(), _Field(), _Field()
        self.fields = {"tax": self.tax_number, "email": self.email, "phone": self.phone}
        # Two big buttons, one of them chosen: a radio button's dot is too small to touch.
        self.pick_up, self.by_email = button("choice"), button("choice")
        for choice in (self.pick_up, self.by_email):
            choice.setCheckable(True)
        self.pick_up.setChecked(True)
        group = QButtonGroup(self)
        group.setExclusive(True)
        group.addButton(self.pick_up)
        group.addButton(self.by_email)
        self.by_email.toggled.connect(lambda on: self.choose("email" if on else "phone"))
        self.pads: dict[str, QWidget] = {}
        self.pad_keys: dict[str, dict[str, QPushButton]] = {}
        self.delete_keys: dict[str, QPushButton] = {}
        for name, field in self.fields.items():
            self.pads[name] = self._pad(name)
            field.sig_touched.connect(lambda n=name: self.choose(n))
        self.keys = self.pad_keys["tax"]  # the tax number's keys
        self.delete_key = self.delete_keys["tax"]
        self.current = "tax"
        self.submit_button = button("primary")
        self.back_button = button("secondary")
        self.submit_button.clicked.connect(self._submit)
        self.back_button.clicked.connect(self.sig_back)
        self.labels = {name: label() for name in ("org", "tax", "email", "phone")}
        # The form scrolls between the title and the buttons: in large text it is taller than
        # a landscape screen.
        form = QWidget()
        layout = QVBoxLayout(form)
        layout.addWidget(self.labels["tax"])
        layout.addWidget(self.tax_number)
        layout.addWidget(self.pads["tax"])
        layout.addWidget(self.labels["org"])
        layout.addWidget(self.org_title)
        layout.addWidget(self.labels["phone"])
        layout.addWidget(self.phone)
        layout.addWidget(self.pads["phone"])
        delivery = QHBoxLayout()
        delivery.addWidget(self.pick_up)
        delivery.addWidget(self.by_email)
        layout.addLayout(delivery)
        layout.addWidget(self.labels["email"])  # shown only when it is sent by e-mail
        layout.addWidget(self.email)
        layout.addWidget(self.pads["email"])
        actions = QHBoxLayout()
        actions.addWidget(self.back_button)
        actions.addStretch(1)
        actions.addWidget(self.submit_button)
        page = QVBoxLayout(self)
        page.addWidget(self.title_label)
        page.addWidget(self.problem)
        self._scroll = scrolling(form)
        page.addWidget(self._scroll, 1)
        page.addLayout(actions)
        self.retranslate()
        self.choose("tax")

    def _pad(self, name: str) -> QWidget:
        chars, _longest = KEYS[name]
        pad = QWidget()
        grid = QGridLayout(pad)
        grid.setContentsMargins(0, 0, 0, 0)
        keys: dict[str, QPushButton] = {}
        for index, char in enumerate(chars):
            key = button("key", char)
            key.clicked.connect(lambda _=False, n=name, c=char: self.type(n, c))
            grid.addWidget(key, index // COLUMNS, index % COLUMNS)
            keys[char] = key
        delete = button("key", "⌫")
        delete.clicked.connect(lambda _=False, n=name: self.type(n, None))
        grid.addWidget(delete, len(chars) // COLUMNS, len(chars) % COLUMNS)
        self.pad_keys[name], self.delete_keys[name] = keys, delete
        return pad

    def choose(self, name: str) -> None:
        """Type into this field from now on: its keys shown, the others' hidden."""
        self.current = name
        for field_name, pad in self.pads.items():
            pad.setVisible(field_name == name)
            set_role(self.fields[field_name], "chosen" if field_name == name else "")
        by_email = self.by_email.isChecked()
        self.email.setVisible(by_email)
        self.labels["email"].setVisible(by_email)
        # The chosen field and its keys in view, once the layout has placed them.
        QTimer.singleShot(0, self, lambda: self._scroll.ensureWidgetVisible(self.pads[name], 0, 0))

    def type(self, name: str, char: str | None) -> None:
        """One key on `name`'s keys: a character, or None to take the last one back."""
        field = self.fields[name]
        text = field.text()
        if char is None:
            field.setText(text[:-1])
        elif len(text) < KEYS[name][1]:
            field.setText(text + char)
        if name == "tax":
            self._tax_number_changed()

    def _tax_number_changed(self) -> None:
        self.show_title(None, looking=False)
        number = normalise(self.tax_number.text())
        if tax_number_problem(number) is None:
            self.show_title(None, looking=True)
            self.sig_tax_number_typed.emit(number)

    def show_title(self, title: str | None, *, looking: bool = False) -> None:
        """The registered title for the tax number typed (None: not found, or not yet)."""
        self.registered_title = title or ""
        if title:
            self.org_title.setText(title)
        elif looking:
            self.org_title.setText(self.tr("Finding the company…"))
        elif tax_number_problem(normalise(self.tax_number.text())) is None:
            self.org_title.setText(
                self.tr("No company has this tax number. Please check it, or ask staff.")
            )
        else:
            self.org_title.setText(self.tr("Filled in from the tax number."))

    def _submit(self) -> None:
        self.sig_submit.emit(
            VatForm(
                payment_id=self.payment_id,
                title=self.registered_title,
                tax_number=self.tax_number.text(),
                delivery=Delivery.EMAIL if self.by_email.isChecked() else Delivery.PICK_UP,
                station=self.station,
                email=self.email.text(),
                phone=self.phone.text(),
            )
        )

    def show_problem(self, problem: VatFormProblem | None) -> None:
        words = {
            VatFormProblem.TITLE: self.tr(
                "Type the company's tax number: its name is filled in from it."
            ),
            VatFormProblem.TAX_NUMBER_LENGTH: self.tr(
                "A tax number has 18 characters (older ones 15, 17 or 20). Please count again."
            ),
            VatFormProblem.TAX_NUMBER_CHARACTERS: self.tr(
                "A tax number has digits and capital letters, never I, O, Z, S or V."
            ),
            VatFormProblem.TAX_NUMBER_CHECK: self.tr(
                "This tax number has a typing mistake somewhere. Please compare it with the "
                "company's licence."
            ),
            VatFormProblem.STATION: self.tr(
                "This station cannot hand out invoices: choose e-mail."
            ),
            VatFormProblem.EMAIL: self.tr("Please check the e-mail address."),
            VatFormProblem.PHONE: self.tr("Please enter a mobile number for the SMS."),
        }
        self.problem.setText(words[problem] if problem else "")
        self.problem.setVisible(problem is not None)

    def show_done(self, request_id: str) -> None:
        self.problem.setText(
            self.tr("Asked for: {0}. We will send you an SMS when it is ready.").format(request_id)
        )
        self.problem.show()

    def start(self, payment_id: str, station: str) -> None:
        self.clear()
        self.payment_id, self.station = payment_id, station

    def clear(self) -> None:
        for field in self.fields.values():
            field.clear()
        self.pick_up.setChecked(True)
        self.show_title(None)
        self.show_problem(None)
        self.payment_id = ""
        self.choose("tax")

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("VAT invoice for this payment"))
        self.labels["org"].setText(self.tr("Company name (invoice title)"))
        self.labels["tax"].setText(self.tr("Tax number (unified social credit code)"))
        self.labels["email"].setText(self.tr("E-mail (if sent by e-mail)"))
        self.labels["phone"].setText(self.tr("Mobile number: we send an SMS when it is ready"))
        self.pick_up.setText(self.tr("Pick it up at this station"))
        self.by_email.setText(self.tr("Send it by e-mail"))
        self.submit_button.setText(self.tr("Ask for the invoice"))
        self.back_button.setText(self.tr("Back"))
        self.show_title(self.registered_title or None)
