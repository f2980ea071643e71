"""The receipts-and-invoices screen with an account's payments from the real center: the
e-invoice QR shown large decodes to the invoice's address; reprint and VAT invoice ask for the
payment touched."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import zxingcpp

from kiosk.services.history import HistoryDesk, VatForm, VatFormRefused
from kiosk.ui.history.payments import PastPaymentsScreen
from kiosk.ui.history.vat_form import VatFormScreen
from sync.client import CenterClient
from sync.protocol import Channel, PastPayment
from tests.support.center import DEMO_TODAY, TEST_KIOSK, serve_center
from tests.support.ui import click


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory):
    db_file = tmp_path_factory.mktemp("center") / "center.db"
    with serve_center(f"sqlite:///{db_file}", today=DEMO_TODAY) as running:
        yield running


@pytest.fixture(scope="module")
def payments(center) -> list[PastPayment]:
    with CenterClient(center.url, TEST_KIOSK) as client:
        return client.last_payments("3201000002").payments


def test_the_e_invoice_qr_shown_large_decodes_to_its_address(qtbot: Any, payments) -> None:
    screen = PastPaymentsScreen()
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.set_payments(payments)
    screen.show()
    chosen = payments[2]
    click(qtbot, screen.invoice_buttons[chosen.payment_id])
    assert screen.invoice_qr.isVisible()
    image = (
        screen.invoice_qr.grab()
        .toImage()
        .convertToFormat(screen.invoice_qr.grab().toImage().Format.Format_Grayscale8)
    )
    width, height = image.width(), image.height()
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())[
        :, :width
    ]
    read = [result.text for result in zxingcpp.read_barcodes(pixels)]
    assert chosen.invoice is not None and read == [chosen.invoice.url]


def test_reprint_and_vat_invoice_name_the_payment_touched(qtbot: Any, payments) -> None:
    screen = PastPaymentsScreen()
    qtbot.addWidget(screen)
    screen.set_payments(payments)
    screen.show()
    assert len(screen.reprint_buttons) == 12
    counter = next(p for p in payments if p.channel is Channel.COUNTER)
    with qtbot.waitSignal(screen.sig_reprint) as reprint:
        click(qtbot, screen.reprint_buttons[counter.payment_id])
    with qtbot.waitSignal(screen.sig_vat_invoice) as vat:
        click(qtbot, screen.vat_buttons[payments[0].payment_id])
    assert reprint.args == [counter.payment_id]
    assert vat.args == [payments[0].payment_id]
    screen.clear()
    assert not screen.reprint_buttons and not screen.invoice_qr.isVisible()


def test_a_vat_invoice_with_a_mistyped_tax_number_then_the_right_one(qtbot: Any, center, payments):
    form = VatFormScreen()
    qtbot.addWidget(form)
    form.show()
    form.start(payments[4].payment_id, "NJ-GL-001")
    with CenterClient(center.url, TEST_KIOSK) as client:
        desk = HistoryDesk(client)

        def submit(filled: VatForm) -> None:
            try:
                form.show_done(desk.request_vat_invoice(filled).request_id)
            except VatFormRefused as refused:
                form.show_problem(refused.problem)

        form.sig_submit.connect(submit)
        form.org_title.setText("南京某某科技有限公司")
        form.phone.setText("13912345678")
        for char in "91350100M000100Y44":
            click(qtbot, form.keys[char])
        click(qtbot, form.submit_button)
        assert form.problem.text() == form.tr(
            "This tax number has a typing mistake somewhere. Please compare it with the "
            "company's licence."
        )  # in whichever language an earlier test left the screens
        click(qtbot, form.delete_key)
        click(qtbot, form.keys["3"])
        click(qtbot, form.submit_button)
    assert "VAT0" in form.problem.text()  # the request's id, in either language
