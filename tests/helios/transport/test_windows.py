from datetime import datetime

import pytest

from bouquet.helios.transport import WindowBudget, parse_ranges

MONDAY_10 = datetime(2026, 5, 4, 10, 17)


def test_parse_ranges():
    assert parse_ranges("8-11,14", upper=24) == {8, 9, 10, 11, 14}
    assert parse_ranges(" ", upper=7) == set(range(7))
    for bad in ("5-3", "24", "x", "1-2-3"):
        with pytest.raises(ValueError):
            parse_ranges(bad, upper=24)


def test_default_is_unlimited():
    assert WindowBudget().can_send(10**12, now=MONDAY_10, consumed=10**12)


def test_hours_and_days_restrict_sending():
    office = WindowBudget(hours=parse_ranges("8-11,14-17", upper=24), days=parse_ranges("0-4", upper=7))
    assert office.can_send(1, now=MONDAY_10)
    assert not office.can_send(1, now=MONDAY_10.replace(hour=12))
    assert not office.can_send(1, now=datetime(2026, 5, 9, 10))  # Saturday
    assert office.next_opening(MONDAY_10.replace(hour=12, minute=40)) == MONDAY_10.replace(hour=14, minute=0)
    assert office.next_opening(datetime(2026, 5, 8, 18)) == datetime(2026, 5, 11, 8)
    assert office.next_opening(MONDAY_10) == MONDAY_10


def test_byte_budget_is_strict_like_s2low():
    window = WindowBudget(bytes_per_slot=1000)
    assert window.can_send(999, now=MONDAY_10, consumed=0)
    assert not window.can_send(1000, now=MONDAY_10, consumed=0)  # 1000 - 0 - 1000 > 0 is false
    assert not window.can_send(500, now=MONDAY_10, consumed=500)
    assert window.can_send(499, now=MONDAY_10, consumed=500)


def test_slot_key_is_the_hour():
    assert WindowBudget.slot_key(MONDAY_10) == "2026-05-04T10"


def test_invalid_windows():
    with pytest.raises(ValueError):
        WindowBudget(bytes_per_slot=0)
    with pytest.raises(ValueError):
        WindowBudget(hours=frozenset({24}))
    assert WindowBudget(hours=frozenset()).next_opening(MONDAY_10) is None
