"""Transmission windows towards Hélios: when sending is allowed and how many bytes per hourly slot.

S²LOW cuts admin-defined windows into one-hour slots with a byte budget each; a file may go when
``budget - consumed - size > 0`` (strictly), and bytes are counted only after a successful send.
Here the policy is a pure value; the caller stores the bytes consumed per :meth:`WindowBudget.slot_key`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["WindowBudget", "parse_ranges"]

_ALL_HOURS = frozenset(range(24))
_ALL_DAYS = frozenset(range(7))


def parse_ranges(text: str, *, upper: int) -> frozenset[int]:
    """``"8-11,14-17"`` → {8, …, 11, 14, …, 17}; empty text means every value below ``upper``.

    :raises ValueError: malformed text or a value out of ``0..upper-1``.
    """
    text = text.strip()
    if not text:
        return frozenset(range(upper))
    values: set[int] = set()
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        low, high = int(first), int(last or first)
        if not 0 <= low <= high < upper:
            raise ValueError(f"Plage invalide « {part} » (0 à {upper - 1}).")
        values.update(range(low, high + 1))
    return frozenset(values)


@dataclass(frozen=True)
class WindowBudget:
    """Sending policy.

    :param hours: hours of the day (local time of ``now``) when sending is allowed.
    :param days: allowed weekdays, Monday = 0.
    :param bytes_per_slot: byte budget of each hourly slot; ``None`` means unlimited (S²LOW's
        "no slot, no limit").
    """

    hours: frozenset[int] = _ALL_HOURS
    days: frozenset[int] = _ALL_DAYS
    bytes_per_slot: int | None = None

    def __post_init__(self) -> None:
        if not self.hours <= _ALL_HOURS or not self.days <= _ALL_DAYS:
            raise ValueError("Heures 0-23 et jours 0-6 attendus.")
        if self.bytes_per_slot is not None and self.bytes_per_slot <= 0:
            raise ValueError("Le budget d'un créneau doit être positif (None = illimité).")

    def is_open(self, now: datetime) -> bool:
        return now.hour in self.hours and now.weekday() in self.days

    @staticmethod
    def slot_key(now: datetime) -> str:
        """Key of the hourly slot containing ``now``, under which the caller counts consumed bytes."""
        return now.strftime("%Y-%m-%dT%H")

    def can_send(self, size: int, *, now: datetime, consumed: int = 0) -> bool:
        """May a file of ``size`` bytes go now, ``consumed`` bytes having gone in this slot?

        A file bigger than the whole budget can never go: the caller's 48-hour warning catches it.
        """
        if not self.is_open(now):
            return False
        return self.bytes_per_slot is None or self.bytes_per_slot - consumed - size > 0

    def next_opening(self, now: datetime) -> datetime | None:
        """Start of the next open hour after ``now`` (``now`` itself if open); ``None`` if never."""
        if not self.hours or not self.days:
            return None
        candidate = now
        for _ in range(24 * 7 + 1):
            if self.is_open(candidate):
                return candidate
            candidate = (candidate + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
        return None
