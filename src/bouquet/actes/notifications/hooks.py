"""Which workflow changes are worth an e-mail, and sending it once the change is committed."""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from django.core.mail import mailers
from django.db import transaction as db

from bouquet.actes.choices import TransactionType
from bouquet.actes.models import Transaction
from bouquet.actes.models.notifications import NotificationEvent

__all__ = ["batched", "event_for_change", "event_for_create", "on_create", "on_status_change"]

logger = logging.getLogger(__name__)

LETTER_TYPES = frozenset(
    {
        TransactionType.COURRIER_SIMPLE,
        TransactionType.PIECES_COMPLEMENTAIRES,
        TransactionType.LETTRE_OBSERVATIONS,
        TransactionType.DEFERE_TA,
    }
)
# workflow.Event values (compared as strings: this module must not import the workflow).
_BY_WORKFLOW_EVENT = {
    "ack_received": NotificationEvent.AR_RECEIVED,
    "anomaly": NotificationEvent.ANOMALY,
    "envelope_anomaly": NotificationEvent.ANOMALY,
    "cancelled": NotificationEvent.CANCELLATION_AR,
}


def event_for_change(transaction: Transaction, workflow_event: str) -> NotificationEvent | None:
    """The notification a status change calls for, if any (acts only: answers and requests have none)."""
    if transaction.type != TransactionType.ACTE:
        return None
    return _BY_WORKFLOW_EVENT.get(str(workflow_event))


def event_for_create(transaction: Transaction) -> NotificationEvent | None:
    """A préfecture letter (2-1, 3-1, 4-1, 5-1) was received: not our own answers to one."""
    if transaction.type in LETTER_TYPES and transaction.response_kind is None:
        return NotificationEvent.LETTER_RECEIVED
    return None


_batch = threading.local()


def _loaded(target: int | Transaction) -> Transaction:
    if isinstance(target, Transaction):
        return target
    return Transaction.objects.select_related("authority", "created_by", "related").get(pk=target)


def _send_after_commit(target: int | Transaction, event: NotificationEvent, change: tuple | None) -> None:
    from bouquet.actes.notifications.notify import notify

    pending = getattr(_batch, "pending", None)
    if pending is not None:
        pending.append((target, event, change))
        return
    notify(_loaded(target), event, change)


@contextmanager
def batched() -> Iterator[None]:
    """Hold the notifications of the changes committed inside the block, and send them when it ends:
    each authority's recipients read once, several changes of a kind for one person in one digest
    (:func:`~bouquet.actes.notifications.notify.messages_for`), every message through one connection
    to the mail server.

    Wrap it around the batch's database transaction (the mails of a changed row are due once that
    commits; a savepoint undone drops its own). Sending stays best-effort, as after each commit.
    """
    from bouquet.actes.notifications.notify import messages_for

    if getattr(_batch, "pending", None) is not None:
        yield
        return
    _batch.pending = pending = []
    try:
        yield
    finally:
        _batch.pending = None

    def skipped(event, exc: Exception) -> None:
        logger.error("Notification ACTES %s impossible à préparer.", event, exc_info=exc)

    changes = []
    for target, event, change in pending:
        try:
            changes.append((_loaded(target), event, change))
        except Exception as exc:  # noqa: BLE001 - one bad notification must not lose the others
            skipped(event, exc)
    messages = messages_for(changes, on_error=skipped)
    if messages:
        try:
            sent = mailers.default.send_messages(messages) or 0
        except Exception:  # noqa: BLE001 - the changes are committed: a mail server down undoes nothing
            logger.exception("Envoi des notifications ACTES impossible.")
        else:
            logger.info("ACTES notifications: %d message(s) for %d change(s)", sent, len(pending))


def _schedule(transaction: Transaction, event: NotificationEvent | None, change: tuple | None = None) -> None:
    if event is not None:
        # A status change is told from the row the workflow just saved (no second read of it); a
        # new letter is read back once committed.
        target = transaction if change is not None else transaction.pk
        # robust: a mail server down must not fail the status change that was already committed.
        db.on_commit(partial(_send_after_commit, target, event, change), robust=True)


def on_status_change(
    transaction: Transaction, workflow_event: str, message: str | None = None, at=None
) -> None:
    """Called by ``workflow.change_status`` inside its atomic block: mail after the commit.

    ``message`` and ``at`` are the change's own history text and time (told as they are, unread).
    """
    change = (message, at) if message is not None else None
    _schedule(transaction, event_for_change(transaction, workflow_event), change)


def on_create(transaction: Transaction) -> None:
    """Called by ``workflow.create_transaction`` inside its atomic block: mail after the commit."""
    _schedule(transaction, event_for_create(transaction))
