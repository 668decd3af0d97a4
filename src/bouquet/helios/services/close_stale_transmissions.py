"""Move to 24 (transmis sans acquittement) what stays "Transmis" too long without an acquittement."""

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from bouquet.core.audit import Actor
from bouquet.helios import workflow
from bouquet.helios.errors import WorkflowError
from bouquet.helios.models import Transaction

__all__ = ["close_stale_transmissions"]

ACTOR = Actor.system("suivi des acquittements (HELIOS)")


def close_stale_transmissions(*, now: datetime | None = None) -> list[Transaction]:
    """Every transaction "Transmis" for over ``HELIOS_STALE_AFTER_HOURS`` hours goes to 24.

    An acquittement arriving afterwards still applies (24 → 8).
    """
    now = now or timezone.now()
    hours = settings.HELIOS_STALE_AFTER_HOURS
    moved = []
    for transaction in Transaction.objects.stale_transmitted(now, hours).select_related("authority"):
        try:
            workflow.change_status(
                transaction,
                workflow.Event.STALE,
                actor=ACTOR,
                now=now,
                message=f"Aucun acquittement de la DGFiP {hours} heures après la transmission",
            )
        except WorkflowError:  # acquitted meanwhile
            continue
        moved.append(transaction)
    return moved
