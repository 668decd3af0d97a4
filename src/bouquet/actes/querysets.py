"""Querysets of the ACTES models: tenant scoping comes from ``TenantQuerySet``, never re-written here."""

from datetime import datetime, timedelta

from django.db import models

from bouquet.actes.choices import EnvelopeState, Status, TransactionType
from bouquet.core.querysets import TenantQuerySet

__all__ = ["EnvelopeQuerySet", "TransactionQuerySet"]


class TransactionQuerySet(TenantQuerySet):
    def with_status(self, *statuses: int) -> "TransactionQuerySet":
        return self.filter(status__in=statuses)

    def acts(self) -> "TransactionQuerySet":
        return self.filter(type=TransactionType.ACTE)

    def newest_first(self) -> "TransactionQuerySet":
        # S²LOW orders by the envelope's submission date; ours is the creation order.
        return self.order_by("-created_at", "-id")

    def for_siren(self, siren: str) -> "TransactionQuerySet":
        return self.filter(authority__siren=siren)

    def stale_transmitted(self, now: datetime, days: int) -> "TransactionQuerySet":
        """Still "Transmis" ``days`` after being sent."""
        return self.filter(status=Status.TRANSMIS, last_status_at__lt=now - timedelta(days=days))

    def unacknowledged(self, now: datetime, hours: int) -> "TransactionQuerySet":
        """Acts transmitted more than ``hours`` ago with no AR, whose alert is not sent yet."""
        return self.acts().filter(
            status=Status.TRANSMIS,
            last_status_at__lt=now - timedelta(hours=hours),
            ack_alert_sent_at__isnull=True,
        )

    def unread_documents(self) -> "TransactionQuerySet":
        """Préfecture documents not yet marked read (S²LOW ``list_document_prefecture``)."""
        return self.filter(type__in=[2, 3, 4, 5], response_kind__isnull=True, is_read=False)


class EnvelopeQuerySet(TenantQuerySet):
    def due(self, now: datetime) -> "EnvelopeQuerySet":
        """Envelopes to send now: built, or in temporary error whose retry time came."""
        retry = models.Q(state=EnvelopeState.ERROR, next_attempt_at__lte=now)
        built = models.Q(state=EnvelopeState.BUILT) & (
            models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)
        )
        return self.filter(built | retry).order_by("created_at", "id")

    def stale_sending(self, before: datetime) -> "EnvelopeQuerySet":
        """Claimed for sending before ``before`` and never finished (a worker died mid-send)."""
        return self.filter(state=EnvelopeState.SENDING, sending_since__lt=before)
