"""Resend archives left "sending" by a worker that died between the POST and the status save."""

from datetime import datetime, timedelta

from django.utils import timezone

from bouquet.actes.choices import EnvelopeState
from bouquet.actes.models import Envelope
from bouquet.actes.services.send_envelope import SendResult, send_envelope

__all__ = ["recover_stale_sends"]


def recover_stale_sends(*, client, older_than: timedelta, now: datetime | None = None) -> list[SendResult]:
    """Resend each envelope claimed more than ``older_than`` ago and never finished.

    The bytes are the stored archive (same name, same SHA-256): if the first POST did reach the
    ministry, it recognises the duplicate; if not, this is the transmission.
    """
    now = now or timezone.now()
    results = []
    for envelope in Envelope.objects.stale_sending(now - older_than):
        released = Envelope.objects.filter(
            pk=envelope.pk, state=EnvelopeState.SENDING, sending_since=envelope.sending_since
        ).update(
            state=EnvelopeState.ERROR,
            next_attempt_at=now,
            last_error="Envoi interrompu : nouvel envoi de la même archive.",
        )
        if released:
            envelope.refresh_from_db()
            results.append(send_envelope(envelope=envelope, client=client, now=now))
    return results
