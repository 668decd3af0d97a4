"""Send one stored archive to the ministry (2 → 3, or 7 → 8 for our ARs), at most once at a time.

The row is claimed with a conditional UPDATE (built/error → sending) committed before the POST, so
two workers never send it together; a worker killed between the POST and the status save leaves
"sending", which ``recover_stale_sends`` resends with the same bytes (the ministry sees a duplicate).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction as db
from django.db.models import F
from django.utils import timezone

from bouquet.actes import workflow
from bouquet.actes.choices import EnvelopeState, Status
from bouquet.actes.models import Envelope, TransmissionWindow
from bouquet.actes.transport import TransportError, WindowBudget, backoff_delay
from bouquet.core.audit import Actor, record

__all__ = ["SendResult", "confirm_delivery", "send_envelope"]

ACTOR = Actor.system("envoi au ministère (ACTES)")
CLAIMABLE = [EnvelopeState.BUILT, EnvelopeState.ERROR]


@dataclass(frozen=True)
class SendResult:
    """What happened to one envelope."""

    envelope: Envelope
    #: ``sent``, ``retry`` (temporary error), ``failed`` (permanent), ``deferred`` (hourly budget
    #: spent) or ``skipped`` (not claimable: already sent or being sent by another worker).
    outcome: str
    error: str = ""


def _reserve_window(size: int, now: datetime) -> bool:
    """Count ``size`` bytes in the current hour's budget; False when they do not fit (row-locked)."""
    budget = WindowBudget(settings.ACTES_WINDOW_BYTES_PER_HOUR)
    if budget.unlimited:
        return True
    with db.atomic():
        TransmissionWindow.objects.get_or_create(slot=budget.slot_start(now))
        window = TransmissionWindow.objects.select_for_update().get(slot=budget.slot_start(now))
        if not budget.can_send(size, window.bytes_used):
            return False
        window.bytes_used += size
        window.save(update_fields=["bytes_used"])
    return True


def _claim(envelope: Envelope, now: datetime) -> bool:
    with db.atomic():
        return bool(
            Envelope.objects.filter(pk=envelope.pk, state__in=CLAIMABLE).update(
                state=EnvelopeState.SENDING, attempts=F("attempts") + 1, sending_since=now
            )
        )


def _release(envelope: Envelope, previous: str, now: datetime) -> None:
    """Give the claim back untouched when the hourly budget is spent: retry in the next slot."""
    Envelope.objects.filter(pk=envelope.pk, state=EnvelopeState.SENDING).update(
        state=previous,
        attempts=F("attempts") - 1,
        sending_since=None,
        next_attempt_at=WindowBudget.next_slot(now),
    )


def _move_transactions(envelope: Envelope, ok: bool, message: str, now: datetime) -> None:
    events = {
        Status.EN_ATTENTE_TRANSMISSION: workflow.Event.SEND_OK if ok else workflow.Event.SEND_FAILED,
        Status.DOCUMENT_RECU: workflow.Event.ACK_SENT if ok else workflow.Event.ACK_FAILED,
    }
    for transaction in envelope.transactions.select_related("authority"):
        event = events.get(transaction.status)
        if event is not None:
            text = (
                ("Acquittement envoyé" if transaction.status == Status.DOCUMENT_RECU else "Transmis au MI")
                if ok
                else message
            )
            workflow.change_status(transaction, event, message=text, actor=ACTOR, now=now)


def _mark_sent(envelope: Envelope, now: datetime) -> None:
    with db.atomic():
        Envelope.objects.filter(pk=envelope.pk).update(state=EnvelopeState.SENT, sent_at=now, last_error="")
        _move_transactions(envelope, True, "", now)
        record(
            actor=ACTOR,
            action="actes.envelope.sent",
            authority=envelope.authority,
            obj=envelope,
            details={
                "archive": envelope.archive_name,
                "sha256": envelope.sha256,
                "attempts": envelope.attempts,
            },
        )


def _mark_error(envelope: Envelope, exc: TransportError, now: datetime) -> str:
    reason = exc.message
    with db.atomic():
        if exc.permanent:
            Envelope.objects.filter(pk=envelope.pk).update(state=EnvelopeState.FAILED, last_error=reason)
            _move_transactions(envelope, False, f"Erreur lors de la transmission au MI : {reason}", now)
            outcome = "failed"
        else:
            retry_at = now + timedelta(seconds=backoff_delay(envelope.attempts))
            Envelope.objects.filter(pk=envelope.pk).update(
                state=EnvelopeState.ERROR, last_error=reason, next_attempt_at=retry_at
            )
            outcome = "retry"
        record(
            actor=ACTOR,
            action=f"actes.envelope.{outcome}",
            authority=envelope.authority,
            obj=envelope,
            details={"archive": envelope.archive_name, "attempt": envelope.attempts, "error": reason},
        )
    return outcome


def send_envelope(*, envelope: Envelope, client, now: datetime | None = None) -> SendResult:
    """POST the stored archive with ``client.send(archive_name, bytes)`` and record the outcome.

    :param client: a ``MinistryClient``; its ``TransportError`` says whether to retry.
    """
    now = now or timezone.now()
    previous = envelope.state
    if not _claim(envelope, now):
        return SendResult(envelope, "skipped")
    if not _reserve_window(envelope.size, now):
        _release(envelope, previous, now)
        envelope.refresh_from_db()
        return SendResult(envelope, "deferred")
    envelope.refresh_from_db()
    data = envelope.archive.read()
    try:
        client.send(envelope.archive_name, data)
    except TransportError as exc:
        outcome = _mark_error(envelope, exc, now)
        envelope.refresh_from_db()
        return SendResult(envelope, outcome, envelope.last_error)
    _mark_sent(envelope, now)
    envelope.refresh_from_db()
    return SendResult(envelope, "sent")


def confirm_delivery(*, envelope: Envelope, now: datetime) -> bool:
    """The ministry answered about ``envelope``: it was received even if our send never finished.

    A worker killed between the ministry's 200 and the status save leaves the envelope "sending"
    (or "error" after a timeout that in fact got through). When the AR or an anomaly comes back
    before the recovery resends it, the answer itself is the proof of delivery: record it, so the
    answer applies instead of landing in the error queue. Returns True when it changed anything.
    """
    with db.atomic():
        claimed = Envelope.objects.filter(
            pk=envelope.pk, state__in=[EnvelopeState.SENDING, EnvelopeState.ERROR]
        ).update(state=EnvelopeState.SENT, sent_at=now, last_error="")
        if claimed:
            _move_transactions(envelope, True, "", now)
            record(
                actor=ACTOR,
                action="actes.envelope.delivery_confirmed",
                authority=envelope.authority,
                obj=envelope,
                details={"archive": envelope.archive_name, "sha256": envelope.sha256},
            )
    return bool(claimed)
