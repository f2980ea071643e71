"""Device contracts: lifecycle rules, print jobs as data, and ID cards that never leak into logs."""

from datetime import date

import pytest

from drivers.contracts import (
    CardKind,
    Cut,
    DeviceState,
    DeviceUnavailable,
    Feed,
    Gender,
    HealthStatus,
    IdCard,
    IllegalState,
    InvalidPrintJob,
    PrintJob,
    QrCode,
    ScannedCode,
    ScanSource,
    TextLine,
)
from drivers.simulated.printer import SimulatedPrinter
from drivers.simulated.scanner import SimulatedScanner


def test_lifecycle_goes_closed_idle_enabled_and_back():
    printer = SimulatedPrinter()
    assert printer.state is DeviceState.CLOSED
    printer.open()
    assert printer.state is DeviceState.IDLE
    printer.enable()
    assert printer.state is DeviceState.ENABLED
    printer.disable()
    assert printer.state is DeviceState.IDLE
    printer.close()
    assert printer.state is DeviceState.CLOSED


@pytest.mark.parametrize(
    ("steps", "illegal"),
    [
        ([], "enable"),
        ([], "disable"),
        ([], "close"),
        (["open"], "open"),
        (["open"], "disable"),
        (["open", "enable"], "enable"),
        (["open", "enable"], "open"),
    ],
)
def test_illegal_transitions_raise_and_change_nothing(steps, illegal):
    scanner = SimulatedScanner()
    for step in steps:
        getattr(scanner, step)()
    before = scanner.state
    with pytest.raises(IllegalState, match=illegal):
        getattr(scanner, illegal)()
    assert scanner.state is before
    if scanner.state is not DeviceState.CLOSED:
        scanner.close()


def test_close_from_enabled_and_reopen_repeatedly():
    scanner = SimulatedScanner()
    for _ in range(3):
        scanner.open()
        scanner.enable()
        scanner.close()
        assert scanner.state is DeviceState.CLOSED


def test_unplugged_device_allows_only_close_and_reports_fault():
    printer = SimulatedPrinter()
    printer.open()
    printer.enable()
    printer.unplug()
    assert printer.state is DeviceState.UNAVAILABLE
    assert printer.check_health().status is HealthStatus.FAULT
    with pytest.raises(IllegalState):
        printer.disable()
    with pytest.raises(DeviceUnavailable):
        printer.print_job(PrintJob((TextLine("x"),)))
    printer.plug_in()
    assert printer.state is DeviceState.ENABLED
    printer.close()


def test_health_of_a_closed_device_is_unknown():
    health = SimulatedScanner().check_health()
    assert health.status is HealthStatus.UNKNOWN
    assert health.detail == "not open"
    assert health.checked_at.tzinfo is not None


def test_print_on_a_device_not_enabled_is_refused():
    printer = SimulatedPrinter()
    printer.open()
    with pytest.raises(IllegalState, match="not enabled"):
        printer.print_job(PrintJob((TextLine("x"),)))
    printer.close()


def test_print_job_is_data_and_keeps_its_lines():
    job = PrintJob([TextLine("合计", bold=True), QrCode("https://x/1"), Feed(2), Cut()])
    assert isinstance(job.lines, tuple)
    assert len(job.lines) == 4
    assert job == PrintJob((TextLine("合计", bold=True), QrCode("https://x/1"), Feed(2), Cut()))


@pytest.mark.parametrize(
    "build",
    [
        lambda: PrintJob(()),
        lambda: PrintJob(("plain str",)),
        lambda: TextLine("two\nlines"),
        lambda: TextLine("\x1b@reset"),
        lambda: QrCode(""),
        lambda: QrCode("x", module_size=17),
        lambda: QrCode("x" * 3000),
        lambda: Feed(0),
    ],
)
def test_bad_print_jobs_raise_a_typed_error(build):
    with pytest.raises(InvalidPrintJob):
        build()


def _card(valid_to: date | None) -> IdCard:
    return IdCard(
        kind=CardKind.RESIDENT,
        name="王𠮷",
        gender=Gender.FEMALE,
        nation="01",
        birth_date=date(1948, 9, 21),
        address="江苏省南京市鼓楼区湖南路街道马台街99号5幢102室",
        id_number="320106194809210042",
        authority="南京市公安局鼓楼分局",
        valid_from=date(2010, 3, 2),
        valid_to=valid_to,
        photo=bytes(1024),
    )


def test_id_card_repr_and_str_mask_name_number_and_address():
    card = _card(None)
    for shown in (repr(card), str(card), f"{card}", repr([card])):
        assert "320106194809210042" not in shown
        assert "王𠮷" not in shown
        assert "𠮷" not in shown
        assert "马台街" not in shown
        assert "\\x00" not in shown  # the photo stays out too
    assert "长期" in repr(card)


def test_id_card_validity_with_and_without_expiry():
    assert _card(None).valid_on(date(2090, 1, 1))
    assert not _card(None).valid_on(date(2009, 1, 1))
    assert _card(date(2030, 3, 2)).valid_on(date(2030, 3, 2))
    assert not _card(date(2030, 3, 2)).valid_on(date(2030, 3, 3))


def test_scanned_code_repr_hides_a_payment_code():
    code = ScannedCode("134567890123456789", ScanSource.SERIAL)
    assert "134567890123456789" not in repr(code)
    assert "len=18" in repr(code)
