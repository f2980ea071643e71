"""The domain of residents' business: the catalogue, drafts, numbers and renewal."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from kiosk.domain import applications as domain
from kiosk.domain.applications import (
    CATALOGUE,
    ApplicationKind,
    DocumentState,
    Draft,
    multi_person_valid_until,
    new_application_number,
    normalise_application_number,
    renewal_due,
    slip_qr_text,
)
from sync.protocol import business as protocol

CARD = {"name": "张三", "id_number": "11010519491231002X", "address": "南京市玄武区孝陵卫街1号"}


def test_the_domain_and_the_protocol_agree_on_kinds_and_numbers() -> None:
    assert {k.value for k in ApplicationKind} == {k.value for k in protocol.ApplicationKind}
    assert domain.APPLICATION_NUMBER.pattern == protocol.APPLICATION_NUMBER.pattern
    assert domain.SLIP_QR_PREFIX == protocol.SLIP_QR_PREFIX
    assert set(CATALOGUE) == set(ApplicationKind)


def test_numbers_are_valid_unique_and_survive_the_usual_slips() -> None:
    rng = random.Random(7)
    day = dt.date(2026, 12, 3)
    numbers = {new_application_number(day, rng.randbytes(5)) for _ in range(2000)}
    assert len(numbers) == 2000
    for number in list(numbers)[:200]:
        assert protocol.APPLICATION_NUMBER.fullmatch(number)
        assert normalise_application_number(number) == number
        assert normalise_application_number(number.lower()) == number
        spaced = f" {number[:8]} {number[8:]} "
        assert normalise_application_number(spaced) == number
        assert normalise_application_number(slip_qr_text(number)) == number
        assert normalise_application_number(number.replace("0", "O")) == number


def test_a_mistyped_number_is_refused_not_looked_up() -> None:
    number = new_application_number(dt.date(2026, 12, 3), bytes(range(5)))
    body = number[2:-1]
    wrong = typos = 0
    for i, c in enumerate(body):
        for other in "0123456789ABCDEFGHJKMNPQRSTVWXYZ":
            if other == c or (i < 6 and not other.isdigit()):
                continue
            typo = "SQ" + body[:i] + other + body[i + 1 :] + number[-1]
            typos += 1
            wrong += normalise_application_number(typo) is None
    swapped = "SQ" + body[:8] + body[9] + body[8] + body[10:] + number[-1]
    assert body[8] == body[9] or normalise_application_number(swapped) is None
    assert (
        wrong > 0.9 * sum(1 for _ in body) * 20
    )  # a single wrong character is almost always caught
    assert normalise_application_number("12345") is None
    assert normalise_application_number("") is None


def test_a_draft_asks_only_for_what_is_missing_and_not_on_file() -> None:
    draft = Draft(CATALOGUE[ApplicationKind.EV_CHARGER], dict(CARD), account_number="3201001234")
    assert [need.id for need in draft.still_wanted()] == ["parking-proof", "property-consent"]
    draft.know_on_file({"property-consent", "household-register"})
    assert [need.id for need in draft.still_wanted()] == ["parking-proof"]
    draft.answers.update(phone="13912345678", charger_kw="7", parking_space="B2-118")
    assert draft.problems() == {"parking-proof": "missing"}
    draft.set_document("parking-proof", DocumentState.PROMISED)
    assert draft.problems() == {}
    assert draft.promised() == ["parking-proof"] and draft.on_file() == ["property-consent"]
    assert draft.form()["id_number"] == CARD["id_number"]


def test_a_commitment_letter_stands_in_only_where_the_rules_allow() -> None:
    draft = Draft(CATALOGUE[ApplicationKind.MULTI_PERSON], dict(CARD), account_number="3201001234")
    with pytest.raises(ValueError, match="commitment letter"):
        draft.set_document("household-register", DocumentState.PROMISED)
    with pytest.raises(ValueError, match="cannot be left out"):
        draft.set_document("household-register", DocumentState.SKIPPED)


def test_fields_are_checked_in_the_residents_terms() -> None:
    draft = Draft(CATALOGUE[ApplicationKind.MULTI_PERSON], dict(CARD), account_number="3201001234")
    draft.answers.update(phone="13912345678", members="4")
    assert draft.problems()["members"] == "too_small"
    draft.answers["members"] = "五"
    assert draft.problems()["members"] == "not_a_number"
    fault = Draft(CATALOGUE[ApplicationKind.FAULT_REPORT], dict(CARD), account_number="3201001234")
    fault.answers.update(phone="13912345678", fault="sparks", location="home")
    assert fault.problems() == {"fault": "not_a_choice", "fault-photo": "missing"}
    fault.answers["fault"] = "wire"
    fault.set_document("fault-photo", DocumentState.SKIPPED)
    assert fault.problems() == {}


def test_a_large_household_quota_is_renewed_every_two_years() -> None:
    until = multi_person_valid_until(dt.date(2024, 2, 29))
    assert until == dt.date(2026, 2, 28)
    assert not renewal_due(until, dt.date(2025, 12, 1))
    assert renewal_due(until, dt.date(2026, 1, 1))
    assert renewal_due(until, dt.date(2026, 3, 1))  # lapsed: renew now
    assert not renewal_due(None, dt.date(2026, 3, 1))
