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
from sync.protocol import CenterRejected, Channel, PastPayment
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


def test_a_vat_invoice_typed_on_the_screens_keys_alone(qtbot: Any, center, payments):
    """A mistyped tax number finds no company and is refused; the right one brings the
    company's registered title from the center; the phone and the e-mail on their own keys."""
    form = VatFormScreen()
    qtbot.addWidget(form)
    form.resize(1920, 1080)  # a landscape kiosk's screen
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
        form.sig_tax_number_typed.connect(
            lambda number: form.show_title(desk.invoice_title(number))
        )
        for char in "91350100M000100Y44":  # the check character mistyped
            click(qtbot, form.keys[char])
        assert form.registered_title == ""
        click(qtbot, form.fields["phone"])
        assert form.pads["phone"].isVisible() and not form.pads["tax"].isVisible()
        for digit in "13912345678":
            click(qtbot, form.pad_keys["phone"][digit])
        click(qtbot, form.submit_button)
        assert form.problem.text() == form.tr(
            "Type the company's tax number: its name is filled in from it."
        )  # in whichever language an earlier test left the screens
        click(qtbot, form.fields["tax"])
        click(qtbot, form.delete_key)
        click(qtbot, form.keys["3"])
        assert form.org_title.text() == "南京某某科技有限公司"  # from the center's register
        click(qtbot, form.by_email)
        assert form.pads["email"].isVisible()
        qtbot.wait(50)  # scrolled so that its keys are in view
        for char in "ap@zhongshan.cn":
            click(qtbot, form.pad_keys["email"][char])
        click(qtbot, form.submit_button)
    assert "VAT0" in form.problem.text()  # the request's id, in either language
    assert form.email.text() == "ap@zhongshan.cn" and form.phone.text() == "13912345678"


def test_the_register_answers_titles_by_tax_number_only(center) -> None:
    with CenterClient(center.url, TEST_KIOSK) as client:
        found = client.invoice_title("91320102MA1X7K3L2H")
        assert found is not None and found.title == "南京钟山电子科技有限公司"
        with pytest.raises(CenterRejected) as refused:  # a typo in it: not a tax number
            client.invoice_title("91320102MA1X7K3L2A")
        assert refused.value.status == 422
        assert HistoryDesk(client).invoice_title("91320102MA1X7K3L2") is None  # 17: not one
        unknown = "91320102MA1X7K3L2"[:16] + "9"
        from rules.tax_number import check_character

        assert client.invoice_title(unknown + check_character(unknown)) is None
