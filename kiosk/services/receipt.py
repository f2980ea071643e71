"""The payment receipt (缴费凭证) as a print job: laid out in columns for 58 mm or 80 mm paper.

Pure: facts in, a PrintJob out. Labels are bilingual, Chinese first, as on a Chinese receipt.
Columns are counted as the printer counts them: in Chinese mode every non-ASCII character
prints in a full-width cell (two columns), even those Unicode calls narrow or ambiguous (¥, ×),
so padding with spaces lines up on paper. Only masked personal data is printed: the center sends
it masked, and anything that still looks whole is masked again here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from drivers.contracts import Align, Cut, Feed, PrintJob, QrCode, TextLine, TextSize
from rules.masking import mask_digits, mask_name
from rules.money import yuan
from rules.utility_words import Said, unit_on_paper, utility_words
from sync.protocol import Invoice, PaymentPurpose, ReceiptFacts, ReceiptPeriod, Utility

TITLES = {
    Utility.ELECTRICITY: "国网电费缴费凭证",
    Utility.WATER: "水费缴费凭证",
    Utility.GAS: "燃气费缴费凭证",
}
CHANNELS = {
    "wechat": "微信支付 WeChat Pay",
    "alipay": "支付宝 Alipay",
    "unionpay": "云闪付 UnionPay",
}
# Tier table: tier left, then quantity, unit price and amount right-aligned to these edges.
_TABLE_WIDTHS = {32: (6, 8, 8, 10), 48: (12, 12, 12, 12)}


# --- columns as the printer counts them --------------------------------------------------------


def columns(text: str) -> int:
    """Printed width: 1 for printable ASCII, 2 for anything else (a full-width cell)."""
    return sum(1 if " " <= ch <= "~" else 2 for ch in text)


def _split(text: str, width: int) -> tuple[str, str]:
    """The longest head of ``text`` within ``width`` columns (at least one character)."""
    used = 0
    for index, ch in enumerate(text):
        used += columns(ch)
        if used > width:
            return (text[:index], text[index:]) if index else (text[:1], text[1:])
    return text, ""


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns, broken at a space when one is near, else between two
    characters (never inside one)."""
    lines: list[str] = []
    rest = text.rstrip()
    while columns(rest) > width:
        head, tail = _split(rest, width)
        space = head.rfind(" ")
        if space > 0 and tail[:1] != " " and columns(head[:space]) >= width // 2:
            head, tail = head[:space], head[space + 1 :] + tail
        lines.append(head.rstrip())
        rest = tail.lstrip(" ")
    lines.append(rest)
    return lines


def pair(label: str, value: str, width: int) -> list[str]:
    """``label`` on the left, ``value`` flush right; the value goes under it when both won't fit."""
    gap = width - columns(label) - columns(value)
    if gap >= 1:
        return [label + " " * gap + value]
    return [*wrap(label, width), *(_right(part, width) for part in wrap(value, width))]


def table_row(cells: Sequence[str], widths: Sequence[int], width: int) -> list[str]:
    """First cell left, the others right-aligned to their column's edge; a cell too wide pushes
    the rest right (one space apart), and a row wider than the paper wraps."""
    line, edge = cells[0], widths[0]
    for cell, cell_width in zip(cells[1:], widths[1:], strict=True):
        edge += cell_width
        pad = max(edge - columns(line) - columns(cell), 1)
        line += " " * pad + cell
    return wrap(line, width)


def _right(text: str, width: int) -> str:
    return " " * max(width - columns(text), 0) + text


def money(amount: Decimal) -> str:
    """￥1,234.50 (the full-width yen: the sign a GB 2312 printer has)."""
    value = yuan(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}￥{abs(value):,.2f}"


def _plain(amount: Decimal, places: int = 2) -> str:
    """A table figure without the yen sign; trailing zeros beyond two places dropped."""
    text = f"{amount:,.{places}f}"
    if places > 2:
        whole, _, decimals = text.partition(".")
        text = f"{whole}.{decimals.rstrip('0').ljust(2, '0')}"
    return text


