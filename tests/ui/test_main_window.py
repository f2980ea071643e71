"""The resident's window on the real services and the real center over loopback."""

from typing import Any

from PySide6.QtGui import QFontInfo

from kiosk.domain.session import EndReason
from kiosk.store import Store
from kiosk.ui.background import DeviceSignals
from kiosk.ui.local_text import CHINESE, ENGLISH
from tests.support.ui import BILL_QR_PREFIX, DEMO_ACCOUNT, click, queued_events, type_number

SEVERAL_ACCOUNTS_ID = "320113195907050036"  # 陈建国 in assets/demo/residents.toml: three accounts


def open_entry(qtbot: Any, window: Any) -> None:
    click(qtbot, window.idle)
    assert window.navigator.current == "home"
    click(qtbot, window.home.bills_tile)
    assert window.navigator.current == "account_entry"


def test_idle_touch_starts_a_session_with_bars(
    qtbot: Any, make_window: Any, running_center: Any
) -> None:
    window = make_window(running_center.url)
    assert window.navigator.current == "idle"
    assert window.bottom_bar.isHidden()
    with qtbot.waitSignal(window.sig_session_started):
        click(qtbot, window.idle)
    assert window.navigator.current == "home"
    assert window.bottom_bar.isVisible()
    for name in ("back_button", "home_button", "help_button"):
        assert getattr(window.bottom_bar, name).isVisible()


def test_language_switch_retranslates_what_is_on_screen(
    qtbot: Any, make_window: Any, running_center: Any
) -> None:
    window = make_window(running_center.url)
    assert window.display.language == CHINESE
    zh_notice = window.idle.current_notice
    assert "钟灵街" in zh_notice
    click(qtbot, window.idle)
    assert window.home.bills_tile.heading.text() == "账单与用量"
    assert window.bottom_bar.home_button.text() == "首页"
    assert window.top_bar.language_button.text() == "English"
    click(qtbot, window.top_bar.language_button)
    assert window.display.language == ENGLISH
    assert window.home.bills_tile.heading.text() == "Bills and usage"
    assert window.bottom_bar.home_button.text() == "Home"
    assert window.top_bar.language_button.text() == "中文"
    assert window.entry.title.text() == "Enter your account number"  # screens not shown too
    assert window.idle.current_notice.startswith("Planned outage")
    click(qtbot, window.top_bar.language_button)
    assert window.entry.title.text() == "请输入户号"


def test_large_text_enlarges_fonts_and_targets(
    qtbot: Any, make_window: Any, running_center: Any
) -> None:
    window = make_window(running_center.url)
    open_entry(qtbot, window)

    def sizes() -> tuple[int, int, int]:
        hint, key = window.entry.hint, window.entry.keypad.digit_keys["5"]
        return QFontInfo(hint.font()).pixelSize(), key.height(), QFontInfo(key.font()).pixelSize()

    normal_text, normal_key, normal_key_text = sizes()
    click(qtbot, window.top_bar.large_text_button)
    assert window.display.large_text
    qtbot.waitUntil(lambda: sizes()[0] > normal_text)
    large_text, large_key, large_key_text = sizes()
    assert large_text >= 42  # a capital of >= 30 px
    assert large_key >= normal_key >= 60
    assert large_key_text > normal_key_text


def test_keypad_typing(qtbot: Any, make_window: Any, running_center: Any) -> None:
    window = make_window(running_center.url)
    open_entry(qtbot, window)
    type_number(qtbot, window, "32010")
    assert window.entry.digits == "32010"
    assert window.entry.number.text() == "3201 0"
    click(qtbot, window.entry.keypad.delete_key)
    assert window.entry.digits == "3201"
    click(qtbot, window.entry.keypad.confirm_key)  # too short: said plainly, nothing sent
    assert "8" in window.entry.status.shown_text and not window.flow.busy
    type_number(qtbot, window, "1234567890123")
    assert len(window.entry.digits) == 13  # the longest account number
    click(qtbot, window.entry.keypad.clear_key)
    assert window.entry.digits == ""


