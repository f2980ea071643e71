import pytest

from rules.codes import CodeKind, classify_code
from rules.masking import mask_digits

PREFIX = "https://95598.js.sgcc.local/bill/"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("134567890123456789", CodeKind.WECHAT),
        ("281234567890123456", CodeKind.ALIPAY),
        ("2812345678901234567890", CodeKind.ALIPAY),
        ("6212345678901234567", CodeKind.UNIONPAY),
        ("3201000001", CodeKind.ACCOUNT_NUMBER),
        ("https://example.org/x", CodeKind.URL),
        ("hello world", CodeKind.GARBAGE),
        ("", CodeKind.GARBAGE),
        ("12345", CodeKind.GARBAGE),
        ("1345\x0067890", CodeKind.GARBAGE),
        ("9" * 600, CodeKind.GARBAGE),
        ("164567890123456789", CodeKind.GARBAGE),  # 18 digits but WeChat codes start 10-15
    ],
)
def test_classification(text: str, kind: CodeKind) -> None:
    assert classify_code(text, PREFIX).kind is kind


def test_bill_qr_gives_its_account() -> None:
    code = classify_code(PREFIX + "3201000001?period=2026-10", PREFIX)
    assert code.kind is CodeKind.BILL and code.account_number == "3201000001"


def test_bill_qr_with_a_bad_account_is_garbage() -> None:
    code = classify_code(PREFIX + "12ab", PREFIX)
    assert code.kind is CodeKind.GARBAGE and code.reason


def test_payment_code_repr_never_carries_the_code() -> None:
    code = classify_code("134567890123456789", PREFIX)
    assert "134567890123456789" not in repr(code)


@pytest.mark.parametrize(
    "raw", ["164567890123456789", "13456789012345678x9", "1345 6789 0123 4567 89", "9" * 600]
)
def test_a_code_that_is_no_payment_code_is_shown_masked_as_one(raw: str) -> None:
    """What could not be read as anything may be a garbled payment code: masked the same way."""
    code = classify_code(raw, PREFIX)
    assert code.kind is CodeKind.GARBAGE
    assert code.shown == mask_digits(code.text)
    assert code.text[4:12] not in code.shown and code.text[4:12] not in repr(code)
