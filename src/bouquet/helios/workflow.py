"""The HELIOS state machine (S²LOW's statuses and the events that move them).

Every status change goes through :func:`change_status`: a conditional UPDATE (so two workers
never both apply it), the history row and the audit journal entry, in one database transaction.

::

    upload ──► 13 ──(signed file)──► 1          upload ──► 14 ──(TT agent posts)──► 1
    upload ──► 1 ──(checked)──► 2 ──(sent)──► 3 ──(PES_ACQUIT)──► 8
                 └─────────►-1       │        │ └─(other answer naming the NomFic)──► -1
                                     │        └─(no acquittement after HELIOS_STALE_AFTER_HOURS)──► 24 ──► 8
                                     └─(PES_ACQUIT_RETOUR sent: no acquittement expected)──► 24
    13, 14, 1 ──(cancelled)──► 0     operator: any ──► -1 ("set error"), -1 ──► 1 ("rollback")
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction as db
from django.utils import timezone

from bouquet.core.audit import Actor, record
from bouquet.helios.choices import Status as S
from bouquet.helios.errors import WorkflowError
from bouquet.helios.models import Transaction, TransactionHistory

__all__ = ["INITIAL", "TABLE", "Event", "Rule", "change_status", "create_transaction", "target"]

#: S²LOW truncates workflow messages to 512 characters.
MESSAGE_MAX = 512


class Event(StrEnum):
    POST = "post"  # 14 → 1: a TT agent orders the transmission
    SIGNED = "signed"  # 13 → 1: the signed file was given
    CANCEL = "cancel"  # 13, 14, 1 → 0: withdrawn before anything left
    CHECK_OK = "check_ok"  # 1 → 2: stored file intact, ready to send
    CHECK_FAILED = "check_failed"  # 1 → -1
    SEND_OK = "send_ok"  # 2 → 3
    SEND_NO_ACK = "send_no_ack"  # 2 → 24: a PES_ACQUIT_RETOUR (no acquittement expected)
    SEND_FAILED = "send_failed"  # 2 → -1: the DGFiP refused it for good
    ACQUIT = "acquit"  # 3, 24 → 8: a PES_ACQUIT came back (whatever its EtatAck)
    HELIOS_ERROR = "helios_error"  # 3, 24 → -1: another answer naming the NomFic
    STALE = "stale"  # 3 → 24: no acquittement after HELIOS_STALE_AFTER_HOURS
    SET_ERROR = "set_error"  # operator: any live status → -1
    ROLLBACK = "rollback"  # operator: -1 → 1, checked and sent again


@dataclass(frozen=True)
class Rule:
    sources: frozenset[int]
    target: int


def _rule(sources: Iterable[int], to: int) -> Rule:
    return Rule(frozenset(sources), to)


TABLE: dict[Event, Rule] = {
    Event.POST: _rule([S.EN_ATTENTE_TELETRANSMISSION], S.POSTE),
    Event.SIGNED: _rule([S.EN_ATTENTE_SIGNATURE], S.POSTE),
    Event.CANCEL: _rule([S.EN_ATTENTE_SIGNATURE, S.EN_ATTENTE_TELETRANSMISSION, S.POSTE], S.ANNULE),
    Event.CHECK_OK: _rule([S.POSTE], S.EN_ATTENTE_TRANSMISSION),
    Event.CHECK_FAILED: _rule([S.POSTE], S.ERREUR),
    Event.SEND_OK: _rule([S.EN_ATTENTE_TRANSMISSION], S.TRANSMIS),
    Event.SEND_NO_ACK: _rule([S.EN_ATTENTE_TRANSMISSION], S.TRANSMIS_SANS_ACQUITTEMENT),
    Event.SEND_FAILED: _rule([S.EN_ATTENTE_TRANSMISSION], S.ERREUR),
    Event.ACQUIT: _rule([S.TRANSMIS, S.TRANSMIS_SANS_ACQUITTEMENT], S.INFORMATION_DISPONIBLE),
    Event.HELIOS_ERROR: _rule([S.TRANSMIS, S.TRANSMIS_SANS_ACQUITTEMENT], S.ERREUR),
    Event.STALE: _rule([S.TRANSMIS], S.TRANSMIS_SANS_ACQUITTEMENT),
    Event.SET_ERROR: _rule(set(S) - {S.ERREUR, S.ANNULE}, S.ERREUR),
    Event.ROLLBACK: _rule([S.ERREUR], S.POSTE),
}

#: Statuses a transaction may be created in (S²LOW's upload: 1, or 13 / 14 when it must wait).
INITIAL = frozenset({S.POSTE, S.EN_ATTENTE_SIGNATURE, S.EN_ATTENTE_TELETRANSMISSION})


def target(transaction: Transaction, event: Event) -> int:
    """The status ``event`` leads to from the transaction's current status.

    :raises WorkflowError: the event is not allowed now.
    """
    rule = TABLE[event]
    if transaction.status not in rule.sources:
        raise WorkflowError(
            f"Changement d'état impossible : « {S(transaction.status).label} » → « {S(rule.target).label} »."
        )
    return rule.target


def _history(transaction: Transaction, status: int, message: str, now) -> TransactionHistory:
    return TransactionHistory.objects.create(
        transaction=transaction, status=status, at=now, message=message[:MESSAGE_MAX]
    )


def change_status(
    transaction: Transaction, event: Event, *, message: str, actor: Actor, now=None, details=None, **fields
) -> Transaction:
    """Apply ``event``: status, extra ``fields``, history row and journal entry, all or nothing.

    :param details: extra values for the journal entry.
    :raises WorkflowError: the event is not allowed, or another worker changed the status first.
    """
    to = target(transaction, event)
    now = now or timezone.now()
    with db.atomic():
        changed = Transaction.objects.filter(pk=transaction.pk, status=transaction.status).update(
            status=to, last_status_at=now, updated_at=now, **fields
        )
        if not changed:
            raise WorkflowError("La transaction a changé d'état entre-temps ; rechargez-la.")
        before = transaction.status
        _history(transaction, to, message, now)
        record(
            actor=actor,
            action=f"helios.{event}",
            authority=transaction.authority,
            obj=transaction,
            details={"from": before, "to": to, "message": message[:MESSAGE_MAX], **(details or {})},
        )
    transaction.status, transaction.last_status_at = to, now
    for name, value in fields.items():
        setattr(transaction, name, value)
    return transaction


def create_transaction(*, actor: Actor, status: int, message: str, details=None, **fields) -> Transaction:
    """Create a transaction in an allowed initial status, with its first history row and journal entry."""
    if status not in INITIAL:
        raise WorkflowError(f"Une transaction ne peut pas être créée dans l'état « {S(status).label} ».")
    now = timezone.now()
    with db.atomic():
        transaction = Transaction.objects.create(status=status, created_at=now, last_status_at=now, **fields)
        _history(transaction, status, message, now)
        record(
            actor=actor,
            action="helios.create",
            authority=transaction.authority,
            obj=transaction,
            details={
                "status": status,
                "nom_fic": transaction.nom_fic,
                "cod_col": transaction.cod_col,
                "sha256": transaction.sha256,
                "filename": transaction.filename,
                **(details or {}),
            },
        )
    return transaction
