"""What a resident can read on screen: the texts of the visible widgets, and any Chinese in them."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QAbstractButton, QLabel, QTableWidget, QWidget

# CJK ideographs and the full-width punctuation that comes with them.
_CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]")


def visible_texts(root: QWidget) -> list[str]:
    """The text of every label, button and table cell under `root` that is shown now."""
    widgets: list[QWidget] = [root, *root.findChildren(QWidget)]
    texts: list[str] = []
    for widget in widgets:
        if not widget.isVisibleTo(root.window()) or not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QAbstractButton) and widget.text():
            texts.append(widget.text())
        elif isinstance(widget, QTableWidget):
            for row in range(widget.rowCount()):
                for column in range(widget.columnCount()):
                    item = widget.item(row, column)
                    if item is not None and item.text():
                        texts.append(item.text())
    return texts


def chinese_in(root: QWidget, allowed: tuple[str, ...] = ()) -> list[str]:
    """The visible texts that still hold Chinese once the `allowed` proper names (a resident's
    name and address, the button back to 中文) are taken out."""
    found = []
    for text in visible_texts(root):
        rest = text
        for name in allowed:
            rest = rest.replace(name, "")
        if _CHINESE.search(rest):
            found.append(text)
    return found