def local_time(at: dt.datetime) -> str:
    """The kiosk's wall clock, as the resident reads it: 2024-03-15 14:23:05."""
    if at.tzinfo is not None:
        at = at.astimezone()
    return at.strftime("%Y-%m-%d %H:%M:%S")


def _both(words: Said) -> str:
    """Chinese first, as on a Chinese receipt."""
    return f"{words.zh} {words.en}"


def _masked_account(number: str) -> str:
    return number if "*" in number else mask_digits(number, head=4, tail=2)


def _masked_name(name: str) -> str:
    return name if "*" in name else mask_name(name)


# --- the receipt -------------------------------------------------------------------------------


def receipt_job(
    facts: ReceiptFacts,
    *,
    payment_id: str,
    reference: str,
    wallet: str,
    transaction_id: str,
    paid_at: dt.datetime,
    invoice: Invoice | None,
    kiosk_id: str,
    station_name: str,
    paper_width_chars: int = 32,
) -> PrintJob:
    """The payment receipt for one paid payment. ``payment_id`` is the journal's key: not printed
    (the resident's ``reference`` is its short form)."""
    del payment_id  # the reference says the same to a person; the full id helps nobody on paper
    width = paper_width_chars
    if width < 24:
        raise ValueError(f"paper of {width} columns is too narrow for a receipt")
    rule = TextLine("-" * width)

    def text(lines: Iterable[str], **style: object) -> list[TextLine]:
        return [TextLine(line, **style) for line in lines]  # type: ignore[arg-type]

    def field(label: str, value: str) -> list[TextLine]:
        return text(pair(label, value, width))

    lines: list[TextLine | QrCode | Feed | Cut] = [
        *_heading(TITLES[facts.utility], "Payment receipt", station_name, kiosk_id, width),
        *field("户号 Account", _masked_account(facts.account_number_masked)),
        *field("户名 Name", _masked_name(facts.holder_name_masked)),
        *field("类别 Utility", _both(utility_words(facts.utility).name)),
    ]
    if facts.purpose is PaymentPurpose.PREPAY:
        lines += [
            rule,
            *text(wrap(_both(utility_words(facts.utility).prepay), width), bold=True),
            *field("预购金额 Amount", money(facts.total)),
        ]
    else:
        for period in facts.periods:
            lines += [rule, *_period_lines(period, facts.utility, facts.unit, width)]
        lines += [
            rule,
            *field("应缴金额 Amount", money(facts.amount)),
            *field("违约金 Late fee", money(facts.late_fee)),
        ]
        if facts.to_balance:
            # Bills found paid another way when this payment went through: the money was kept
            # as the account's balance, and the paper says so rather than listing them as paid.
            lines += field("存入余额 To balance", money(facts.to_balance))
    lines += [
        *text(wrap("实缴金额 Total paid", width), bold=True),
        *_total_lines(facts.total, width),
        *field("缴费后余额 Balance", money(facts.balance_after)),
        rule,
        *field("渠道 Channel", CHANNELS.get(wallet, wallet)),
        *field("交易流水号 Txn No.", transaction_id),
        *field("时间 Time", local_time(paid_at)),
        *field("参考号 Ref. No.", reference),
    ]
    if invoice is not None:
        lines += [
            rule,
            *text(wrap("电子发票 E-invoice", width), bold=True),
            *field("发票号码", invoice.number),
            QrCode(invoice.url, module_size=_qr_module(invoice.url, width)),
            *text(wrap("扫码下载电子发票", width), align=Align.CENTER),
            *text(wrap("Scan to download the e-invoice", width), align=Align.CENTER),
        ]
    lines += _closing("请妥善保管本凭证", "Please keep this receipt", width)
    return PrintJob(tuple(lines))


