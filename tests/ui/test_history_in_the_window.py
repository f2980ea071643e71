"""Receipts and invoices from an account's bill, in the real window on the real services and
center, with the printer simulator: the payments made at a counter or in the app, one
reprinted, the statement printed, the e-invoice QR shown; wiped when the session ends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from center.database import open_database
from center.history import VatRequestRow
from drivers.printer.simulator import PrinterSimulator
from drivers.registry import load_driver
from kiosk.domain.session import EndReason
from tests.support.ui import click, open_bill

PAID_ELSEWHERE = "3201000002"  # the demo's account whose bills were paid at a counter or in the app


@pytest.fixture
def paper() -> Iterator[tuple[PrinterSimulator, Any]]:
    simulator = PrinterSimulator().start()
    printer = load_driver("printer", "escpos", {"url": f"serial://{simulator.path}?baud=115200"})
    printer.open()
    printer.enable()
    yield simulator, printer
    printer.close()
    simulator.stop()


def test_a_payment_made_elsewhere_is_reprinted_and_the_statement_printed(
    qtbot: Any, make_window: Any, start_center: Any, paper: Any
) -> None:
    simulator, printer = paper
    window = make_window(start_center().url, printer=printer)
    open_bill(qtbot, window, PAID_ELSEWHERE)
    qtbot.waitUntil(lambda: window.navigator.current == window.bill.name, timeout=8000)
    click(qtbot, window.bill.history_button)
    history = window.later().history
    assert window.navigator.current == history.payments.name
    qtbot.waitUntil(lambda: len(history.payments.reprint_buttons) > 0, timeout=8000)
    first = next(iter(history.payments.reprint_buttons))
    click(qtbot, history.payments.invoice_buttons[first])
    assert history.payments.invoice_qr.isVisible() and history.payments.invoice_qr.text
    click(qtbot, history.payments.reprint_buttons[first])
    assert simulator.wait_for_receipts(1, timeout=10)
    reprint = simulator.receipts[0].receipt.text()
    assert "REPRINT" in reprint or "补打" in reprint
    click(qtbot, history.payments.statement_button)
    assert simulator.wait_for_receipts(2, timeout=10)
    assert PAID_ELSEWHERE not in simulator.receipts[1].receipt.text()  # the account masked
    window.end_session(EndReason.FINISHED)
    assert history.account is None and history.payments.reprint_buttons == {}


def test_a_vat_invoice_asked_in_the_window_gets_its_title_from_the_center(
    qtbot: Any, make_window: Any, start_center: Any
) -> None:
    """Only the screen's keys: the tax number brings the company's title from the center's
    register; the request is filed with it; the session's end forgets the phone."""
    center = start_center()
    window = make_window(center.url)
    open_bill(qtbot, window, PAID_ELSEWHERE)
    qtbot.waitUntil(lambda: window.navigator.current == window.bill.name, timeout=8000)
    click(qtbot, window.bill.history_button)
    history = window.later().history
    qtbot.waitUntil(lambda: len(history.payments.vat_buttons) > 0, timeout=8000)
    click(qtbot, next(iter(history.payments.vat_buttons.values())))
    form = history.vat
    assert window.navigator.current == form.name
    for char in "91320102MA1X7K3L2H":
        click(qtbot, form.keys[char])
    qtbot.waitUntil(lambda: form.registered_title == "南京钟山电子科技有限公司", timeout=8000)
    click(qtbot, form.fields["phone"])
    for digit in "13912345678":
        click(qtbot, form.pad_keys["phone"][digit])
    click(qtbot, form.submit_button)
    qtbot.waitUntil(lambda: "VAT0" in form.problem.text(), timeout=8000)
    database = open_database(center.db_url)
    try:
        with database.sessions() as session:
            [row] = session.scalars(select(VatRequestRow)).all()
            assert (row.title, row.tax_number) == ("南京钟山电子科技有限公司", "91320102MA1X7K3L2H")
    finally:
        database.close()
    window.end_session(EndReason.FINISHED)
    assert form.phone.text() == "" and form.registered_title == ""
