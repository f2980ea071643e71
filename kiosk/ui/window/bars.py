"""The bars around the screens and the banner of the inactivity countdown.

Passive widgets that say their own words: the window wires their buttons.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSizePolicy, QWidget

from kiosk.ui.local_text import CHINESE, ENGLISH, LocalText, local, pick
from kiosk.ui.widgets import Retranslated, button, label
from kiosk.ui.window.display import DisplaySettings

# Named in the language they switch to, so a resident who cannot read the other one finds it.
_LANGUAGE_BUTTON = {CHINESE: "English", ENGLISH: "中文"}


class TopBar(Retranslated, QFrame):
    """The station's name, the time, and the language and text-size switches."""

    def __init__(self, station_name: str | LocalText, display: DisplaySettings) -> None:
        super().__init__()
        self._display = display
        self._station_name = local(station_name)
        self.setProperty("role", "bar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 8)
        layout.setSpacing(16)
        self.station_label = label("barTitle")
        # The station name gives way first when a tall screen is narrow: it wraps onto a second
        # line (an English name in large text) rather than being cut off.
        self.station_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.station_label.setMinimumWidth(1)
        self.clock_label = label("", wrap=False)
        self.language_button = button("bar")
        self.large_text_button = button("bar")
        for widget in (self.language_button, self.large_text_button):
            widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.station_label, 1)
        self._layout = layout
        layout.addWidget(self.clock_label)
        layout.addWidget(self.language_button)
        layout.addWidget(self.large_text_button)
        self.retranslate()

    def hold_call_bar(self, call_bar: QWidget) -> None:
        """A video call's bar takes the station name's place while it shows."""
        self._layout.insertWidget(1, call_bar, 1)
        call_bar.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Hide) and isinstance(watched, QWidget):
            self.station_label.setVisible(watched.isHidden())
        return False

    def retranslate(self) -> None:
        self.station_label.setText(pick(self._station_name, self._display.language))
        self.language_button.setText(_LANGUAGE_BUTTON[self._display.language])
        self.large_text_button.setText(
            self.tr("Normal text") if self._display.large_text else self.tr("Large text")
        )


class BottomBar(Retranslated, QFrame):
    """Back, Home, Help and Finish: on every screen of a session."""

    def __init__(self) -> None:
        super().__init__()
        self.setProperty("role", "bar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(30, 12, 30, 12)
        layout.setSpacing(24)
        self.back_button = button("bar")
        self.home_button = button("bar")
        self.help_button = button("bar")
        self.finish_button = button("bar")
        for widget in (self.back_button, self.home_button, self.help_button, self.finish_button):
            layout.addWidget(widget)
        self.retranslate()

    def enable(self, *, back: bool, leave: bool) -> None:
        """Back may be pressed; Home and Finish (leaving where one is) may be."""
        self.back_button.setEnabled(back)
        self.home_button.setEnabled(leave)
        self.finish_button.setEnabled(leave)

    def retranslate(self) -> None:
        self.back_button.setText(self.tr("< Back"))
        self.home_button.setText(self.tr("Home"))
        self.help_button.setText(self.tr("Help"))
        self.finish_button.setText(self.tr("Finish"))


class CountdownBanner(Retranslated, QWidget):
    """ "Are you still there?" with one big button for more time, in a band of its own just
    above the bottom bar: the screen above gives it room, so it never covers what is on it (a
    reference number to copy down, the Done button)."""

    sig_more_time = Signal()
    """(): the resident wants to go on."""

    def __init__(self) -> None:
        super().__init__()
        band = QHBoxLayout(self)
        band.setContentsMargins(30, 10, 30, 10)
        self.card = QFrame()
        self.card.setProperty("role", "card")
        self.card.setObjectName("countdown")
        self.card.setMaximumWidth(1500)
        layout = QHBoxLayout(self.card)
        layout.setContentsMargins(30, 20, 30, 20)
        layout.setSpacing(30)
        self.text = label("message")
        self.more_time = button("primary")
        self.more_time.clicked.connect(self.sig_more_time)
        layout.addWidget(self.text, 3)
        layout.addWidget(self.more_time, 1)
        band.addWidget(self.card)
        self._seconds = 0
        self.setVisible(False)
        self.retranslate()

    def show_seconds(self, seconds: int) -> None:
        self._seconds = seconds
        self.retranslate()
        if self.isHidden():
            self.setVisible(True)

    def calm(self) -> None:
        """The resident is back: hidden again."""
        if self.isVisible():
            self.setVisible(False)

    def retranslate(self) -> None:
        self.text.setText(
            self.tr(
                "Are you still there? "
                "In {0} seconds this session ends and everything shown is cleared."
            ).format(self._seconds)
        )
        self.more_time.setText(self.tr("More time"))