def reference_slip_job(
    *,
    reference: str,
    amount: Decimal,
    at: dt.datetime,
    hotline: str,
    kiosk_id: str,
    station_name: str,
    paper_width_chars: int = 32,
) -> PrintJob:
    """The slip of a payment whose result could not be confirmed: the reference the hotline
    asks for, the amount, the time and the hotline. Nothing personal, and never the code paid
    with: a slip left at the kiosk tells a stranger nothing."""
    width = _wide_enough(paper_width_chars, "a slip")
    lines: list[TextLine | QrCode | Feed | Cut] = [
        *_heading("支付结果待确认", "Payment being confirmed", station_name, kiosk_id, width),
        *(TextLine(line) for line in pair("参考号 Ref. No.", reference, width)),
        TextLine(reference, size=TextSize.DOUBLE_HEIGHT, bold=True, align=Align.CENTER),
        *(TextLine(line) for line in pair("金额 Amount", money(amount), width)),
        *_time_and_hotline(at, hotline, width),
        TextLine("-" * width),
        *(TextLine(line) for line in wrap("如已扣款而未缴费成功，款项将自动退回。", width)),
        *(
            TextLine(line)
            for line in wrap(
                "If money was taken and the payment did not go through, it is returned "
                "automatically.",
                width,
            )
        ),
    ]
    lines += _closing("请凭参考号致电服务热线", "Call the hotline with this number", width)
    return PrintJob(tuple(lines))


def notice_job(
    *,
    text: str,
    at: dt.datetime,
    hotline: str,
    kiosk_id: str,
    station_name: str,
    paper_width_chars: int = 32,
) -> PrintJob:
    """A notice staff printed for the resident during a video call: their words, the time, the
    station and the hotline. What staff type is theirs to keep free of personal data."""
    width = _wide_enough(paper_width_chars, "a notice")
    words = [line for paragraph in text.splitlines() for line in wrap(paragraph, width) or [""]]
    lines: list[TextLine | QrCode | Feed | Cut] = [
        *_heading("服务中心提示", "A note from the service center", station_name, kiosk_id, width),
        *(TextLine(line) for line in words),
        TextLine("-" * width),
        *_time_and_hotline(at, hotline, width),
    ]
    lines += _closing("感谢您的耐心", "Thank you for your patience", width)
    return PrintJob(tuple(lines))


# The businesses' names on paper, in both languages (the screens have their own, translated).
BUSINESS_NAMES = {
    "change-holder": ("更名过户", "Change of account holder"),
    "multi-person": ("一户多人口", "Large household quota"),
    "capacity": ("增容", "More capacity"),
    "meter-check": ("电能表校验", "Meter accuracy check"),
    "ev-charger": ("充电桩报装", "EV charger connection"),
    "rooftop-pv": ("分布式光伏", "Rooftop solar (PV)"),
    "real-name": ("实名制登记", "Real-name registration"),
    "fault-report": ("故障报修", "Fault report"),
}


def application_slip_job(
    *,
    number: str,
    kind: str,
    at: dt.datetime,
    hotline: str,
    kiosk_id: str,
    station_name: str,
    paper_width_chars: int = 32,
) -> PrintJob:
    """The slip of a submitted application: its number (large, and as a QR to scan here or
    photograph), the business, the time and the hotline. Nothing personal: the number alone
    shows only the progress, never the form."""
    from sync.protocol.business import SLIP_QR_PREFIX

    width = _wide_enough(paper_width_chars, "a slip")
    chinese, english = BUSINESS_NAMES.get(kind, (kind, kind))
    qr = SLIP_QR_PREFIX + number
    lines: list[TextLine | QrCode | Feed | Cut] = [
        *_heading("业务受理回执", "Application received", station_name, kiosk_id, width),
        *(TextLine(line) for line in pair("业务 Business", chinese, width)),
        TextLine(english, align=Align.RIGHT),
        TextLine("受理号 Application No.", align=Align.CENTER),
        TextLine(number, size=TextSize.DOUBLE_HEIGHT, bold=True, align=Align.CENTER),
        *_time_and_hotline(at, hotline, width),
        TextLine("-" * width),
        QrCode(qr, module_size=_qr_module(qr, width)),
        *(TextLine(line, align=Align.CENTER) for line in wrap("扫码或凭受理号查询办理进度", width)),
        *(
            TextLine(line, align=Align.CENTER)
            for line in wrap("Scan or quote the number to follow your application", width)
        ),
    ]
    lines += _closing("办理结果将短信通知您", "You will get an SMS at each step", width)
    return PrintJob(tuple(lines))


