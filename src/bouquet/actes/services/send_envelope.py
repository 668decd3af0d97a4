"""Send stored archives to the ministry (2 → 3, or 7 → 8 for our ARs), each at most once at a time.

Rows are claimed (built/error → sending, a group at a time, rows held) in a database transaction
committed before the POSTs, so two workers never send one together; a worker killed between the
POST and the status save leaves "sending", which ``recover_stale_sends`` resends with the same bytes
(the ministry sees a duplicate) once ``ACTES_STALE_SEND_MINUTES`` have passed.

:func:`send_envelopes` keeps several POSTs in flight (a bounded thread pool): the ministry's answer
time is spent waiting, not computing. Only the POSTs run in the pool; every database step (claim,
window, outcome) stays in the calling thread, so the guarantees above are unchanged. Accepted POSTs
are recorded up to ``RECORD_BATCH`` at a time, in one database transaction: a crash before that
commit leaves them "sending", which the recovery above resends.
"""

import logging
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import batched

from django.conf import settings
from django.db import transaction as db
from django.db.models import F
from django.utils import timezone

from bouquet.actes import workflow
from bouquet.actes.choices import EnvelopeState, Status
from bouquet.actes.models import Envelope, Transaction, TransmissionWindow
from bouquet.actes.transport import TransportError, WindowBudget, backoff_delay
from bouquet.core import audit
from bouquet.core.audit import Actor, record

__all__ = ["SendResult", "confirm_delivery", "send_envelope", "send_envelopes"]

logger = logging.getLogger(__name__)
ACTOR = Actor.system("envoi au ministère (ACTES)")
CLAIMABLE = [EnvelopeState.BUILT, EnvelopeState.ERROR]
#: Archives held in memory for the POSTs in flight (at least one is always sent, whatever its size).
MAX_IN_FLIGHT_BYTES = 256 * 1024 * 1024
#: Accepted POSTs recorded together (one database transaction); fewer when nothing else is in flight.
RECORD_BATCH = 8
#: Envelopes claimed together before their POSTs (:func:`_claim`).
CLAIM_BATCH = 8


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


def _claim(envelopes: list[Envelope], now: datetime) -> list[Envelope]:
    """Claim envelopes for sending, together, in a database transaction committed before any POST:
    the claims are visible before the archives leave. Returns those claimed, in order.

    Only rows still claimable *and as we read them* (same attempts: nobody sent, failed or released
    them meanwhile) are taken, so that on success each row is exactly what we set here; rows another
    worker holds or changed are left to it. Two statements for the group, instead of one per envelope.
    """
    wanted = {envelope.pk: envelope for envelope in envelopes}
    with db.atomic():
        current = (
            Envelope.objects.filter(pk__in=list(wanted), state__in=CLAIMABLE)
            .select_for_update(skip_locked=True)
            .values_list("pk", "attempts")
        )
        ids = {pk for pk, attempts in current if attempts == wanted[pk].attempts}
        if ids:
            Envelope.objects.filter(pk__in=ids).update(
                state=EnvelopeState.SENDING, attempts=F("attempts") + 1, sending_since=now
            )
    claimed = [envelope for envelope in envelopes if envelope.pk in ids]
    for envelope in claimed:
        envelope.state, envelope.sending_since = EnvelopeState.SENDING, now
        envelope.attempts += 1
    return claimed


def _release(envelope: Envelope, previous: str, now: datetime) -> None:
    """Give the claim back untouched when the hourly budget is spent: retry in the next slot."""
    Envelope.objects.filter(pk=envelope.pk, state=EnvelopeState.SENDING).update(
        state=previous,
        attempts=F("attempts") - 1,
        sending_since=None,
        next_attempt_at=WindowBudget.next_slot(now),
    )


#: The event and history text of each transaction an envelope carries, by its status, when the
#: ministry took the envelope (True) or refused it for good (False: the reason is the text).
_OUTCOMES = {
    (Status.EN_ATTENTE_TRANSMISSION, True): (workflow.Event.SEND_OK, "Transmis au MI"),
    (Status.DOCUMENT_RECU, True): (workflow.Event.ACK_SENT, "Acquittement envoyé"),
    (Status.EN_ATTENTE_TRANSMISSION, False): (workflow.Event.SEND_FAILED, None),
    (Status.DOCUMENT_RECU, False): (workflow.Event.ACK_FAILED, None),
}


