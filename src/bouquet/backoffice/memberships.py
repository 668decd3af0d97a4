"""Membership status on a date, for one authority or a whole list, from the dated history rows."""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from bouquet.backoffice.choices import MembershipStatus
from bouquet.backoffice.models import MembershipStatusChange

__all__ = ["member_during", "status_on", "with_status"]


def _status_subquery(on: date) -> Subquery:
    latest = MembershipStatusChange.objects.filter(authority=OuterRef("pk"), effective_date__lte=on)
    return Subquery(latest.order_by("-effective_date", "-id").values("status")[:1])


def with_status(authorities: QuerySet, on: date | None = None) -> QuerySet:
    """Annotate ``membership_status`` (None: never recorded) as of ``on`` (today by default)."""
    return authorities.annotate(membership_status=_status_subquery(on or timezone.localdate()))


def status_on(authority, on: date | None = None) -> MembershipStatusChange | None:
    """The row in force on ``on`` (today by default): the latest effective date not after it."""
    rows = MembershipStatusChange.objects.filter(
        authority=authority, effective_date__lte=on or timezone.localdate()
    )
    return rows.order_by("-effective_date", "-id").first()


def _periods(changes: Sequence) -> Iterable[tuple[str, date, date | None]]:
    """(status, first day, last day or None) per row, by date; a row replaced the same day is skipped."""
    ordered = sorted(changes, key=lambda row: (row.effective_date, row.id or 0))
    for index, row in enumerate(ordered):
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        last = following.effective_date - timedelta(days=1) if following else None
        if last is None or last >= row.effective_date:
            yield row.status, row.effective_date, last


def member_during(changes: Sequence, start: date, end: date) -> bool:
    """True when the history shows "adhérent" on at least one day of ``[start, end]``.

    ``changes`` are one authority's rows (models or named rows with status, effective_date, id).
    """
    return any(
        status == MembershipStatus.MEMBER and first <= end and (last is None or last >= start)
        for status, first, last in _periods(changes)
    )