def _wide_enough(width: int, what: str) -> int:
    """The paper's width in columns, if a slip or a notice fits on it."""
    if width < 24:
        raise ValueError(f"paper of {width} columns is too narrow for {what}")
    return width


def _time_and_hotline(at: dt.datetime, hotline: str, width: int) -> list[TextLine]:
    return [
        TextLine(line)
        for label, value in (("时间 Time", local_time(at)), ("服务热线 Hotline", hotline))
        for line in pair(label, value, width)
    ]


def _heading(
    title: str, subtitle: str, station_name: str, kiosk_id: str, width: int
) -> list[TextLine]:
    """The paper's title (large when it fits), what it is in English, the station and kiosk."""
    size = TextSize.DOUBLE if columns(title) * 2 <= width else TextSize.DOUBLE_HEIGHT
    rule = TextLine("-" * width)
    return [
        TextLine(title, size=size, bold=True, align=Align.CENTER),
        TextLine(subtitle, align=Align.CENTER),
        rule,
        *(TextLine(line) for line in pair("营业厅 Station", station_name, width)),
        *(TextLine(line) for line in pair("终端 Kiosk", kiosk_id, width)),
        rule,
    ]


def _closing(chinese: str, english: str, width: int) -> list[TextLine | Feed | Cut]:
    """What to do with the paper, in both languages, then feed and cut."""
    return [
        TextLine("-" * width),
        *(TextLine(line, align=Align.CENTER) for line in wrap(chinese, width)),
        *(TextLine(line, align=Align.CENTER) for line in wrap(english, width)),
        Feed(3),
        Cut(),
    ]


def _period_lines(period: ReceiptPeriod, utility: Utility, unit: str, width: int) -> list[TextLine]:
    widths = _TABLE_WIDTHS.get(width) or _table_widths(width)
    usage = utility_words(utility).usage
    used = usage.zh
    unit = unit_on_paper(unit)
    rows = [
        *pair("账期 Period", period.period, width),
        *pair(_both(usage), f"{_quantity(period.quantity)} {unit}", width),
        *table_row(("阶梯", used, "单价", "金额"), widths, width),
        *table_row(("Tier", unit, "Price", "Amount"), widths, width),
    ]
    for tier in period.tiers:
        cells = (
            f"第{tier.tier}档",
            _quantity(tier.quantity),
            _plain(tier.unit_price, 4),
            _plain(tier.amount),
        )
        rows += table_row(cells, widths, width)
    rows += pair("本期金额 Charge", money(period.amount), width)
    if period.late_fee:
        rows += pair("违约金 Late fee", money(period.late_fee), width)
    return [TextLine(row) for row in rows]


def _table_widths(width: int) -> tuple[int, int, int, int]:
    quarter = width // 4
    return (width - 3 * quarter, quarter, quarter, quarter)


def _quantity(value: Decimal) -> str:
    """215.00 kWh reads 215; 12.50 stays 12.50."""
    text = _plain(value)
    return text[:-3] if text.endswith(".00") else text


def _total_lines(total: Decimal, width: int) -> list[TextLine]:
    """What was paid, large: double size when it fits, else double height."""
    figure = money(total)
    size = TextSize.DOUBLE if columns(figure) * 2 <= width else TextSize.DOUBLE_HEIGHT
    return [TextLine(figure, size=size, bold=True, align=Align.RIGHT)]


def _qr_module(url: str, width: int) -> int:
    """Dots per module so the code is about half the paper wide: big enough for any phone."""
    size = len(url.encode("utf-8"))
    # Byte capacity of QR versions 1-10 at error correction L; a version has 17 + 4v modules.
    version = next((v for v, most in enumerate(_QR_L_BYTES, 1) if size <= most), 11)
    paper_dots = 384 if width <= 32 else 576
    return max(2, min(8, paper_dots // 2 // (17 + 4 * version)))


_QR_L_BYTES = (17, 32, 53, 78, 106, 134, 154, 192, 230, 271)
