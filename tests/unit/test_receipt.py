"""The payment receipt's layout: columns on both papers, masking, prepay and arrears, wrapping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from drivers.contracts import Align, Cut, PrintJob, QrCode, TextLine, TextSize
from drivers.printer.escpos_bytes import MODELS, job_bytes
from kiosk.services.receipt import (
    application_slip_job,
    columns,
    money,
    notice_job,
    pair,
    receipt_job,
    reference_slip_job,
    table_row,
    wrap,
)
from rules.masking import mask_personal_data
from sync.protocol import Invoice, ReceiptFacts, ReceiptPeriod, TierCharge

PAID_AT = dt.datetime(2024, 3, 15, 6, 23, 5, tzinfo=dt.UTC)
TRANSACTION = "4200002024031512345678901234"
INVOICE = Invoice(
    number="24322000000012345678",
    url="https://inv.example.cn/e?n=24322000000012345678&c=ab12",
    issued_at=PAID_AT,
)
FULL_ACCOUNT = "3201000001"
FULL_NAME = "王小明"


def _period(period: str, tiers: list[tuple[int, str, str, str]], late_fee: str) -> ReceiptPeriod:
    charges = [
        TierCharge(tier=t, quantity=Decimal(q), unit_price=Decimal(p), amount=Decimal(a))
        for t, q, p, a in tiers
    ]
    return ReceiptPeriod(
        period=period,
        quantity=sum((c.quantity for c in charges), Decimal(0)),
        tiers=charges,
        amount=sum((c.amount for c in charges), Decimal(0)),
        late_fee=Decimal(late_fee),
    )


ARREARS = ReceiptFacts(
    account_number_masked="3201****01",
    holder_name_masked="王*明",
    utility="electricity",
    unit="kWh",
    purpose="arrears",
    periods=[
        _period("2024-02", [(1, "300", "0.5283", "158.49"), (2, "20", "0.5783", "11.57")], "3.40"),
        _period("2024-03", [(1, "215", "0.5283", "113.58")], "0"),
    ],
    amount=Decimal("283.64"),
    late_fee=Decimal("3.40"),
    total=Decimal("287.04"),
    balance_after=Decimal("0.00"),
)
PREPAY = ReceiptFacts(
    account_number_masked="3201****01",
    holder_name_masked="王*明",
    utility="electricity",
    unit="kWh",
    purpose="prepay",
    periods=[],
    amount=Decimal("100.00"),
    late_fee=Decimal("0.00"),
    total=Decimal("100.00"),
    balance_after=Decimal("152.30"),
)


def _job(facts: ReceiptFacts = ARREARS, width: int = 32, **changes: object) -> PrintJob:
    arguments: dict[str, object] = {
        "payment_id": "3f2a91c07b1d4e5f8a9b0c1d2e3f4a5b",
        "reference": "3F2A-91C0-7B1D",
        "wallet": "wechat",
        "transaction_id": TRANSACTION,
        "paid_at": PAID_AT,
        "invoice": INVOICE,
        "kiosk_id": "JS-NJ-0042",
        "station_name": "南京江宁供电营业厅",
        "paper_width_chars": width,
    }
    arguments.update(changes)
    return receipt_job(facts, **arguments)  # type: ignore[arg-type]


def _texts(job: PrintJob) -> list[str]:
    return [line.text for line in job.lines if isinstance(line, TextLine)]


def _line_with(job: PrintJob, start: str) -> str:
    return next(text for text in _texts(job) if text.startswith(start))


# --- columns, wrapping, pairs -----------------------------------------------------------------


def test_columns_count_as_the_printer_prints() -> None:
    assert columns("abc") == 3
    assert columns("电费") == 4
    # Narrow or ambiguous to Unicode, full-width cells on a GB 2312 printer.
    assert columns("¥") == columns("￥") == columns("×") == 2
    assert money(Decimal("1234.5")) == "￥1,234.50"


def test_wrap_never_cuts_a_character_and_keeps_every_one() -> None:
    text = "南京市江宁区东山街道供电营业厅 Jiangning Dongshan service hall"
    for width in (5, 7, 16, 31):
        lines = wrap(text, width)
        assert all(columns(line) <= width for line in lines), lines
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert wrap("一二三", 5) == ["一二", "三"]
    assert wrap("Scan to download the e-invoice", 16) == ["Scan to download", "the e-invoice"]


def test_pair_puts_the_value_flush_right_or_under_its_label() -> None:
    assert pair("户号 Account", "3201****01", 32) == ["户号 Account          3201****01"]
    assert columns(pair("户号 Account", "3201****01", 32)[0]) == 32
    long = pair("交易流水号 Txn No.", TRANSACTION, 32)
    assert long == ["交易流水号 Txn No.", "    " + TRANSACTION]


def test_table_rows_end_on_the_same_column_whatever_the_script() -> None:
    widths = (6, 8, 8, 10)
    rows = [
        table_row(("阶梯", "电量", "单价", "金额"), widths, 32),
        table_row(("Tier", "kWh", "Price", "Amount"), widths, 32),
        table_row(("第1档", "2,760", "0.5283", "1,458.11"), widths, 32),
    ]
    assert all(len(row) == 1 and columns(row[0]) == 32 for row in rows)
    crowded = table_row(("第1档", "123,456.78", "123.4567", "1,234,567.89"), widths, 32)
    assert all(columns(line) <= 32 for line in crowded)
    assert "1,234,567.89" in " ".join(crowded)


# --- the receipt ------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [32, 48])
def test_every_line_fits_the_paper(width: int) -> None:
    job = _job(width=width)
    for line in job.lines:
        if isinstance(line, TextLine):
            scale = 2 if line.size in (TextSize.DOUBLE, TextSize.DOUBLE_WIDTH) else 1
            assert columns(line.text) * scale <= width, line
    rules = [text for text in _texts(job) if set(text) == {"-"}]
    assert rules and all(len(rule) == width for rule in rules)
    # Amounts end at the paper's right edge, so they line up under each other.
    for start in ("应缴金额", "违约金", "缴费后余额", "本期金额"):
        assert columns(_line_with(job, start)) == width


@pytest.mark.parametrize("width", [32, 48])
def test_the_arrears_receipt_says_what_was_paid_for(width: int) -> None:
    job = _job(width=width)
    texts = _texts(job)
    title = job.lines[0]
    assert isinstance(title, TextLine) and title.text == "国网电费缴费凭证"
    assert title.size is TextSize.DOUBLE and title.align is Align.CENTER
    assert "Payment receipt" in texts
    joined = "\n".join(texts)
    for expected in (
        "南京江宁供电营业厅",
        "JS-NJ-0042",
        "3201****01",
        "王*明",
        "电费 Electricity",
        "2024-02",
        "2024-03",
        "320 kWh",
        "0.5283",
        "158.49",
        "11.57",
        "￥3.40",
        "微信支付 WeChat Pay",
        TRANSACTION,
        "3F2A-91C0-7B1D",
        "24322000000012345678",
        "扫码下载电子发票",
    ):
        assert expected in joined, expected
    assert _line_with(job, "第1档").split() == ["第1档", "300", "0.5283", "158.49"]
    assert _line_with(job, "第2档").split() == ["第2档", "20", "0.5783", "11.57"]
    late = [text for text in texts if text.startswith("违约金")]
    assert len(late) == 2  # the February bill's, and the total's; March had none
    total = next(line for line in job.lines if isinstance(line, TextLine) and "287.04" in line.text)
    assert total.text == "￥287.04" and total.bold and total.size is TextSize.DOUBLE
    assert "预购电费" not in joined
    qr = [line for line in job.lines if isinstance(line, QrCode)]
    assert [code.data for code in qr] == [INVOICE.url]
    assert isinstance(job.lines[-1], Cut)


def test_the_time_is_the_kiosks_wall_clock() -> None:
    local = PAID_AT.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert _line_with(_job(), "时间 Time").endswith(local)


@pytest.mark.parametrize(
    ("wallet", "channel"),
    [
        ("wechat", "微信支付 WeChat Pay"),
        ("alipay", "支付宝 Alipay"),
        ("unionpay", "云闪付 UnionPay"),
    ],
)
def test_the_channel_is_named_in_both_languages(wallet: str, channel: str) -> None:
    assert _line_with(_job(wallet=wallet), "渠道 Channel").endswith(channel)


def test_a_prepayment_receipt_says_so_and_shows_the_balance() -> None:
    job = _job(PREPAY)
    joined = "\n".join(_texts(job))
    assert "预存电费" in joined
    assert _line_with(job, "缴费后余额").endswith("￥152.30")
    assert "￥100.00" in joined
    assert "阶梯" not in joined and "违约金" not in joined  # no bills, no late fee


def test_a_water_prepayment_is_no_electricity_purchase() -> None:
    water = PREPAY.model_copy(update={"utility": "water", "unit": "m3"})
    joined = "\n".join(_texts(_job(water)))
    assert "水费缴费凭证" in joined and "水费 Water" in joined
    assert "电费" not in joined and "预存水费 Prepay water" in joined


def test_a_water_bill_speaks_of_water_in_cubic_metres() -> None:
    water = ARREARS.model_copy(update={"utility": "water", "unit": "m3"})
    joined = "\n".join(_texts(_job(water)))
    assert "用水量 Water used" in joined and "立方米" in joined
    assert "电量" not in joined and "kWh" not in joined


def test_without_an_invoice_there_is_no_qr_and_no_invoice_line() -> None:
    job = _job(invoice=None)
    assert not any(isinstance(line, QrCode) for line in job.lines)
    assert "电子发票" not in "\n".join(_texts(job))


def test_no_personal_data_reaches_the_paper() -> None:
    for width in (32, 48):
        job = _job(width=width)
        printed = "\n".join(_texts(job)) + "".join(
            line.data for line in job.lines if isinstance(line, QrCode)
        )
        assert FULL_NAME not in printed and FULL_ACCOUNT not in printed
        assert "3f2a91c07b1d4e5f8a9b0c1d2e3f4a5b" not in printed  # the journal's key stays inside
        assert mask_personal_data(printed) == printed  # no ID number, payment code or phone


def test_whole_personal_data_from_the_center_is_masked_again() -> None:
    unmasked = ARREARS.model_copy(
        update={"holder_name_masked": FULL_NAME, "account_number_masked": FULL_ACCOUNT}
    )
    printed = "\n".join(_texts(_job(unmasked)))
    assert FULL_NAME not in printed and FULL_ACCOUNT not in printed
    assert "王*明" in printed and "3201****01" in printed


def test_long_station_names_wrap_within_the_paper() -> None:
    station = "国网江苏省电力有限公司南京供电分公司江宁区东山街道供电营业厅"
    job = _job(station_name=station)
    texts = _texts(job)
    assert all(columns(text) <= 32 for text in texts)
    start = texts.index("营业厅 Station")
    assert "".join(text.strip() for text in texts[start + 1 : start + 3]) == station
    assert texts[start + 3].startswith("终端 Kiosk")


@pytest.mark.parametrize("paper", ["58mm", "80mm"])
def test_the_receipt_renders_to_escpos_bytes(paper: str) -> None:
    model = MODELS[paper]
    data = job_bytes(_job(width=model.width_chars), model)
    assert "国网电费缴费凭证".encode("gb18030") in data
    assert TRANSACTION.encode() in data
    assert "￥287.04".encode("gb18030") in data
    assert INVOICE.url.encode() in data  # the QR, native
    assert b"\x1dV" in data  # cut


def test_money_that_went_to_the_balance_is_printed_as_such() -> None:
    """One bill written off, the other found paid another way: only the first is listed, and
    the rest of the money is printed as put to the balance, never as a bill paid."""
    facts = ARREARS.model_copy(
        update={
            "periods": ARREARS.periods[1:],
            "amount": Decimal("113.58"),
            "late_fee": Decimal("0.00"),
            "to_balance": Decimal("173.46"),
        }
    )
    texts = _texts(_job(facts))
    assert not any("2024-02" in text for text in texts)
    assert any("2024-03" in text for text in texts)
    assert _line_with(_job(facts), "存入余额 To balance").endswith("￥173.46")
    assert not any("To balance" in text for text in _texts(_job(ARREARS)))


@pytest.mark.parametrize("width", [32, 48])
def test_the_unconfirmed_slip_holds_the_reference_amount_time_and_hotline(width: int) -> None:
    job = reference_slip_job(
        reference="ABCD-EFGH-JK",
        amount=Decimal("1234.5"),
        at=PAID_AT,
        hotline="95598",
        kiosk_id="KIOSK-0001",
        station_name="钟灵街营业基站",
        paper_width_chars=width,
    )
    for line in job.lines:
        if isinstance(line, TextLine):
            scale = 2 if line.size in (TextSize.DOUBLE, TextSize.DOUBLE_WIDTH) else 1
            assert columns(line.text) * scale <= width, line
    text = "\n".join(_texts(job))
    for fact in ("ABCD-EFGH-JK", "￥1,234.50", "95598", "Hotline", "returned automatically"):
        assert fact in text
    assert PAID_AT.astimezone().strftime("%Y-%m-%d %H:%M:%S") in text
    assert isinstance(job.lines[-1], Cut)


def test_a_notice_from_staff_carries_their_words_wrapped_the_time_and_the_hotline() -> None:
    words = "请于工作日携带身份证和房产证到营业厅办理过户，办理时间为每天八点半到五点半。"
    job = notice_job(
        text=words + "\nThank you.",
        at=dt.datetime(2026, 12, 3, 1, 30, tzinfo=dt.UTC),
        hotline="95598",
        kiosk_id="kiosk-017",
        station_name="钟灵街营业基站",
    )
    lines = [line for line in job.lines if isinstance(line, TextLine)]
    text = [line.text for line in lines]
    assert "".join(text).count(words[:10]) == 1 and "Thank you." in text
    assert any("95598" in line for line in text) and any("2026-12-03" in line for line in text)
    assert all(columns(line.text) <= 32 for line in lines if line.size is TextSize.NORMAL)
    assert isinstance(job.lines[-1], Cut)
    with pytest.raises(ValueError, match="too narrow"):
        notice_job(text="x", at=dt.datetime.now(dt.UTC), hotline="95598", kiosk_id="k",
                   station_name="s", paper_width_chars=20)  # fmt: skip


@pytest.mark.parametrize("width", [32, 48])
def test_an_application_slip_holds_the_number_its_qr_and_nothing_personal(width: int) -> None:
    job = application_slip_job(
        number="SQ261203SDBXVRD0S",
        kind="change-holder",
        at=PAID_AT,
        hotline="95598",
        kiosk_id="KIOSK-0001",
        station_name="钟灵街营业基站",
        paper_width_chars=width,
    )
    for line in job.lines:
        if isinstance(line, TextLine):
            scale = 2 if line.size in (TextSize.DOUBLE, TextSize.DOUBLE_WIDTH) else 1
            assert columns(line.text) * scale <= width, line
    text = "\n".join(_texts(job))
    for fact in ("SQ261203SDBXVRD0S", "更名过户", "95598", "SMS"):
        assert fact in text
    [qr] = [line for line in job.lines if isinstance(line, QrCode)]
    assert qr.data == "BSK-APP:SQ261203SDBXVRD0S"
    assert mask_personal_data(text) == text
    assert isinstance(job.lines[-1], Cut)