def _hold_transactions(envelope_ids: list[int]) -> list[Transaction]:
    """The transactions of these envelopes, held for this database transaction, in id order.

    Every path that records an envelope's outcome holds its transactions *before* it updates the
    envelope row, as the answer pass does (it holds the act, then confirms its envelope): with one
    lock order, a worker recording a send and another applying the AR that overtook it wait for each
    other instead of deadlocking.
    """
    return list(
        Transaction.objects.filter(envelope__in=envelope_ids)
        .select_for_update(of=("self",))
        .select_related("authority")
        .order_by("id")
    )


def _move_transactions(held: list[Transaction], ok: bool, message: str, now: datetime) -> None:
    """Move the held transactions together (``workflow.change_statuses``); those already moved on
    (an answer applied first) are left alone."""
    changes = []
    for transaction in held:
        if (outcome := _OUTCOMES.get((transaction.status, ok))) is not None:
            event, text = outcome
            changes.append(workflow.Change(transaction, event, text or message))
    workflow.change_statuses(changes, actor=ACTOR, now=now)


def _mark_sent(envelopes: list[Envelope], now: datetime) -> None:
    """Record envelopes the ministry took (HTTP 200), together: one UPDATE of the envelopes, their
    transactions moved at once, one journal insert."""
    ids = [e.pk for e in envelopes]
    with db.atomic():
        held = _hold_transactions(ids)
        Envelope.objects.filter(pk__in=ids).update(state=EnvelopeState.SENT, sent_at=now, last_error="")
        _move_transactions(held, True, "", now)
        audit.record_many(
            [
                audit.entry(
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
                for envelope in envelopes
            ]
        )
    for envelope in envelopes:
        envelope.state, envelope.sent_at, envelope.last_error = EnvelopeState.SENT, now, ""  # as saved


def _mark_error(envelope: Envelope, exc: TransportError, now: datetime) -> str:
    reason = exc.message
    with db.atomic():
        if exc.permanent:
            held = _hold_transactions([envelope.pk])
            Envelope.objects.filter(pk=envelope.pk).update(state=EnvelopeState.FAILED, last_error=reason)
            _move_transactions(held, False, f"Erreur lors de la transmission au MI : {reason}", now)
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


def _prepare(envelope: Envelope, now: datetime) -> SendResult | bytes:
    """Claim the envelope and reserve its bytes in the hour's budget: the archive to POST, or why not."""
    previous = envelope.state
    if not _claim([envelope], now):
        return SendResult(envelope, "skipped")
    return _archive_to_send(envelope, previous, now)


def _archive_to_send(envelope: Envelope, previous: str, now: datetime) -> SendResult | bytes:
    """The claimed envelope's archive, once its bytes fit in the hour's budget; else the claim is
    given back ("deferred")."""
    if not _reserve_window(envelope.size, now):
        _release(envelope, previous, now)
        envelope.refresh_from_db()
        return SendResult(envelope, "deferred")
    return envelope.archive.read()


def _record(envelope: Envelope, error: TransportError | None, now: datetime) -> SendResult:
    if error is not None:
        outcome = _mark_error(envelope, error, now)
        envelope.refresh_from_db()
        return SendResult(envelope, outcome, envelope.last_error)
    _mark_sent([envelope], now)
    return SendResult(envelope, "sent")


def _record_all(
    finished: list[tuple[Envelope, TransportError | None]], now: datetime | None
) -> list[SendResult]:
    """The outcomes of several POSTs: the accepted ones recorded together, each refusal on its own.

    When the group cannot be recorded, each envelope is tried alone; those that still fail stay
    "sending" (resent by the recovery) and the first error is raised once the others are recorded.
    """
    results: list[SendResult] = []
    failure = None
    for envelope, error in finished:
        if error is not None:
            try:
                results.append(_record(envelope, error, now or timezone.now()))
            except Exception as exc:  # noqa: BLE001 - left "sending" (recovered as after a crash)
                failure = failure or exc
    sent = [envelope for envelope, error in finished if error is None]
    if len(sent) > 1 and failure is None:
        try:
            _mark_sent(sent, now or timezone.now())
        except Exception:  # noqa: BLE001 - one envelope's record must not hold back the others
            logger.exception("Enregistrement groupé des envois ACTES impossible ; un par un.")
        else:
            return results + [SendResult(envelope, "sent") for envelope in sent]
    for envelope in sent:
        try:
            _mark_sent([envelope], now or timezone.now())
        except Exception as exc:  # noqa: BLE001 - left "sending" (recovered as after a crash)
            failure = failure or exc
            continue
        results.append(SendResult(envelope, "sent"))
    if failure is not None:
        raise failure
    return results


def send_envelope(*, envelope: Envelope, client, now: datetime | None = None) -> SendResult:
    """POST the stored archive with ``client.send(archive_name, bytes)`` and record the outcome.

    :param client: a ``MinistryClient``; its ``TransportError`` says whether to retry.
    """
    now = now or timezone.now()
    prepared = _prepare(envelope, now)
    if isinstance(prepared, SendResult):
        return prepared
    try:
        client.send(envelope.archive_name, prepared)
    except TransportError as exc:
        return _record(envelope, exc, now)
    return _record(envelope, None, now)


def send_envelopes(
    envelopes: Iterable[Envelope], *, client, concurrency: int = 1, now: datetime | None = None
) -> list[SendResult]:
    """:func:`send_envelope` for each envelope, with up to ``concurrency`` POSTs in flight.

    ``client.send`` must be thread-safe (``HttpsMinistryClient`` is: a connection per send at a time). A bug
    (anything but ``TransportError``) in a POST, or the database failing while recording an outcome,
    leaves that envelope "sending", as a crash would (``recover_stale_sends``); the POSTs already in
    flight are still recorded, then the first such error is raised.
    """
    if concurrency <= 1:
        return [send_envelope(envelope=e, client=client, now=now) for e in envelopes]
    results: list[SendResult] = []
    flying: dict[Future, Envelope] = {}
    finished: list[tuple[Envelope, TransportError | None]] = []
    failures: list[BaseException] = []

    def record_finished() -> None:
        try:
            results.extend(_record_all(finished, now))
        except Exception as exc:  # noqa: BLE001 - raised below, once the other POSTs are recorded
            failures.append(exc)
        finished.clear()

    def settle() -> None:
        done, _ = wait(flying, return_when=FIRST_COMPLETED)
        for future in done:
            envelope = flying.pop(future)
            error = future.exception()
            if error is not None and not isinstance(error, TransportError):
                failures.append(error)
                continue
            finished.append((envelope, error))
        if len(finished) >= RECORD_BATCH or not flying:
            record_finished()

    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="actes-send") as pool:
        try:
            for group in batched(envelopes, CLAIM_BATCH):
                if failures:
                    break
                previous = {envelope.pk: envelope.state for envelope in group}
                claimed = _claim(list(group), now or timezone.now())
                results += [SendResult(e, "skipped") for e in group if e not in claimed]
                for envelope in claimed:
                    # After a failure, the claimed envelopes not yet posted stay "sending", as after
                    # a crash: ``recover_stale_sends`` sends them.
                    if failures:
                        break
                    while flying and (
                        len(flying) >= concurrency
                        or sum(e.size for e in flying.values()) + envelope.size > MAX_IN_FLIGHT_BYTES
                    ):
                        settle()
                    prepared = _archive_to_send(envelope, previous[envelope.pk], now or timezone.now())
                    if isinstance(prepared, SendResult):
                        results.append(prepared)
                        continue
                    flying[pool.submit(client.send, envelope.archive_name, prepared)] = envelope
        finally:
            while flying:
                settle()
            if finished:
                record_finished()
    if failures:
        raise failures[0]
    return results


def confirm_delivery(*, envelope: Envelope, now: datetime) -> bool:
    """The ministry answered about ``envelope``: it was received even if our send never finished.

    A worker killed between the ministry's 200 and the status save leaves the envelope "sending"
    (or "error" after a timeout that in fact got through). When the AR or an anomaly comes back
    before the recovery resends it, the answer itself is the proof of delivery: record it, so the
    answer applies instead of landing in the error queue. Returns True when it changed anything.
    """
    with db.atomic():
        held = _hold_transactions([envelope.pk])
        claimed = Envelope.objects.filter(
            pk=envelope.pk, state__in=[EnvelopeState.SENDING, EnvelopeState.ERROR]
        ).update(state=EnvelopeState.SENT, sent_at=now, last_error="")
        if claimed:
            _move_transactions(held, True, "", now)
            record(
                actor=ACTOR,
                action="actes.envelope.delivery_confirmed",
                authority=envelope.authority,
                obj=envelope,
                details={"archive": envelope.archive_name, "sha256": envelope.sha256},
            )
    return bool(claimed)
