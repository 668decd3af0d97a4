"""Pure helpers for the task layer: retry delays and the hourly byte budget."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bouquet.actes.transport import WindowBudget, backoff_delay


@pytest.mark.parametrize("jitter", [0.0, 0.5, 1.0])
def test_backoff_grows_and_is_capped(jitter):
    delays = [backoff_delay(n, base=30, cap=3600, jitter=lambda: jitter) for n in range(1, 40)]
    assert delays == sorted(delays)
    assert max(delays) <= 3600 and delays[-1] == 1800 + 1800 * jitter
    assert delays[0] == 15 + 15 * jitter


def test_backoff_jitter_stays_within_half_and_full_delay():
    for _ in range(200):
        assert 60 <= backoff_delay(3) <= 120  # 30 * 2**2 = 120


def test_backoff_refuses_attempt_zero():
    with pytest.raises(ValueError):
        backoff_delay(0)


def test_unlimited_window_always_sends():
    assert WindowBudget(0).can_send(10**12, 10**12)
    assert WindowBudget().remaining(5) is None


def test_window_budget():
    window = WindowBudget(1000)
    assert window.can_send(400, 600)
    assert not window.can_send(401, 600)
    assert window.remaining(600) == 400 and window.remaining(2000) == 0


def test_an_archive_larger_than_the_budget_goes_alone_into_an_empty_slot():
    window = WindowBudget(1000)
    assert window.can_send(5000, 0)
    assert not window.can_send(5000, 1)


def test_negative_budget_is_refused():
    with pytest.raises(ValueError):
        WindowBudget(-1)


def test_slots_are_clock_hours():
    paris = timezone(timedelta(hours=1))
    now = datetime(2026, 3, 2, 14, 59, 59, 999999, tzinfo=paris)
    assert WindowBudget.slot_start(now) == datetime(2026, 3, 2, 14, tzinfo=paris)
    assert WindowBudget.next_slot(now) == datetime(2026, 3, 2, 15, tzinfo=paris)
    assert WindowBudget.slot_start(datetime(2026, 3, 2, 15, tzinfo=UTC)) == datetime(
        2026, 3, 2, 15, tzinfo=UTC
    )
