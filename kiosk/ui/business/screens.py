"""The business screens (一证受理, 免填单): pick a business, see what it needs, place the ID card,
check the form filled from it, photograph or promise each document, read and sign, done.

The screens only show and collect; `BusinessFlow` (flow.py) holds the application and talks to
the services. What is personal is shown masked, and every screen forgets it on `clear()`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, Qt, Signal
from PySide6.QtGui import QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.applications import CATALOGUE, ApplicationKind, DocumentState, FieldKind
from kiosk.ui.business.signature_pad import SignaturePad
from kiosk.ui.business.words import CHOICES, DOCUMENTS, FIELDS, business_name, said
from kiosk.ui.camera_picture import CameraPicture, camera_image
from kiosk.ui.pictures import QrPicture
from kiosk.ui.widgets import (
    Facts,
    Keypad,
    Screen,
    StatusLine,
    across,
    button,
    card,
    label,
    scrolling,
    set_role,
)

# The order residents meet them in: the commonest first.
MENU_ORDER = (
    ApplicationKind.FAULT_REPORT,
    ApplicationKind.CHANGE_HOLDER,
    ApplicationKind.MULTI_PERSON,
    ApplicationKind.CAPACITY,
    ApplicationKind.METER_CHECK,
    ApplicationKind.REAL_NAME,
    ApplicationKind.EV_CHARGER,
    ApplicationKind.ROOFTOP_PV,
)


def column(screen: QWidget, *, side: int, top: int, spacing: int) -> QVBoxLayout:
    """A business screen's one column, with room at its edges."""
    layout = QVBoxLayout(screen)
    layout.setContentsMargins(side, top, side, top)
    layout.setSpacing(spacing)
    return layout


def titled(layout: QBoxLayout) -> tuple[QLabel, QLabel]:
    """The screen's title and, under it, the line that says what to do."""
    title, hint = label("title"), label()
    layout.addWidget(title)
    layout.addWidget(hint)
    return title, hint


