"""The transmission-windows page: the windows, this hour's budget use, the last slots, the queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Sum
from django.utils import timezone

from bouquet.core.models import Authority
from bouquet.helios.choices import Status
from bouquet.helios.models import Transaction, TransmissionSlot
from bouquet.helios.transport import WindowBudget, window_from_settings

__all__ = ["SlotRow", "window_report"]

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
HISTORY_HOURS = 24


@dataclass(frozen=True)
class SlotRow:
    """One hourly slot: when, how many bytes went, which share of the budget."""

    start: datetime
    used: int
    percent: int | None  #: None when the budget is unlimited
    open: bool


def _ranges(values: frozenset[int], upper: int) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for value in range(upper):
        if value in values:
            if ranges and ranges[-1][1] == value - 1:
                ranges[-1] = (ranges[-1][0], value)
            else:
                ranges.append((value, value))
    return ranges


def hours_text(hours: frozenset[int]) -> str:
    if len(hours) == 24:
        return "toute la journée"
    if not hours:
        return "aucune heure (envoi suspendu)"
    return ", ".join(f"de {low} h à {high + 1} h" for low, high in _ranges(hours, 24))


def days_text(days: frozenset[int]) -> str:
    if len(days) == 7:
        return "tous les jours"
    if not days:
        return "aucun jour (envoi suspendu)"
    parts = []
    for low, high in _ranges(days, 7):
        parts.append(DAYS[low] if low == high else f"du {DAYS[low]} au {DAYS[high]}")
    return ", ".join(parts)


def _percent(used: int, budget: int | None) -> int | None:
    return None if not budget else min(100, round(used * 100 / budget))


def window_report(request, now: datetime | None = None) -> dict:
    """The page's context; ``now`` in local time (the windows are local hours)."""
    now = timezone.localtime(now)
    try:
        window: WindowBudget | None = window_from_settings()
        problem = ""
    except ValueError as exc:
        window, problem = None, f"Réglage des fenêtres invalide : {exc}"
    budget = window.bytes_per_slot if window else None
    start = now.replace(minute=0, second=0, microsecond=0)
    keys = {
        WindowBudget.slot_key(start - timedelta(hours=n)): start - timedelta(hours=n)
        for n in range(HISTORY_HOURS)
    }
    used = dict(TransmissionSlot.objects.filter(slot__in=keys).values_list("slot", "bytes_used"))
    slots = [
        SlotRow(
            moment,
            used.get(key, 0),
            _percent(used.get(key, 0), budget),
            bool(window and window.is_open(moment)),
        )
        for key, moment in keys.items()
    ]
    current = slots[0]
    queue = Transaction.objects.filter(
        authority__in=Authority.objects.served_by(request.user).values("pk"),
        status=Status.EN_ATTENTE_TRANSMISSION,
    )
    waiting = queue.aggregate(count=Count("id"), size=Sum("size"))
    oldest = queue.order_by("created_at", "id").values_list("size", flat=True).first()
    return {
        "problem": problem,
        "window": window,
        "hours": hours_text(window.hours) if window else "",
        "days": days_text(window.days) if window else "",
        "budget": budget,
        "now": now,
        "is_open": bool(window and window.is_open(now)),
        "next_opening": window.next_opening(now) if window else None,
        "current": current,
        "remaining": None if budget is None else max(0, budget - current.used),
        "slots": slots,
        "waiting_count": waiting["count"] or 0,
        "waiting_size": waiting["size"] or 0,
        "next_fits": (
            None
            if oldest is None or window is None
            else window.can_send(oldest, now=now, consumed=current.used)
        ),
    }
