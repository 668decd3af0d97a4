"""Close in error what stays "Transmis" too long (S²LOW ``ActesTransactionsCloser``, 30 days)."""

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from bouquet.actes import workflow
from bouquet.actes.errors import WorkflowError
from bouquet.actes.models import Transaction
from bouquet.core.audit import Actor

__all__ = ["close_stale_transmissions"]

ACTOR = Actor.system("fermeture automatique (ACTES)")


def close_stale_transmissions(*, now: datetime | None = None) -> list[Transaction]:
    """Move every transaction "Transmis" for over ``ACTES_TRANSMIS_TIMEOUT_DAYS`` days to -1."""
    now = now or timezone.now()
    days = settings.ACTES_TRANSMIS_TIMEOUT_DAYS
    closed = []
    for transaction in Transaction.objects.stale_transmitted(now, days).select_related("authority"):
        try:
            workflow.change_status(
                transaction,
                workflow.Event.TIMEOUT,
                actor=ACTOR,
                now=now,
                message=f"Fermeture automatique de la transaction de plus de {days} jours",
            )
        except WorkflowError:  # answered meanwhile: nothing to close
            continue
        closed.append(transaction)
    return closed