def test_unknown_account_says_so(qtbot: Any, make_window: Any, running_center: Any) -> None:
    window = make_window(running_center.url)
    open_entry(qtbot, window)
    type_number(qtbot, window, "3201999999")
    click(qtbot, window.entry.keypad.confirm_key)
    qtbot.waitUntil(lambda: not window.flow.busy, timeout=5000)
    assert window.navigator.current == "account_entry"
    assert "No account has this number" in window.entry.status.shown_text or "没有找到该户号" in (
        window.entry.status.shown_text
    )
    assert window.entry.keypad.isEnabled()


def test_busy_state_then_a_timeout_message(qtbot: Any, make_window: Any, start_center: Any) -> None:
    slow = start_center(answer_delay=2.0)
    window = make_window(slow.url, center_timeout_s=0.4, language=ENGLISH)
    open_entry(qtbot, window)
    type_number(qtbot, window, DEMO_ACCOUNT)
    click(qtbot, window.entry.keypad.confirm_key)
    assert window.entry.busy
    assert window.entry.status.is_busy
    assert window.entry.status.shown_text == "Looking up your account…"
    assert not window.entry.keypad.isEnabled()
    qtbot.waitUntil(lambda: not window.entry.busy, timeout=3000)
    assert window.entry.status.shown_text.startswith("The service center did not answer in time")
    assert window.entry.keypad.isEnabled()
    assert window.entry.digits == DEMO_ACCOUNT  # nothing the resident typed is lost
    assert window.navigator.current == "account_entry"


def test_unreachable_center_says_so(qtbot: Any, make_window: Any) -> None:
    window = make_window("http://127.0.0.1:9", language=ENGLISH)
    open_entry(qtbot, window)
    type_number(qtbot, window, DEMO_ACCOUNT)
    click(qtbot, window.entry.keypad.confirm_key)
    qtbot.waitUntil(lambda: not window.entry.busy, timeout=10000)
    assert "cannot be reached" in window.entry.status.shown_text


def test_countdown_warns_then_wipes_the_bill_and_returns_to_idle(
    qtbot: Any, make_window: Any, running_center: Any, store: Store
) -> None:
    window = make_window(running_center.url, timeout_s=1.6, warning_s=1.0)
    open_entry(qtbot, window)
    type_number(qtbot, window, DEMO_ACCOUNT)
    click(qtbot, window.entry.keypad.confirm_key)
    qtbot.waitUntil(lambda: window.navigator.current == "bill", timeout=5000)
    assert window.bill.bill is not None
    qtbot.waitUntil(lambda: window.countdown.isVisible(), timeout=3000)
    assert "秒" in window.countdown.text.text()
    click(qtbot, window.countdown.more_time)  # one touch: more time
    assert not window.countdown.isVisible()
    assert window.navigator.current == "bill"
    qtbot.waitUntil(lambda: window.countdown.isVisible(), timeout=3000)
    with qtbot.waitSignal(window.sig_session_ended, timeout=3000) as ended:
        pass
    summary = ended.args[0]
    assert summary.reason is EndReason.TIMEOUT
    assert window.navigator.current == "idle"
    assert window.bill.bill is None
    assert window.bill.account_facts.texts() == []
    assert window.entry.digits == ""
    assert not window.countdown.isVisible()
    assert "bill" in summary.screens
    qtbot.waitUntil(lambda: bool(queued_events(store)), timeout=3000)
    [event] = queued_events(store)
    assert event.type == "session.ended"
    assert event.payload["reason"] == "timeout"
    assert DEMO_ACCOUNT not in event.model_dump_json()  # no personal data in the summary


def test_finish_ends_the_session_and_resets_language_and_text_size(
    qtbot: Any, make_window: Any, running_center: Any
) -> None:
    window = make_window(running_center.url)
    click(qtbot, window.idle)
    click(qtbot, window.top_bar.language_button)
    click(qtbot, window.top_bar.large_text_button)
    with qtbot.waitSignal(window.sig_session_ended) as ended:
        click(qtbot, window.bottom_bar.finish_button)
    assert ended.args[0].reason is EndReason.FINISHED
    assert ended.args[0].language == ENGLISH and ended.args[0].large_text
    assert window.display.language == CHINESE and not window.display.large_text
    assert window.navigator.current == "idle"