class BusinessMenuScreen(Screen):
    name = "business_menu"

    sig_chosen = Signal(str)
    """(kind): the business the resident wants to do."""

    sig_follow = Signal()
    """(): the resident wants to follow an application made before."""

    def __init__(self) -> None:
        super().__init__()
        layout = column(self, side=60, top=30, spacing=20)
        self.title, self.hint = titled(layout)
        self._grid = QGridLayout()
        self._grid.setSpacing(20)
        self.tiles: dict[str, QPushButton] = {}
        for kind in MENU_ORDER:
            tile = button("primary" if kind is ApplicationKind.FAULT_REPORT else "")
            tile.setMinimumHeight(110)
            tile.clicked.connect(lambda _=False, k=kind.value: self.sig_chosen.emit(k))
            self.tiles[kind.value] = tile
        self._portrait = False
        self._place_tiles()
        layout.addLayout(self._grid, 1)
        self.follow_button = button("")
        self.follow_button.clicked.connect(self.sig_follow)
        layout.addWidget(self.follow_button)
        self.retranslate()

    def _place_tiles(self) -> None:
        columns = 2 if self._portrait else 4
        for index, kind in enumerate(MENU_ORDER):
            self._grid.addWidget(self.tiles[kind.value], index // columns, index % columns)

    def set_portrait(self, portrait: bool) -> None:
        self._portrait = portrait
        self._place_tiles()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Business with your ID card"))
        self.hint.setText(
            self.tr("No forms to fill: the kiosk fills them from your ID card. Pick a business.")
        )
        for kind, tile in self.tiles.items():
            tile.setText(business_name(kind))
        self.follow_button.setText(
            self.tr("Follow an application: its number, the QR on its slip, or your ID card")
        )


class BusinessStartScreen(Screen):
    """What the business needs and costs, then: place the ID card."""

    name = "business_start"

    sig_read_card = Signal()
    """(): the resident asks for the card on the reader to be read."""

    def __init__(self) -> None:
        super().__init__()
        layout = column(self, side=60, top=30, spacing=16)
        self.title = label("title")
        self.needs_heading = label("small")
        self.needs = label()
        self.cost_heading = label("small")
        self.cost = label()
        self.card_prompt = label("heading")
        self.status = StatusLine()
        self.read_button = button("")
        self.read_button.clicked.connect(self.sig_read_card)
        for widget in (
            self.title,
            self.needs_heading,
            self.needs,
            self.cost_heading,
            self.cost,
            self.card_prompt,
            self.status,
            self.read_button,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.retranslate()

    def set_business(self, kind: str, needs: Sequence[str], cost: str) -> None:
        self.title.setText(business_name(kind))
        self.needs.setText("\n".join(f"•  {line}" for line in needs))
        self.cost.setText(cost)
        self.status.hide_status()

    def clear(self) -> None:
        self.status.hide_status()

    def retranslate(self) -> None:
        self.needs_heading.setText(self.tr("What it needs:"))
        self.cost_heading.setText(self.tr("What it costs:"))
        self.card_prompt.setText(self.tr("Place your ID card on the reader to begin."))
        self.read_button.setText(self.tr("My card is on the reader: read it"))


class BusinessFormScreen(Screen):
    """The application filled from the card and the account (免填单); only the resident's few
    answers are asked: numbers on the keypad, choices as big buttons, short text on a pad."""

    name = "business_form"

    sig_answer = Signal(str, str)
    """(field id, value): the resident gave or changed an answer."""

    sig_account = Signal(str)
    """(account number): the account the application is for."""

    sig_next = Signal()
    """(): on to the documents."""

    _typed: str  # what is typed into the field being edited

    def __init__(self) -> None:
        super().__init__()
        outer = column(self, side=30, top=20, spacing=12)
        self.title = label("title")
        outer.addWidget(self.title)
        self._split = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._split.setSpacing(30)
        body = QWidget()
        self._body = QVBoxLayout(body)
        self._body.setSpacing(12)
        self.facts = Facts()
        self._body.addWidget(self.facts)
        self._fields = QVBoxLayout()
        self._body.addLayout(self._fields)
        self._body.addStretch(1)
        self._body_scroll = scrolling(body)
        self._body_scroll.setMinimumWidth(560)
        self._split.addWidget(self._body_scroll, 3)
        self.keypad = Keypad()
        self.keypad.sig_digit.connect(lambda digit: self._type(self._typed + digit))
        self.keypad.sig_delete.connect(lambda: self._type(self._typed[:-1]))
        self.keypad.sig_clear.connect(lambda: self._type(""))
        self.keypad.sig_confirm.connect(self.sig_next)
        self.letters = _LetterPad()
        self.letters.sig_key.connect(lambda key: self._type(self._typed + key))
        self.letters.sig_delete.connect(lambda: self._type(self._typed[:-1]))
        side = QVBoxLayout()
        side.addWidget(self.keypad)
        side.addWidget(self.letters)
        side.addStretch(1)
        self._split.addLayout(side, 2)
        outer.addLayout(self._split, 1)
        self.status = StatusLine()
        outer.addWidget(self.status)
        self.next_button = button("primary")
        self.next_button.clicked.connect(self.sig_next)
        outer.addWidget(self.next_button)
        self.field_buttons: dict[str, QPushButton] = {}
        self.choice_buttons: dict[str, dict[str, QPushButton]] = {}
        self.account_buttons: dict[str, QPushButton] = {}
        self._editing = ""
        self._typed = ""
        self._answers: dict[str, str] = {}
        self._kind = ""
        self.retranslate()

    def show_application(
        self,
        kind: str,
        card_rows: Sequence[tuple[str, str]],
        answers: dict[str, str],
        accounts: Sequence[str],
        account: str | None,
    ) -> None:
        """`card_rows`: (caption, masked value) from the card; `accounts`: those to pick from."""
        self._kind, self._answers = kind, dict(answers)
        self.title.setText(business_name(kind))
        self.facts.set_rows([(caption, value, "") for caption, value in card_rows])
        self._rebuild(accounts, account)
        self.status.hide_status()

    def show_problems(self, problems: dict[str, str]) -> None:
        words = [f"{said(FIELDS, key)}: {text}" for key, text in problems.items()]
        self.status.show_message("\n".join(words))

    def _rebuild(self, accounts: Sequence[str], account: str | None) -> None:
        _empty(self._fields)
        self.field_buttons, self.choice_buttons, self.account_buttons = {}, {}, {}
        if len(accounts) > 1:
            row = QWidget()
            accounts_line = QHBoxLayout(row)
            accounts_line.setContentsMargins(0, 0, 0, 0)
            accounts_line.addWidget(label("small", self.tr("Account:")))
            for number in accounts:
                choice = button("primary" if number == account else "", number)
                choice.clicked.connect(lambda _=False, n=number: self.sig_account.emit(n))
                accounts_line.addWidget(choice)
                self.account_buttons[number] = choice
            self._fields.addWidget(row)
        first_typed = ""
        for form_field in CATALOGUE[ApplicationKind(self._kind)].fields:
            row = QWidget()
            stack = QVBoxLayout(row)
            stack.setContentsMargins(0, 0, 0, 0)
            stack.addWidget(label("small", said(FIELDS, form_field.id)))
            line = QGridLayout()
            stack.addLayout(line)
            column = 0
            value = self._answers.get(form_field.id, "")
            if form_field.kind is FieldKind.CHOICE:
                self.choice_buttons[form_field.id] = {}
                for choice_id in form_field.choices:
                    text = said(CHOICES, choice_id)
                    choice = button("primary" if value == choice_id else "", text)
                    choice.clicked.connect(
                        lambda _=False, f=form_field.id, c=choice_id: self.sig_answer.emit(f, c)
                    )
                    line.addWidget(choice, column // 3, column % 3)  # three to a row at most
                    column += 1
                    self.choice_buttons[form_field.id][choice_id] = choice
            else:
                edit = button("key", value or "…")
                edit.setCheckable(True)
                edit.clicked.connect(lambda _=False, f=form_field.id: self.edit(f))
                line.addWidget(edit, 0, 0)
                self.field_buttons[form_field.id] = edit
                first_typed = first_typed or form_field.id
            self._fields.addWidget(row)
        if self._editing not in self.field_buttons:
            self._editing = ""
        self.edit(self._editing or first_typed)

    def edit(self, field_id: str) -> None:
        """Type into `field_id` from now on (the keypad and letters write there)."""
        self._editing = field_id
        self._typed = self._answers.get(field_id, "")
        for other, edit in self.field_buttons.items():
            edit.setChecked(other == field_id)
            set_role(edit, "primary" if other == field_id else "key")
        kind = self._field_kind(field_id)
        self.keypad.setVisible(kind is FieldKind.NUMBER)
        self.letters.setVisible(kind is FieldKind.TEXT)

    def _field_kind(self, field_id: str) -> FieldKind | None:
        if not self._kind:
            return None
        for form_field in CATALOGUE[ApplicationKind(self._kind)].fields:
            if form_field.id == field_id:
                return form_field.kind
        return None

    def _type(self, text: str) -> None:
        if not self._editing:
            return
        self._typed = text[:40]
        self._answers[self._editing] = self._typed
        self.field_buttons[self._editing].setText(self._typed or "…")
        self.sig_answer.emit(self._editing, self._typed)

    def clear(self) -> None:
        self._answers, self._typed, self._editing, self._kind = {}, "", "", ""
        self.facts.set_rows([])
        _empty(self._fields)
        self.field_buttons, self.choice_buttons, self.account_buttons = {}, {}, {}
        self.status.hide_status()

    def set_portrait(self, portrait: bool) -> None:
        self._split.setDirection(across(portrait))
        self._body_scroll.setMinimumWidth(0 if portrait else 560)
        self.letters.set_columns(6 if portrait else 9)

    def retranslate(self) -> None:
        self.next_button.setText(self.tr("Next: documents"))


def _empty(layout: QBoxLayout) -> None:
    """Take every widget out of `layout`, gone now (hidden) and deleted at the next turn."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.deleteLater()


class _LetterPad(QWidget):
    """Digits, letters and a dash for a parking space or a room ("B2-118"), big keys."""

    sig_key = Signal(str)
    """(character): one typed."""

    sig_delete = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._grid = QGridLayout(self)
        self._grid.setSpacing(8)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.keys: dict[str, QPushButton] = {}
        for key in "1234567890ABCDEFGHJKLMNPQRSTUVWXYZ-":
            key_button = button("letter", key)  # the house's touch target, one character wide
            key_button.clicked.connect(lambda _=False, k=key: self.sig_key.emit(k))
            self.keys[key] = key_button
        self.delete_key = button("letter", "⌫")
        self.delete_key.clicked.connect(self.sig_delete)
        self.set_columns(6)

    def set_columns(self, columns: int) -> None:
        """Six across on a tall screen; nine beside the form on a wide one, where six rows of
        large-text keys would be taller than the screen leaves them."""
        for index, key_button in enumerate([*self.keys.values(), self.delete_key]):
            self._grid.removeWidget(key_button)
            self._grid.addWidget(key_button, index // columns, index % columns)


class BusinessDocumentsScreen(Screen):
    """Each document: photograph it, or promise it (承诺书) where allowed; those the center
    holds already are ticked."""

    name = "business_documents"

    sig_photograph = Signal(str)
    """(document id): photograph this one."""

    sig_promise = Signal(str)
    """(document id): a signed commitment letter stands in for it."""

    sig_leave_out = Signal(str)
    """(document id): an optional one, not given."""

    sig_next = Signal()
    """(): on to reading and signing."""

    def __init__(self) -> None:
        super().__init__()
        outer = column(self, side=60, top=20, spacing=14)
        self.title = label("title")
        outer.addWidget(self.title)
        self._rows = QVBoxLayout()
        self._rows.setSpacing(14)
        body = QWidget()
        body.setLayout(self._rows)
        outer.addWidget(scrolling(body), 1)
        self.status = StatusLine()
        outer.addWidget(self.status)
        self.next_button = button("primary")
        self.next_button.clicked.connect(self.sig_next)
        outer.addWidget(self.next_button)
        self.row_buttons: dict[str, dict[str, QPushButton]] = {}
        self.state_labels: dict[str, QLabel] = {}
        self.retranslate()

    def show_documents(self, kind: str, states: dict[str, DocumentState]) -> None:
        _empty(self._rows)
        self.row_buttons, self.state_labels = {}, {}
        business = CATALOGUE[ApplicationKind(kind)]
        if not business.documents:
            self._rows.addWidget(label("", self.tr("This business needs no documents.")))
        for need in business.documents:
            box = card()
            line = QHBoxLayout(box)
            line.setContentsMargins(24, 16, 24, 16)
            line.addWidget(label("heading", said(DOCUMENTS, need.id)), 3)
            state = states.get(need.id, DocumentState.MISSING)
            state_label = label("", self.state_words(state))
            self.state_labels[need.id] = state_label
            line.addWidget(state_label, 2)
            buttons: dict[str, QPushButton] = {}
            if state is not DocumentState.ON_FILE:
                photo = button("primary", self.tr("Photograph it"))
                photo.clicked.connect(lambda _=False, d=need.id: self.sig_photograph.emit(d))
                buttons["photograph"] = photo
                if need.promise_allowed:
                    promise = button("", self.tr("Sign a promise to bring it later"))
                    promise.clicked.connect(lambda _=False, d=need.id: self.sig_promise.emit(d))
                    buttons["promise"] = promise
                if need.optional:
                    leave = button("", self.tr("I have none"))
                    leave.clicked.connect(lambda _=False, d=need.id: self.sig_leave_out.emit(d))
                    buttons["leave_out"] = leave
            for action in buttons.values():
                line.addWidget(action, 2)
            self.row_buttons[need.id] = buttons
            self._rows.addWidget(box)
        self._rows.addStretch(1)
        self.status.hide_status()

    def state_words(self, state: DocumentState) -> str:
        return {
            DocumentState.MISSING: self.tr("Not yet given"),
            DocumentState.PHOTOGRAPHED: self.tr("✔ Photographed"),
            DocumentState.PROMISED: self.tr("✔ Promised (commitment letter)"),
            DocumentState.ON_FILE: self.tr("✔ Already on file: not needed again"),
            DocumentState.SKIPPED: self.tr("Left out"),
        }[state]

    def clear(self) -> None:
        self.show_documents(ApplicationKind.REAL_NAME.value, {})
        self.status.hide_status()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Documents"))
        self.next_button.setText(self.tr("Next: read and sign"))


class DocumentCaptureScreen(Screen):
    """The camera's picture with the page it finds outlined; take it, see it straightened,
    use it or take it again."""

    name = "business_capture"

    sig_take = Signal()
    sig_use = Signal()
    sig_retake = Signal()

    def __init__(self) -> None:
        super().__init__()
        outer = column(self, side=60, top=20, spacing=12)
        self.title, self.hint = titled(outer)
        self.picture = CameraPicture()
        outer.addWidget(self.picture, 1)
        self.status = StatusLine()
        outer.addWidget(self.status)
        buttons = QHBoxLayout()
        self.take_button = button("primary")
        self.take_button.clicked.connect(self.sig_take)
        self.use_button = button("primary")
        self.use_button.clicked.connect(self.sig_use)
        self.retake_button = button("")
        self.retake_button.clicked.connect(self.sig_retake)
        for widget in (self.take_button, self.retake_button, self.use_button):
            buttons.addWidget(widget)
        outer.addLayout(buttons)
        self.showing_page = False
        self.retranslate()
        self.show_live(None, None, None)

    def set_document(self, document_id: str) -> None:
        self.title.setText(self.tr("Photograph: %1").replace("%1", said(DOCUMENTS, document_id)))

    def show_live(
        self,
        picture: object | None,
        corners: Sequence[tuple[float, float]] | None,
        problem: str | None,
    ) -> None:
        """The camera's picture, the page's outline on it, and why it will not do yet."""
        self.showing_page = False
        if picture is not None:
            pixmap = QPixmap.fromImage(camera_image(picture))
            if corners:
                painter = QPainter(pixmap)
                painter.setPen(QPen(Qt.GlobalColor.green, 6))
                painter.drawPolygon(QPolygonF([QPointF(x, y) for x, y in corners]))
                painter.end()
            self.picture.show_pixmap(pixmap)
        else:
            self.picture.clear()
        if picture is None:
            self.status.show_busy(self.tr("Starting the camera…"))
        elif problem is not None:
            self.status.show_message(self.tr(problem))
        else:
            self.status.show_message(self.tr("Page found. Hold still and take the picture."))
        self.take_button.setVisible(True)
        self.take_button.setEnabled(picture is not None and problem is None)
        self.use_button.setVisible(False)
        self.retake_button.setVisible(False)

    def show_page(self, jpeg: bytes) -> None:
        """The page as it will be sent: straightened and cropped."""
        self.showing_page = True
        pixmap = QPixmap()
        pixmap.loadFromData(jpeg, "JPG")
        self.picture.show_pixmap(pixmap)
        self.status.show_message(self.tr("Is the page clear and whole? Use it, or take it again."))
        self.take_button.setVisible(False)
        self.use_button.setVisible(True)
        self.retake_button.setVisible(True)

    def clear(self) -> None:
        self.picture.clear()
        self.showing_page = False

    def retranslate(self) -> None:
        self.hint.setText(
            self.tr("Lay the page flat on the dark mat under the camera, inside the frame.")
        )
        self.take_button.setText(self.tr("Take the picture"))
        self.use_button.setText(self.tr("Use this picture"))
        self.retake_button.setText(self.tr("Take it again"))


# The page problems' words (kiosk.vision.pages.PageProblem), for lupdate to find.
_PAGE_PROBLEMS = (
    QT_TRANSLATE_NOOP(
        "DocumentCaptureScreen",
        "No page found. Lay the page flat inside the frame, on the dark mat.",
    ),
    QT_TRANSLATE_NOOP("DocumentCaptureScreen", "The picture is blurred. Hold still and try again."),
    QT_TRANSLATE_NOOP("DocumentCaptureScreen", "Too dark. Move the page into the light."),
    QT_TRANSLATE_NOOP(
        "DocumentCaptureScreen", "Too much glare. Tilt the page away from the light."
    ),
)


class SignScreen(Screen):
    """The application as it will be filed, and the pad to sign it on."""

    name = "business_sign"

    sig_sign = Signal()
    """(): the resident signed and wants it submitted."""

    def __init__(self) -> None:
        super().__init__()
        outer = column(self, side=60, top=20, spacing=12)
        self.title = label("title")
        outer.addWidget(self.title)
        self.content = label()
        self.content.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        outer.addWidget(scrolling(_wrapped(self.content)), 2)
        self.pad_caption = label("small")
        outer.addWidget(self.pad_caption)
        self.pad = SignaturePad()
        outer.addWidget(self.pad, 2)
        self.status = StatusLine()
        outer.addWidget(self.status)
        buttons = QHBoxLayout()
        self.clear_button = button("")
        self.clear_button.clicked.connect(self.pad.clear)
        self.sign_button = button("primary")
        self.sign_button.clicked.connect(self.sig_sign)
        buttons.addWidget(self.clear_button, 1)
        buttons.addWidget(self.sign_button, 2)
        outer.addLayout(buttons)
        self.retranslate()

    def show_content(self, lines: Sequence[str]) -> None:
        self.content.setText("\n".join(lines))
        self.pad.clear()
        self.status.hide_status()
        self.sign_button.setEnabled(True)

    def clear(self) -> None:
        self.content.setText("")
        self.pad.clear()
        self.status.hide_status()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Read your application, then sign it"))
        self.pad_caption.setText(self.tr("Sign here with your finger:"))
        self.clear_button.setText(self.tr("Clear"))
        self.sign_button.setText(self.tr("Sign and submit"))


def _wrapped(widget: QWidget) -> QWidget:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.addWidget(widget)
    layout.addStretch(1)
    return holder


class BusinessDoneScreen(Screen):
    """The application's number, large; its slip; its QR to photograph."""

    name = "business_done"

    def __init__(self) -> None:
        super().__init__()
        outer = column(self, side=60, top=30, spacing=16)
        self.title = label("title")
        self.number = label("display")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.message = label()
        self.qr = QrPicture(minimum_px=260)
        for widget in (self.title, self.number, self.message):
            outer.addWidget(widget)
        outer.addWidget(self.qr, 1, Qt.AlignmentFlag.AlignHCenter)
        self.qr_caption = label("small")
        outer.addWidget(self.qr_caption)
        self.retranslate()

    def show_submitted(self, number: str, qr_text: str, *, printed: bool, queued: bool) -> None:
        self.number.setText(number)
        self.qr.set_text(qr_text)
        slip = self.tr("Your slip is printed: keep it to follow your application.")
        if not printed:
            slip = self.tr("No slip was printed: photograph the QR code or note the number.")
        sent = self.tr("The center has it. You will get an SMS at each step.")
        if queued:
            sent = self.tr("It is kept safely here and sent when the link to the center is back.")
        parts = [slip, sent]
        self.message.setText(" ".join(parts))

    def clear(self) -> None:
        self.number.setText("")
        self.message.setText("")
        self.qr.set_text("")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Application submitted"))
        self.qr_caption.setText(self.tr("Photograph this QR code to follow your application."))


class FollowScreen(Screen):
    """Where an application stands: asked by its number (typed, or the slip's QR scanned) or by
    the ID card; its timeline, the current stage's time limit, what is wanted, why rejected."""

    name = "business_follow"

    sig_look_up = Signal(str)
    """(typed number): find this application."""

    sig_open = Signal(str)
    """(number): show this one of the card's applications."""

    sig_apply_again = Signal()
    """(): make the rejected application shown again (a new one, linked to it)."""

    sig_bring = Signal()
    """(): photograph, here and now, the documents staff asked for on the application shown."""

    _number: str  # typed so far, "SQ" and what follows

    def __init__(self) -> None:
        super().__init__()
        outer = column(self, side=30, top=20, spacing=12)
        self.title, self.hint = titled(outer)
        self._split = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._split.setSpacing(24)
        entry = QVBoxLayout()
        self.typed = button("key", "SQ")
        self.typed.setEnabled(False)
        entry.addWidget(self.typed)
        self.pad = _LetterPad()
        self.pad.sig_key.connect(lambda key: self._set_typed(self._number + key))
        self.pad.sig_delete.connect(lambda: self._set_typed(self._number[:-1]))
        entry.addWidget(self.pad)
        self.look_up_button = button("primary")
        self.look_up_button.clicked.connect(lambda: self.sig_look_up.emit(self._number))
        entry.addWidget(self.look_up_button)
        entry.addStretch(1)
        self._split.addLayout(entry, 2)
        result = QWidget()
        self._result = QVBoxLayout(result)
        self.status = StatusLine()
        self._result.addWidget(self.status)
        self.timeline = label()
        self._result.addWidget(self.timeline)
        self.apply_again_button = button("primary")
        self.apply_again_button.clicked.connect(self.sig_apply_again)
        self.apply_again_button.setVisible(False)
        self._result.addWidget(self.apply_again_button)
        self.bring_button = button("primary")
        self.bring_button.clicked.connect(self.sig_bring)
        self.bring_button.setVisible(False)
        self._result.addWidget(self.bring_button)
        self._list = QVBoxLayout()
        self._result.addLayout(self._list)
        self._result.addStretch(1)
        self._split.addWidget(scrolling(result), 3)
        outer.addLayout(self._split, 1)
        self.list_buttons: dict[str, QPushButton] = {}
        self._number = "SQ"
        self.retranslate()

    def _set_typed(self, text: str) -> None:
        self._number = text[:17] if text.startswith("SQ") else "SQ"
        self.typed.setText(self._number)

    def show_timeline(
        self, lines: Sequence[str], *, may_apply_again: bool = False, may_bring: bool = False
    ) -> None:
        self._clear_list()
        self.status.hide_status()
        self.timeline.setText("\n".join(lines))
        self.apply_again_button.setVisible(may_apply_again)
        self.bring_button.setVisible(may_bring)

    def show_list(self, entries: Sequence[tuple[str, str]]) -> None:
        """(number, what to show on its button), newest first."""
        self._clear_list()
        self.timeline.setText("")
        self.status.hide_status()
        for number, text in entries:
            entry = button("choice", text)
            entry.clicked.connect(lambda _=False, n=number: self.sig_open.emit(n))
            self._list.addWidget(entry)
            self.list_buttons[number] = entry

    def _clear_list(self) -> None:
        for old in self.list_buttons.values():
            self._list.removeWidget(old)
            old.hide()
            old.deleteLater()
        self.list_buttons = {}

    def clear(self) -> None:
        self._clear_list()
        self.timeline.setText("")
        self.apply_again_button.setVisible(False)
        self.bring_button.setVisible(False)
        self.status.hide_status()
        self._set_typed("SQ")

    def set_portrait(self, portrait: bool) -> None:
        self._split.setDirection(across(portrait))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Follow an application"))
        self.hint.setText(
            self.tr(
                "Type the number on your slip, show the slip's QR code to the scanner, "
                "or place your ID card on the reader."
            )
        )
        self.look_up_button.setText(self.tr("Look it up"))
        self.apply_again_button.setText(self.tr("Apply again, with what was missing"))
        self.bring_button.setText(self.tr("Photograph what staff asked for, here and now"))
