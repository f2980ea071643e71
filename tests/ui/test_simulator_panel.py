"""The demo panel drives the real simulated devices."""

from typing import Any

from PySide6.QtCore import Qt

from drivers.contracts import PrinterStatus
from kiosk.ui.background import DeviceSignals
from kiosk.ui.simulator_panel import BILL_QR_PREFIX, SimulatorPanel, demo_account_numbers


def test_panel_drives_scanner_reader_and_printer(
    qtbot: Any, sim_scanner: Any, sim_idcard_reader: Any, sim_printer: Any
) -> None:
    panel = SimulatorPanel(
        {"scanner": sim_scanner, "idcard": sim_idcard_reader, "printer": sim_printer}
    )
    qtbot.addWidget(panel)
    signals = DeviceSignals()
    signals.attach_scanner(sim_scanner)
    signals.attach_id_card_reader(sim_idcard_reader)
    try:
        assert "3201000001" in demo_account_numbers()
        with qtbot.waitSignal(signals.sig_code_scanned, timeout=3000) as scanned:
            qtbot.mouseClick(panel.buttons["Bill QR 3201000001"], Qt.MouseButton.LeftButton)
        assert scanned.args == [BILL_QR_PREFIX + "3201000001"]
        with qtbot.waitSignal(signals.sig_code_scanned, timeout=3000) as scanned:
            qtbot.mouseClick(panel.buttons["WeChat payment code"], Qt.MouseButton.LeftButton)
        assert scanned.args[0].startswith("13")
        panel.deck.setCurrentIndex(2)
        with qtbot.waitSignal(signals.sig_id_card_read, timeout=3000) as read:
            qtbot.mouseClick(panel.buttons["Place card on reader"], Qt.MouseButton.LeftButton)
        assert read.args[0].id_number == panel.deck.currentData()
        assert "*" in panel.deck.currentText()  # shown masked
        qtbot.mouseClick(panel.buttons["Take card away"], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(panel.buttons["Paper out"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: sim_printer.status is PrinterStatus.PAPER_OUT)
        qtbot.mouseClick(panel.buttons["Back to normal"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: sim_printer.status is PrinterStatus.ONLINE)
        assert panel.last_action.text() == "Back to normal: done"
    finally:
        signals.detach_all()


def test_panel_without_devices_is_empty(qtbot: Any) -> None:
    panel = SimulatorPanel({})
    qtbot.addWidget(panel)
    assert panel.buttons == {}