def test_back_and_help(qtbot: Any, make_window: Any, running_center: Any) -> None:
    window = make_window(running_center.url, language=ENGLISH)
    open_entry(qtbot, window)
    click(qtbot, window.bottom_bar.help_button)
    assert window.navigator.current == "help"
    assert window.help.hotline.text() == "95598"
    assert "Zhongshan Road" in window.help.hall.text()
    click(qtbot, window.bottom_bar.back_button)
    assert window.navigator.current == "account_entry"
    click(qtbot, window.bottom_bar.back_button)
    assert window.navigator.current == "home"
    with qtbot.waitSignal(window.sig_session_ended) as ended:
        click(qtbot, window.bottom_bar.back_button)
    assert ended.args[0].reason is EndReason.HOME


def test_bill_qr_and_payment_code_at_the_scanner(
    qtbot: Any, make_window: Any, running_center: Any, sim_scanner: Any
) -> None:
    devices = DeviceSignals()
    devices.attach_scanner(sim_scanner)
    window = make_window(running_center.url, devices=devices, language=ENGLISH)
    sim_scanner.show_code(BILL_QR_PREFIX + DEMO_ACCOUNT)  # on the idle screen: starts a session
    qtbot.waitUntil(lambda: window.navigator.current == "bill", timeout=5000)
    assert window.bill.bill.account.number == DEMO_ACCOUNT
    sim_scanner.show_code("134567890123456789")  # a WeChat payment code
    qtbot.waitUntil(lambda: "payment code" in window.entry.status.shown_text, timeout=5000)
    assert window.navigator.current == "account_entry"
    sim_scanner.show_code("hello there")
    qtbot.waitUntil(lambda: "not one of our bills" in window.entry.status.shown_text, timeout=5000)
    devices.detach_all()


def test_id_card_with_several_accounts_offers_a_choice(
    qtbot: Any, make_window: Any, running_center: Any, sim_idcard_reader: Any
) -> None:
    devices = DeviceSignals()
    devices.attach_id_card_reader(sim_idcard_reader)
    window = make_window(running_center.url, devices=devices)
    click(qtbot, window.idle)
    sim_idcard_reader.present(SEVERAL_ACCOUNTS_ID)
    qtbot.waitUntil(lambda: window.navigator.current == "account_choice", timeout=5000)
    buttons = window.choice.choice_buttons
    assert len(buttons) == 3
    assert "3201 0000 03" in buttons[0].text()
    assert "****" in buttons[0].text()  # the address arrives masked
    click(qtbot, buttons[0])
    qtbot.waitUntil(lambda: window.navigator.current == "bill", timeout=5000)
    assert window.bill.bill.account.number == "3201000003"
    devices.detach_all()


def test_portrait_layout_fits_a_tall_screen(
    qtbot: Any, make_window: Any, running_center: Any
) -> None:
    window = make_window(running_center.url, size=(1080, 1920))
    open_entry(qtbot, window)
    qtbot.waitUntil(lambda: window.entry.keypad.y() > window.entry.number.y())  # under, not beside
    for large in (False, True):
        window.display.set_large_text(large)
        for screen in window.navigator.screens.values():
            assert screen.minimumSizeHint().width() <= 1080, screen.name
        assert window.minimumSizeHint().width() <= 1080
    assert window.width() == 1080


def test_landscape_layout_fits_in_both_text_sizes(
    qtbot: Any, make_window: Any, running_center: Any
) -> None:
    window = make_window(running_center.url, size=(1920, 1080))
    open_entry(qtbot, window)
    for large in (False, True):
        window.display.set_large_text(large)
        assert window.minimumSizeHint().height() <= 1080, large
        assert window.minimumSizeHint().width() <= 1920, large
    assert (window.width(), window.height()) == (1920, 1080)
