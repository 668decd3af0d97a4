"""Send one PES to the DGFiP (2 → 3, or 24 for a PES_ACQUIT_RETOUR), at most once at a time.

The row is claimed with a conditional UPDATE (waiting/retry → sending) committed before the transfer,
with its transmitted name ``PESALR2_<SIREN>_<aammjj>_<n>`` allocated once: a worker killed between the
upload and the status save leaves "sending", and ``recover_stale_sends`` sends the same bytes under
the same name, which the transport recognises (already in ``entree``) instead of uploading twice.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction as db
from django.db.models import F
from django.utils import timezone

from bouquet.core.audit import Actor, record
from bouquet.helios import workflow
from bouquet.helios.choices import DocumentKind, SendState, Status
from bouquet.helios.models import SendCounter, Transaction, TransmissionSlot
from bouquet.helios.services.common import P_DEST_MISSING, p_dest_of
from bouquet.helios.transport import PesMetadata, TransportError, WindowBudget, backoff_delay, outgoing_name

__all__ = ["SendResult", "allocate_name", "confirm_delivery", "send_transaction"]

ACTOR = Actor.system("envoi à la DGFiP (HELIOS)")
CLAIMABLE = [SendState.WAITING, SendState.RETRY]
#: When the P_DEST is missing, look again this much later (it is set by a person).
BLOCKED_RETRY = timedelta(hours=1)


@dataclass(frozen=True)
class SendResult:
    """What happened to one transaction.

    ``outcome``: ``sent``, ``retry`` (temporary error), ``failed`` (refused for good), ``deferred``
    (outside the transmission windows or hourly budget spent), ``blocked`` (no P_DEST) or
    ``skipped`` (not claimable: already sent or being sent by another worker).
    """

    transaction: Transaction
    outcome: str
    error: str = ""


def allocate_name(transaction: Transaction, day) -> str:
    """The next platform-wide transmitted name (row lock: two workers never share a counter value)."""
    with db.atomic():
        SendCounter.objects.get_or_create(name="PESALR2")
        counter = SendCounter.objects.select_for_update().get(name="PESALR2")
        counter.last += 1
        counter.save(update_fields=["last"])
        return outgoing_name(transaction.authority.siren, day, counter.last)


def _window() -> WindowBudget:
    from bouquet.helios.transport import window_from_settings

    return window_from_settings()


def _reserve(size: int, now: datetime, budget: WindowBudget) -> bool:
    """Count ``size`` bytes in the current slot; False when the window is closed or the budget spent."""
    if not budget.is_open(now):
        return False
    if budget.bytes_per_slot is None:
        return True
    key = budget.slot_key(now)
    with db.atomic():
        TransmissionSlot.objects.get_or_create(slot=key)
        slot = TransmissionSlot.objects.select_for_update().get(slot=key)
        if not budget.can_send(size, now=now, consumed=slot.bytes_used):
            return False
        slot.bytes_used += size
        slot.save(update_fields=["bytes_used"])
    return True


def _give_back(size: int, now: datetime, budget: WindowBudget) -> None:
    """A failed transfer consumes nothing (S²LOW counts bytes only after a successful send)."""
    if budget.bytes_per_slot is not None:
        TransmissionSlot.objects.filter(slot=budget.slot_key(now), bytes_used__gte=size).update(
            bytes_used=F("bytes_used") - size
        )


def _next_opening(budget: WindowBudget, now: datetime) -> datetime:
    later = (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    return budget.next_opening(later) or later + timedelta(days=1)


def _blocked(transaction: Transaction, now: datetime) -> SendResult:
    with db.atomic():
        first = Transaction.objects.filter(pk=transaction.pk).exclude(last_error=P_DEST_MISSING).exists()
        Transaction.objects.filter(pk=transaction.pk).update(
            last_error=P_DEST_MISSING, next_attempt_at=now + BLOCKED_RETRY
        )
        if first:  # journaled once, not at every pass
            record(
                actor=ACTOR,
                action="helios.send_blocked",
                authority=transaction.authority,
                obj=transaction,
                details={"reason": "p_dest_missing"},
            )
    transaction.refresh_from_db()
    return SendResult(transaction, "blocked", P_DEST_MISSING)


def _claim(transaction: Transaction, now: datetime) -> bool:
    with db.atomic():
        claimed = Transaction.objects.filter(
            pk=transaction.pk, status=Status.EN_ATTENTE_TRANSMISSION, send_state__in=CLAIMABLE
        ).update(send_state=SendState.SENDING, send_attempts=F("send_attempts") + 1, sending_since=now)
        if (
            claimed
            and not Transaction.objects.filter(pk=transaction.pk).exclude(transmitted_name="").exists()
        ):
            name = allocate_name(transaction, timezone.localdate(now))
            Transaction.objects.filter(pk=transaction.pk).update(transmitted_name=name)
    return bool(claimed)


def _release(transaction: Transaction, when: datetime) -> None:
    """Give the claim back untouched (window closed): try again at ``when``."""
    Transaction.objects.filter(pk=transaction.pk, send_state=SendState.SENDING).update(
        send_state=SendState.WAITING if transaction.send_attempts <= 1 else SendState.RETRY,
        send_attempts=F("send_attempts") - 1,
        sending_since=None,
        next_attempt_at=when,
    )


def _mark_sent(transaction: Transaction, now: datetime) -> None:
    event, message = (
        (
            workflow.Event.SEND_NO_ACK,
            f"Transaction {transaction.pk} transmise au serveur (aucun acquittement attendu).",
        )
        if transaction.kind == DocumentKind.PES_ACQUIT_RETOUR
        else (workflow.Event.SEND_OK, f"Transaction {transaction.pk} transmise au serveur.")
    )
    with db.atomic():
        workflow.change_status(
            transaction,
            event,
            message=message,
            actor=ACTOR,
            now=now,
            details={
                "transmitted_name": transaction.transmitted_name,
                "sha256": transaction.sha256,
                "attempts": transaction.send_attempts,
            },  # fmt: skip
            send_state=SendState.SENT,
            sent_at=now,
            last_error="",
            next_attempt_at=None,
        )


def _mark_error(transaction: Transaction, exc: TransportError, now: datetime) -> str:
    reason = exc.message
    with db.atomic():
        if exc.permanent:
            workflow.change_status(
                transaction,
                workflow.Event.SEND_FAILED,
                message=f"Erreur lors de la transmission à la DGFiP : {reason}",
                actor=ACTOR,
                now=now,
                send_state=SendState.FAILED,
                last_error=reason,
            )
            return "failed"
        retry_at = now + timedelta(seconds=backoff_delay(transaction.send_attempts))
        Transaction.objects.filter(pk=transaction.pk).update(
            send_state=SendState.RETRY, last_error=reason, next_attempt_at=retry_at
        )
        record(
            actor=ACTOR,
            action="helios.send_retry",
            authority=transaction.authority,
            obj=transaction,
            details={"attempt": transaction.send_attempts, "error": reason, "retry_at": retry_at},
        )
    return "retry"


def send_transaction(*, transaction: Transaction, client, now: datetime | None = None) -> SendResult:
    """Deposit the stored file with ``client.send(data, remote_name=…, meta=…)`` and record the outcome.

    :param client: a ``DgfipClient``; its ``TransportError`` says whether to retry.
    """
    now = now or timezone.now()
    if transaction.status != Status.EN_ATTENTE_TRANSMISSION or transaction.send_state not in CLAIMABLE:
        return SendResult(transaction, "skipped")
    p_dest = p_dest_of(transaction.authority)
    if not p_dest:
        return _blocked(transaction, now)
    budget = _window()
    if not budget.is_open(now):
        Transaction.objects.filter(pk=transaction.pk).update(next_attempt_at=_next_opening(budget, now))
        return SendResult(transaction, "deferred")
    if not _claim(transaction, now):
        return SendResult(transaction, "skipped")
    transaction.refresh_from_db()
    if not _reserve(transaction.size, now, budget):
        _release(transaction, _next_opening(budget, now))
        transaction.refresh_from_db()
        return SendResult(transaction, "deferred")
    try:
        meta = PesMetadata(
            p_dest=p_dest,
            p_appli=settings.HELIOS_P_APPLI,
            cod_col=transaction.cod_col,
            id_post=transaction.id_post,
            cod_bud=transaction.cod_bud,
        )
    except ValueError as exc:
        error = TransportError(f"Métadonnées de routage invalides ({exc}).", permanent=True)
    else:
        try:
            data = transaction.file.read()  # checked against its SHA-256: the bytes received, unchanged
            client.send(data, remote_name=transaction.transmitted_name, meta=meta)
        except TransportError as exc:
            error = exc
        except OSError as exc:
            error = TransportError(f"Fichier illisible dans le stockage : {exc}", permanent=True)
        else:
            _mark_sent(transaction, now)
            transaction.refresh_from_db()
            return SendResult(transaction, "sent")
    _give_back(transaction.size, now, budget)
    outcome = _mark_error(transaction, error, now)
    transaction.refresh_from_db()
    return SendResult(transaction, outcome, error.message)


def confirm_delivery(*, transaction: Transaction, now: datetime) -> bool:
    """An acquittement names a transaction whose send was never recorded: it did reach the DGFiP.

    A worker killed between the upload and the status save leaves "sending" (or "retry" after a
    timeout that in fact got through). The acquittement is the proof of delivery: record it, so
    the acquittement applies. Returns True when it changed anything.
    """
    if transaction.status != Status.EN_ATTENTE_TRANSMISSION or transaction.send_state == SendState.WAITING:
        return False
    _mark_sent(transaction, now)
    return True
