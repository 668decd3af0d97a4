"""The server's clock, the one that decides whether a bid is on time (one place, so tests can move it)."""

from datetime import datetime

from django.utils import timezone

__all__ = ["now"]


def now() -> datetime:
    return timezone.now()
