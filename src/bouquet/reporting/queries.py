"""Monthly figures over the transmission modules, for one member or for every member served.

Each function takes a queryset already scoped by the caller (``for_tenant`` for a member,
``served_by`` for operator staff) and a half-open period; it never widens that scope.
Counting is done by the database; only the send→AR delays are brought back, one pair of
timestamps per acknowledged act, to compute medians portably (SQLite has no percentile).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median

from django.db.models import Count, Min, OuterRef, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

__all__ = ["MonthFigures", "Period", "actes_figures", "helios_figures", "months_between"]


@dataclass(frozen=True)
class Period:
    """[start, end) in whole months, local time."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year + 1, 1, 1))

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        return (
            datetime(self.start.year, self.start.month, 1, tzinfo=tz),
            datetime(self.end.year, self.end.month, 1, tzinfo=tz),
        )


@dataclass
class MonthFigures:
    month: date
    total: int = 0
    by_nature: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    acknowledged: int = 0
    delay_median_hours: float | None = None
    delay_max_hours: float | None = None


def months_between(period: Period) -> list[date]:
    months, current = [], period.start.replace(day=1)
    while current < period.end:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def _month_key(value) -> date:
    """TruncMonth gives a datetime on PostgreSQL and SQLite alike; keep the local month."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return date(value.year, value.month, 1)
    return date(value.year, value.month, 1)


def _empty(period: Period) -> dict[date, MonthFigures]:
    return {m: MonthFigures(month=m) for m in months_between(period)}


def actes_figures(transactions, period: Period, *, with_delays: bool = True) -> list[MonthFigures]:
    """Acts (type 1) created per month, by nature and by status, and (``with_delays``) the delay
    from sending (first "Transmis", 3) to the acknowledgement (first "Acquittement reçu", 4).
    The delays read one row per acknowledged act: dashboards, which only chart counts, skip them."""
    from bouquet.actes.choices import Nature, Status, TransactionType
    from bouquet.actes.models import TransactionHistory

    start, end = period.bounds()
    acts = transactions.filter(type=TransactionType.ACTE, created_at__gte=start, created_at__lt=end)
    months = _empty(period)
    natures, statuses = dict(Nature.choices), dict(Status.choices)
    rows = (
        acts.annotate(month=TruncMonth("created_at"))
        .values("month", "nature", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        figures = months.get(_month_key(row["month"]))
        if figures is None:
            continue
        figures.total += row["n"]
        nature = natures.get(row["nature"], "Non précisée")
        figures.by_nature[nature] = figures.by_nature.get(nature, 0) + row["n"]
        status = statuses.get(row["status"], str(row["status"]))
        figures.by_status[status] = figures.by_status.get(status, 0) + row["n"]
    if not with_delays:
        return list(months.values())

    def first_at(status: int):
        return Subquery(
            TransactionHistory.objects.filter(transaction=OuterRef("pk"), status=status)
            .order_by()
            .values("transaction")
            .annotate(first=Min("at"))
            .values("first")[:1]
        )

    delays: dict[date, list[float]] = defaultdict(list)
    pairs = (
        acts.annotate(sent=first_at(Status.TRANSMIS), acked=first_at(Status.ACQUITTEMENT_RECU))
        .filter(sent__isnull=False, acked__isnull=False)
        .values_list("created_at", "sent", "acked")
    )
    for created_at, sent, acked in pairs.iterator(chunk_size=2000):
        delays[_month_key(created_at)].append(max((acked - sent).total_seconds(), 0) / 3600)
    for month, values in delays.items():
        if month in months:
            months[month].acknowledged = len(values)
            months[month].delay_median_hours = round(median(values), 2)
            months[month].delay_max_hours = round(max(values), 2)
    return list(months.values())


def helios_figures(transactions, period: Period) -> list[MonthFigures]:
    """PES files deposited per month, by status (HELIOS has no nature)."""
    start, end = period.bounds()
    months = _empty(period)
    model = transactions.model
    statuses = dict(model._meta.get_field("status").choices or [])
    rows = (
        transactions.filter(created_at__gte=start, created_at__lt=end)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        figures = months.get(_month_key(row["month"]))
        if figures is None:
            continue
        figures.total += row["n"]
        status = str(statuses.get(row["status"], row["status"]))
        figures.by_status[status] = figures.by_status.get(status, 0) + row["n"]
    return list(months.values())
