"""Business guides: for each business, what it is, the documents to bring, how long it takes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.information.text import said
from kiosk.ui.local_text import CHINESE
from kiosk.ui.widgets import Screen, across, card, label, scrolling, set_role


class NameButton(QPushButton):
    """A guide's name on a button, broken at spaces onto more lines when it is wider than the
    button: English names are long, and a cut-off name cannot be read."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # touch only, as every button
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._name = name
        self._fit()

    @property
    def name(self) -> str:
        return self._name

    def set_name(self, name: str) -> None:
        self._name = name
        self._fit()

    def room(self) -> int:
        """The width the text may take inside the button's padding."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        contents = QStyle.SubElement.SE_PushButtonContents
        return self.style().subElementRect(contents, option, self).width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()  # large text

    def _fit(self) -> None:
        metrics, room = self.fontMetrics(), self.room()
        lines: list[str] = []
        line = ""
        for word in self._name.split(" "):
            longer = f"{line} {word}" if line else word
            if line and metrics.horizontalAdvance(longer) > room:
                lines.append(line)
                line = word
            else:
                line = longer
        lines.append(line)
        if self.text() != "\n".join(lines):
            self.setText("\n".join(lines))


if TYPE_CHECKING:
    from kiosk.services.screen_types import BusinessGuide


class GuidesScreen(Screen):
    name = "info_guides"

    def __init__(self) -> None:
        super().__init__()
        self._guides: list[BusinessGuide] = []
        self._chosen = 0
        self._language = CHINESE
        self._portrait = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(60, 30, 60, 30)
        outer.setSpacing(20)
        self.title = label("title")
        outer.addWidget(self.title)
        self._split = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._split.setSpacing(30)
        self._choices = QWidget()
        self._choice_grid = QGridLayout(self._choices)
        self._choice_grid.setContentsMargins(0, 0, 0, 0)
        self._choice_grid.setSpacing(14)
        self.choice_buttons: list[NameButton] = []
        detail = card()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(36, 24, 36, 24)
        detail_layout.setSpacing(12)
        self.guide_name = label("heading")
        self.summary = label()
        self.documents_heading = label("small")
        self.documents = label()
        self.time_heading = label("small")
        self.time = label()
        self.where_heading = label("small")
        self.where = label()
        self.cost_heading = label("small")
        self.cost = label()
        for widget in (
            self.guide_name,
            self.summary,
            self.documents_heading,
            self.documents,
            self.time_heading,
            self.time,
            self.where_heading,
            self.where,
            self.cost_heading,
            self.cost,
        ):
            detail_layout.addWidget(widget)
        detail_layout.addStretch(1)
        self._detail_scroll = scrolling(detail)
        self._split.addWidget(self._choices, 2)
        self._split.addWidget(self._detail_scroll, 3)
        outer.addLayout(self._split, 1)
        self.retranslate()

    @property
    def chosen(self) -> BusinessGuide | None:
        return self._guides[self._chosen] if self._guides else None

    def set_guides(self, guides: Sequence[BusinessGuide]) -> None:
        self._guides = list(guides)
        self._chosen = min(self._chosen, max(0, len(self._guides) - 1))
        self._rebuild_choices()
        self._show_chosen()

    def choose(self, index: int) -> None:
        self._chosen = index
        self._mark_chosen()
        self._show_chosen()

    def set_language(self, language: str) -> None:
        self._language = language
        self._rebuild_choices()
        self._show_chosen()

    def set_portrait(self, portrait: bool) -> None:
        self._portrait = portrait
        self._split.setDirection(across(portrait))
        self._split.setStretch(0, 0 if portrait else 2)
        self._split.setStretch(1, 1 if portrait else 3)
        self._rebuild_choices()

    def clear(self) -> None:
        if self._guides:
            self.choose(0)

    def _rebuild_choices(self) -> None:
        for old in self.choice_buttons:
            self._choice_grid.removeWidget(old)
            old.hide()
            old.deleteLater()
        self.choice_buttons = []
        columns = 2
        for index, guide in enumerate(self._guides):
            choice = NameButton(said(guide.name, self._language))
            choice.setCheckable(True)
            choice.clicked.connect(lambda _=False, i=index: self.choose(i))
            self._choice_grid.addWidget(choice, index // columns, index % columns)
            self.choice_buttons.append(choice)
        self._mark_chosen()

    def _mark_chosen(self) -> None:
        for index, choice in enumerate(self.choice_buttons):
            choice.setChecked(index == self._chosen)
            # The chosen one stands out by its look and by a mark, not by colour alone.
            name = said(self._guides[index].name, self._language)
            choice.set_name(f"▶ {name}" if index == self._chosen else name)
            set_role(choice, "primary" if index == self._chosen else "")

    def _show_chosen(self) -> None:
        guide = self.chosen
        for widget in (self.documents_heading, self.time_heading, self.where_heading):
            widget.setVisible(guide is not None)
        if guide is None:
            for widget in (self.guide_name, self.summary, self.documents, self.time, self.where):
                widget.setText("")
            self.cost_heading.setVisible(False)
            self.cost.setText("")
            return
        language = self._language
        self.guide_name.setText(said(guide.name, language))
        self.summary.setText(said(guide.summary, language))
        self.documents.setText("\n".join(f"•  {said(d, language)}" for d in guide.documents))
        self.time.setText(said(guide.time, language))
        self.where.setText(said(guide.where, language))
        self.cost_heading.setVisible(guide.cost is not None)
        self.cost.setText(said(guide.cost, language) if guide.cost is not None else "")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Business guides"))
        self.documents_heading.setText(self.tr("What to bring:"))
        self.time_heading.setText(self.tr("How long it takes:"))
        self.where_heading.setText(self.tr("Where:"))
        self.cost_heading.setText(self.tr("What it costs:"))
