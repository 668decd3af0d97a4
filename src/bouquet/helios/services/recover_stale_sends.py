"""Resend transactions left "sending" by a worker that died between the upload and the status save."""

from datetime import datetime, timedelta

from django.utils import timezone

from bouquet.helios.choices import SendState
from bouquet.helios.models import Transaction
from bouquet.helios.services.send_transaction import SendResult, send_transaction

__all__ = ["recover_stale_sends"]


def recover_stale_sends(*, client, older_than: timedelta, now: datetime | None = None) -> list[SendResult]:
    """Send again each transaction claimed more than ``older_than`` ago and never finished.

    Same bytes, same transmitted name: if the first upload reached the gateway, the transport finds
    the file already in ``entree`` and does not upload it again; if not, this is the transmission.
    """
    now = now or timezone.now()
    results = []
    for transaction in Transaction.objects.stale_sending(now - older_than).select_related("authority"):
        released = Transaction.objects.filter(
            pk=transaction.pk, send_state=SendState.SENDING, sending_since=transaction.sending_since
        ).update(
            send_state=SendState.RETRY,
            next_attempt_at=now,
            last_error="Envoi interrompu : nouvel envoi du même fichier, sous le même nom.",
        )
        if released:
            transaction.refresh_from_db()
            results.append(send_transaction(transaction=transaction, client=client, now=now))
    return results
