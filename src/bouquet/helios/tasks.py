"""Background jobs of HELIOS (Django tasks). Each re-reads state, claims its rows with conditional
updates and can be killed at any line: a rerun finishes the work without doing it twice."""

import logging
from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from bouquet.helios.choices import IncomingState, Status
from bouquet.helios.errors import WorkflowError
from bouquet.helios.models import Transaction
from bouquet.helios.services.alert_stuck import alert_stuck
from bouquet.helios.services.apply_incoming_file import apply_incoming_file
from bouquet.helios.services.check_transaction import check_transaction
from bouquet.helios.services.close_stale_transmissions import close_stale_transmissions
from bouquet.helios.services.recover_stale_sends import recover_stale_sends
from bouquet.helios.services.send_transaction import send_transaction

__all__ = ["daily_maintenance", "poll_incoming", "process_posted", "send_pending"]

logger = logging.getLogger(__name__)


def _client():
    from bouquet.helios import transport  # lazy: only the task that needs it reads its settings

    return transport.from_settings()


def _count(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


@task
def process_posted() -> int:
    """Check every posted transaction (1 → 2 or -1); return how many were checked."""
    done = 0
    for transaction in Transaction.objects.with_status(Status.POSTE).select_related("authority", "file"):
        try:
            check_transaction(transaction=transaction)
        except WorkflowError:  # another worker took it
            continue
        except Exception:  # a bug on one transaction must not block the others; retried next pass
            logger.exception("Vérification de la transaction HELIOS %s impossible.", transaction.pk)
            continue
        done += 1
    return done


@task
def send_pending(*, client=None) -> dict[str, int]:
    """Resend what a dead worker abandoned, then send every transaction due; count the outcomes."""
    client = client or _client()
    counts: dict[str, int] = {}
    older_than = timedelta(minutes=settings.HELIOS_STALE_SEND_MINUTES)
    results = recover_stale_sends(client=client, older_than=older_than)
    for transaction in Transaction.objects.due_for_sending(timezone.now()).select_related(
        "authority", "file"
    ):
        try:
            results.append(send_transaction(transaction=transaction, client=client))
        except Exception:
            logger.exception("Envoi de la transaction HELIOS %s impossible.", transaction.pk)
            _count(counts, "crashed")
    for result in results:
        _count(counts, result.outcome)
    return counts


@task
def poll_incoming(*, client=None) -> dict[str, int]:
    """Take each file of the DGFiP's ``sortie``, apply it, then move it away (after the commit).

    A file whose application raised (database down…) stays in place for the next pass; a file that
    cannot be fetched for good (too large) is set aside on the server.
    """
    from bouquet.helios.transport import TransportError

    client = client or _client()
    counts: dict[str, int] = {}
    try:
        names = client.list_incoming()
    except TransportError as exc:  # the gateway is down or refuses us: the next pass will try again
        logger.warning("Liste des fichiers de la DGFiP impossible : %s", exc.message)
        return {"unreachable": 1}
    for name in names:
        try:
            data = client.fetch(name)
        except TransportError as exc:
            if exc.permanent:
                client.mark_error(name, exc.message)
                _count(counts, "refused")
            else:
                _count(counts, "later")
            continue
        try:
            result = apply_incoming_file(name=name, data=data)
        except Exception:
            logger.exception("Fichier HELIOS %s non traité ; nouvel essai au prochain passage.", name)
            continue
        try:
            if result.file.state == IncomingState.ERROR:
                client.mark_error(name, result.file.reason)
            else:
                client.mark_processed(name)
        except TransportError as exc:  # applied and recorded: recognised as a duplicate next time
            logger.warning("Fichier HELIOS %s appliqué mais non déplacé : %s", name, exc.message)
        _count(counts, "duplicate" if result.duplicate else result.file.state)
    return counts


@task
def daily_maintenance() -> dict[str, int]:
    """Transactions without acquittement after ``HELIOS_STALE_AFTER_HOURS`` → 24; stuck alerts."""
    moved = close_stale_transmissions()
    alerted = alert_stuck()
    return {"stale": len(moved), "alerted": len(alerted)}
