"""Background jobs of ACTES (Django tasks). Each re-reads state, claims its rows with conditional
updates and can be killed at any line: a rerun finishes the work without doing it twice."""

import contextlib
import logging
from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from bouquet.actes.choices import InboundState, Status
from bouquet.actes.errors import WorkflowError
from bouquet.actes.models import Envelope, Transaction
from bouquet.actes.services.alert_unacknowledged import alert_unacknowledged
from bouquet.actes.services.apply_inbound_mail import apply_inbound_mails
from bouquet.actes.services.check_transaction import check_posted, check_transaction
from bouquet.actes.services.close_stale_transmissions import close_stale_transmissions
from bouquet.actes.services.recover_stale_sends import recover_stale_sends
from bouquet.actes.services.send_envelope import send_envelopes
from bouquet.actes.services.send_letter_acknowledgements import send_letter_acknowledgements
from bouquet.actes.transport import TransportError

__all__ = ["daily_maintenance", "poll_inbox", "process_posted", "send_ack_alerts", "send_pending"]

logger = logging.getLogger(__name__)

DEFAULT_SEND_CONCURRENCY = 4
#: Mails applied in one database transaction (one savepoint each), and the bytes they may hold
#: in memory together (a préfecture letter can carry large documents; at least one mail is taken).
POLL_BATCH = 20
POLL_BATCH_BYTES = 64 * 1024 * 1024


def _transport():
    from bouquet.actes import transport  # lazy: only the task that needs it reads its settings

    return transport.from_settings()


@task
def process_posted(*, batches: int | None = None) -> int:
    """Check the posted transactions (1 → 2 or -1), in batches; return how many were checked.

    A batch that fails on something unexpected (a bug on one act) is undone as a whole and its acts
    are checked one by one, so that one act cannot hold back the others.

    :param batches: stop after this many batches (the worker takes one, then sends and polls: acts
        posted steadily, or a council's hundred at once, must not keep the checked ones from leaving);
        ``None`` checks until none is left.
    """
    done = 0
    while batches is None or batches > 0:
        try:
            batch = check_posted()
        except Exception:
            logger.exception("Vérification ACTES par lot impossible ; vérification une à une.")
            return done + _process_one_by_one()
        if not batch:
            return done
        done += len(batch)
        if batches is not None:
            batches -= 1
    return done


def _process_one_by_one() -> int:
    done = 0
    for transaction in Transaction.objects.with_status(Status.POSTE).select_related(
        "authority", "created_by"
    ):
        try:
            check_transaction(transaction=transaction)
        except WorkflowError:  # another worker took it
            continue
        except Exception:  # a bug on one transaction must not block the others; retried next pass
            logger.exception("Vérification de la transaction ACTES %s impossible.", transaction.pk)
            continue
        done += 1
    return done


@task
def send_pending(*, client=None) -> dict[str, int]:
    """Send the 3-2/4-2 ARs due, every envelope due, and again those a worker left mid-send more
    than ``ACTES_STALE_SEND_MINUTES`` ago (it died): the outcomes counted, the resends as "resent".

    Up to ``ACTES_SEND_CONCURRENCY`` POSTs are in flight at once (default 4).
    """
    client = client or _transport().client
    counts: dict[str, int] = {}
    results = send_letter_acknowledgements(client=client)
    concurrency = getattr(settings, "ACTES_SEND_CONCURRENCY", DEFAULT_SEND_CONCURRENCY)
    due = Envelope.objects.due(timezone.now()).select_related("archive", "authority")
    results += send_envelopes(due, client=client, concurrency=concurrency)
    for result in results:
        counts[result.outcome] = counts.get(result.outcome, 0) + 1
    if resent := _resend_stale(client):
        counts["resent"] = len(resent)
    return counts


def _resend_stale(client) -> list:
    """``recover_stale_sends`` when a send was left unfinished (one cheap query otherwise)."""
    older_than = timedelta(minutes=settings.ACTES_STALE_SEND_MINUTES)
    if not Envelope.objects.stale_sending(timezone.now() - older_than).exists():
        return []
    return recover_stale_sends(client=client, older_than=older_than)


@task
def poll_inbox(*, inbox=None, reader=None) -> dict[str, int]:
    """Apply each mail of the inbox, then move it: processed after the commit, or to the error folder.

    A mail whose application raised (database down…) stays in the inbox for the next pass. When the
    inbox can be held (Maildir), a second worker skips the pass instead of reading the same mails.
    """
    inbox = inbox or _transport().inbox
    exclusive = getattr(inbox, "exclusive", None)
    with exclusive() if exclusive else contextlib.nullcontext(True) as held:
        return _poll(inbox, reader) if held else {}


def _poll(inbox, reader) -> dict[str, int]:
    counts: dict[str, int] = {}
    for mails in _batches(inbox.fetch()):
        try:
            results = apply_inbound_mails(mails, reader=reader)
        except Exception:
            logger.exception("Courriels ACTES non traités ; nouvel essai au prochain passage.")
            continue
        for mail, result in zip(mails, results, strict=True):
            if isinstance(result, Exception):
                logger.error(
                    "Courriel ACTES %s non traité ; nouvel essai au prochain passage.",
                    mail.key,
                    exc_info=result,
                )
                continue
            try:
                if result.state == InboundState.ERROR:
                    inbox.mark_error(mail, result.message.reason)
                else:
                    inbox.mark_processed(mail)
            except TransportError as exc:  # applied and recorded: the next pass only moves it
                logger.warning("Courriel ACTES %s appliqué mais non déplacé : %s", mail.key, exc)
            key = "duplicate" if result.duplicate else str(result.state)
            counts[key] = counts.get(key, 0) + 1
    return counts


def _batches(mails):
    """Groups of at most ``POLL_BATCH`` mails and ``POLL_BATCH_BYTES`` bytes, in the inbox's order."""
    batch, size = [], 0
    for mail in mails:
        if batch and (len(batch) >= POLL_BATCH or size + len(mail.raw) > POLL_BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(mail)
        size += len(mail.raw)
    if batch:
        yield batch


@task
def send_ack_alerts() -> int:
    """Alert operator staff about acts unacknowledged after ``ACTES_ACK_ALERT_HOURS`` (each once)."""
    return len(alert_unacknowledged())


@task
def daily_maintenance(*, client=None) -> dict[str, int]:
    """30-day closing, unacknowledged alerts, and resending archives abandoned mid-send (the workers'
    send pass does it too; this covers a platform run without them)."""
    closed = close_stale_transmissions()
    alerted = alert_unacknowledged()
    resent = _resend_stale(client or _transport().client)
    return {"closed": len(closed), "alerted": len(alerted), "resent": len(resent)}
