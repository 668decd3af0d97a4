"""Querysets of the HELIOS models: tenant scoping comes from ``TenantQuerySet``, never re-written here."""

from datetime import datetime, timedelta

from django.db import models

from bouquet.core.querysets import TenantQuerySet
from bouquet.helios.choices import SendState, Status

__all__ = ["RetourQuerySet", "TransactionQuerySet"]


class TransactionQuerySet(TenantQuerySet):
    def with_status(self, *statuses: int) -> "TransactionQuerySet":
        return self.filter(status__in=statuses)

    def newest_first(self) -> "TransactionQuerySet":
        return self.order_by("-created_at", "-id")

    def due_for_sending(self, now: datetime) -> "TransactionQuerySet":
        """Waiting for transmission (2), never tried or whose retry time came, oldest first."""
        ready = models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)
        return self.filter(
            ready, status=Status.EN_ATTENTE_TRANSMISSION, send_state__in=[SendState.WAITING, SendState.RETRY]
        ).order_by("created_at", "id")

    def stale_sending(self, before: datetime) -> "TransactionQuerySet":
        """Claimed for sending before ``before`` and never finished (a worker died mid-send)."""
        return self.filter(
            status=Status.EN_ATTENTE_TRANSMISSION, send_state=SendState.SENDING, sending_since__lt=before
        )

    def stale_transmitted(self, now: datetime, hours: int) -> "TransactionQuerySet":
        """Still "Transmis" ``hours`` after being sent: no acquittement came back."""
        return self.filter(status=Status.TRANSMIS, last_status_at__lt=now - timedelta(hours=hours))

    def stuck(self, now: datetime, hours: int) -> "TransactionQuerySet":
        """Waiting for transmission for more than ``hours`` (S²LOW's 48-hour "bloquée" warning)."""
        return self.filter(
            status=Status.EN_ATTENTE_TRANSMISSION, last_status_at__lt=now - timedelta(hours=hours)
        )


class RetourQuerySet(TenantQuerySet):
    def unread(self) -> "RetourQuerySet":
        return self.filter(is_read=False)

    def newest_first(self) -> "RetourQuerySet":
        return self.order_by("-received_at", "-id")
