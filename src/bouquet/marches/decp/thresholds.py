"""The amount from which a marché's essential data must be published, by notification date.

One dated table, so that a change of the law is one new line (CCP R2196-1 and the arrêtés of
22 December 2022: 40 000 € HT for contracts notified from 1 January 2024).
"""

from datetime import date
from decimal import Decimal

__all__ = ["DECP_THRESHOLDS", "decp_threshold", "must_publish"]

#: (first notification date it applies to, amount € HT), oldest first.
DECP_THRESHOLDS: tuple[tuple[date, Decimal], ...] = ((date(2024, 1, 1), Decimal("40000")),)


def decp_threshold(notified_on: date) -> Decimal | None:
    """The threshold in force for a contract notified on ``notified_on`` (None before DECP v2)."""
    current = None
    for start, amount in DECP_THRESHOLDS:
        if notified_on >= start:
            current = amount
    return current


def must_publish(amount_ht: Decimal, notified_on: date) -> bool:
    """True when the essential data of this contract must go to the national open-data portal."""
    threshold = decp_threshold(notified_on)
    return threshold is not None and amount_ht >= threshold
