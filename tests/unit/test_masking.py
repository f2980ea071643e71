import pytest

from rules.masking import (
    mask_address,
    mask_digits,
    mask_id_number,
    mask_name,
    mask_personal_data,
)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("张三", "张*"),
        ("李秀英", "李*英"),
        ("欧阳丽娟", "欧**娟"),
        ("王𠮷", "王*"),
        ("", ""),
        ("赵", "*"),
    ],
)
def test_names_keep_only_their_ends(name: str, shown: str) -> None:
    assert mask_name(name) == shown


def test_id_number_keeps_region_and_last_two() -> None:
    assert mask_id_number("320102195203140026") == "3201************26"


def test_address_keeps_district_only() -> None:
    shown = mask_address("江苏省南京市玄武区孝陵卫街道钟灵街18号")
    assert shown.startswith("江苏省南京市") and "18号" not in shown


def test_payment_code_middle_hidden() -> None:
    assert mask_digits("134567890123456789") == "1345**********6789"


def test_free_text_is_scrubbed_of_every_kind() -> None:
    text = (
        "card 320102195203140026 and code 134567890123456789, alipay 281234567890123456, "
        "phone 13912345678, account 3201000001"
    )
    masked = mask_personal_data(text)
    for secret in ("320102195203140026", "134567890123456789", "281234567890123456", "13912345678"):
        assert secret not in masked
    # Account numbers are not personal data and stay readable for the technician.
    assert "3201000001" in masked


def test_masking_twice_changes_nothing_more() -> None:
    once = mask_personal_data("id 11010519491231002X")
    assert mask_personal_data(once) == once
