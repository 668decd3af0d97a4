"""Transmission windows: a byte budget per one-hour slot, as S²LOW throttles what it sends to the ministry.

Pure arithmetic; the bytes already sent in the current slot are counted and stored by the caller.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["WindowBudget"]

_SLOT = timedelta(hours=1)


@dataclass(frozen=True)
class WindowBudget:
    """At most ``limit_bytes_per_hour`` bytes per clock hour; 0 means unlimited."""

    limit_bytes_per_hour: int = 0

    def __post_init__(self) -> None:
        if self.limit_bytes_per_hour < 0:
            raise ValueError("limit_bytes_per_hour must be >= 0")

    @property
    def unlimited(self) -> bool:
        return self.limit_bytes_per_hour == 0

    def can_send(self, size: int, used_in_slot: int) -> bool:
        """Whether an archive of ``size`` bytes fits in what is left of the slot.

        An archive larger than the whole budget goes alone into an empty slot: otherwise it could
        never be sent at all.
        """
        if self.unlimited:
            return True
        if used_in_slot <= 0:
            return True
        return used_in_slot + size <= self.limit_bytes_per_hour

    def remaining(self, used_in_slot: int) -> int | None:
        """Bytes still allowed in the slot (None when unlimited)."""
        return None if self.unlimited else max(0, self.limit_bytes_per_hour - used_in_slot)

    @staticmethod
    def slot_start(now: datetime) -> datetime:
        """The start of the one-hour slot holding ``now`` (same time zone as ``now``)."""
        return now.replace(minute=0, second=0, microsecond=0)

    @classmethod
    def next_slot(cls, now: datetime) -> datetime:
        """When the next slot opens: the time to retry an archive that did not fit."""
        return cls.slot_start(now) + _SLOT
