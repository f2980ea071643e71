"""The plain out-of-service screen: both languages at once, the staffed hall, its hours and the
hotline, large and high-contrast, no cursor; and with a configuration that cannot be read, the
shipped defaults' hall and hotline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from kiosk.app import window_options
from kiosk.config import default_config, load_config
from kiosk.ui.out_of_service_window import OutOfServiceWindow


def test_it_says_where_to_go_in_both_languages(qtbot: Any, tmp_path: Path) -> None:
    options = window_options(load_config())
    window = OutOfServiceWindow(options["station_name"], options["help_info"])
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    assert window.headline.text() == "本机暂停服务"
    assert window.headline_en.text() == "This kiosk is out of service"
    assert "玄武供电营业厅" in window.chinese.text() and "95598" in window.chinese.text()
    assert "Xuanwu service hall" in window.english.text() and "95598" in window.english.text()
    assert window.cursor().shape() == Qt.CursorShape.BlankCursor
    picture = window.grab()
    assert picture.save(str(tmp_path / "out-of-service.png"))
    assert window.chinese.font().pixelSize() >= window.english.font().pixelSize()


def test_the_shipped_defaults_stand_in_for_a_broken_configuration() -> None:
    config = default_config()
    assert config.help.hotline == "95598" and config.help.hall_zh
