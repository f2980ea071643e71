"""The VAT invoice form for one past payment: the organisation's title, its tax number typed on
keys with the letters a tax number uses, pick-up at this station or e-mail, and the phone for
the SMS when it is ready. The controller checks it (kiosk.services.history.vat_request) and
gives back what is wrong; this screen says it in the resident's words."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.history import VatForm, VatFormProblem
from kiosk.services.screen_types import Delivery
from kiosk.ui.widgets import Screen, button, label, scrolling
from rules.tax_number import ALPHABET


class VatFormScreen(Screen):
    name = "vat_form"

    sig_submit = Signal(object)
    """(VatForm)"""
    sig_back = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.payment_id = ""
        self.station = ""
        self.title_label = label("title")
        self.problem = label("message")
        self.problem.hide()
        self.org_title = QLineEdit()
        self.tax_number = QLineEdit()
        self.email = QLineEdit()
        self.phone = QLineEdit()
        self.pick_up = QRadioButton()
        self.by_email = QRadioButton()
        self.pick_up.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.pick_up)
        group.addButton(self.by_email)
        self.keys: dict[str, object] = {}
        keys = QGridLayout()
        for index, char in enumerate(ALPHABET):
            key = button("key", char)
            key.clicked.connect(lambda _=False, c=char: self._type(c))
            keys.addWidget(key, index // 8, index % 8)
            self.keys[char] = key
        self.delete_key = button("key", "⌫")
        self.delete_key.clicked.connect(self.tax_number.backspace)
        keys.addWidget(self.delete_key, 3, 7)
        self.submit_button = button("primary")
        self.back_button = button("secondary")
        self.submit_button.clicked.connect(self._submit)
        self.back_button.clicked.connect(self.sig_back)
        self.labels = {name: label() for name in ("org", "tax", "email", "phone")}
        # The form scrolls between the title and the buttons: in large text it is taller than
        # a landscape screen.
        form = QWidget()
        layout = QVBoxLayout(form)
        for name, field in (("org", self.org_title), ("tax", self.tax_number)):
            layout.addWidget(self.labels[name])
            layout.addWidget(field)
        layout.addLayout(keys)
        delivery = QHBoxLayout()
        delivery.addWidget(self.pick_up)
        delivery.addWidget(self.by_email)
        layout.addLayout(delivery)
        for name, field in (("email", self.email), ("phone", self.phone)):
            layout.addWidget(self.labels[name])
            layout.addWidget(field)
        actions = QHBoxLayout()
        actions.addWidget(self.back_button)
        actions.addStretch(1)
        actions.addWidget(self.submit_button)
        page = QVBoxLayout(self)
        page.addWidget(self.title_label)
        page.addWidget(self.problem)
        page.addWidget(scrolling(form), 1)
        page.addLayout(actions)
        self.retranslate()

    def start(self, payment_id: str, station: str) -> None:
        self.clear()
        self.payment_id, self.station = payment_id, station

    def _type(self, char: str) -> None:
        if len(self.tax_number.text().replace(" ", "")) < 20:
            self.tax_number.insert(char)

    def _submit(self) -> None:
        self.sig_submit.emit(
            VatForm(
                payment_id=self.payment_id,
                title=self.org_title.text(),
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
                "Please enter the company's full name, as on its licence."
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

    def clear(self) -> None:
        for field in (self.org_title, self.tax_number, self.email, self.phone):
            field.clear()
        self.pick_up.setChecked(True)
        self.show_problem(None)
        self.payment_id = ""

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
