"""The ACTES state machine (spec §4.3, §4.4): S²LOW's statuses, the events that move them.

Every status change goes through :func:`change_status`: a conditional UPDATE (so two workers
never both apply it), the history row and the audit journal entry, in one database transaction.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction as db
from django.utils import timezone

from bouquet.actes import notifications
from bouquet.actes.choices import Status as S
from bouquet.actes.choices import TransactionType as T
from bouquet.actes.errors import ConcurrentChangeError, WorkflowError
from bouquet.actes.models import Transaction, TransactionHistory
from bouquet.core.audit import Actor, record

__all__ = ["INITIAL", "TABLE", "Event", "Rule", "change_status", "create_transaction", "target"]

ANSWERABLE = frozenset({T.COURRIER_SIMPLE, T.PIECES_COMPLEMENTAIRES, T.LETTRE_OBSERVATIONS})
OUTBOUND = frozenset({T.ACTE, T.ANNULATION, T.CLASSIFICATION, *ANSWERABLE})
ALL_TYPES = frozenset(T)


class Event(StrEnum):
    POST = "post"  # 17 → 1: a TT agent with an RGS** certificate posts a prepared act
    SIGNED = "signed"  # 18 → 1
    CHECK_OK = "check_ok"  # 1 → 2: archive built and valid
    CHECK_FAILED = "check_failed"  # 1 → -1
    SEND_OK = "send_ok"  # 2 → 3: HTTP 200 from the ministry
    SEND_FAILED = "send_failed"  # 2 → -1: permanent transport error
    ACK_RECEIVED = "ack_received"  # 3 → 4: 1-2, 3-5, 4-5, 6-2, 7-2, 7-3
    ANOMALY = "anomaly"  # 3 → -1: 1-3 AnomalieActe
    ENVELOPE_ANOMALY = "envelope_anomaly"  # any → -1: AnomalieEnveloppe
    TIMEOUT = "timeout"  # 3 → -1 after ACTES_TRANSMIS_TIMEOUT_DAYS
    CANCELLED = "cancelled"  # 4 → 0: ARAnnulation
    VALIDATED = "validated"  # 4 → 5, two months after the AR
    ACK_SENT = "ack_sent"  # 7 → 8: our 3-2/4-2 reached the ministry
    ACK_FAILED = "ack_failed"  # 7 → -1: our 3-2/4-2 was refused for good


@dataclass(frozen=True)
class Rule:
    sources: frozenset[int]
    target: int
    types: frozenset[int]


def _rule(sources: Iterable[int], to: int, types: Iterable[int] = OUTBOUND) -> Rule:
    return Rule(frozenset(sources), to, frozenset(types))


_LIVE = set(S) - {S.ERREUR, S.ANNULE}
TABLE: dict[Event, Rule] = {
    Event.POST: _rule([S.EN_ATTENTE_POSTE], S.POSTE),
    Event.SIGNED: _rule([S.EN_ATTENTE_SIGNATURE], S.POSTE, [T.ACTE]),
    Event.CHECK_OK: _rule([S.POSTE], S.EN_ATTENTE_TRANSMISSION),
    Event.CHECK_FAILED: _rule([S.POSTE], S.ERREUR),
    Event.SEND_OK: _rule([S.EN_ATTENTE_TRANSMISSION], S.TRANSMIS),
    Event.SEND_FAILED: _rule([S.EN_ATTENTE_TRANSMISSION], S.ERREUR),
    Event.ACK_RECEIVED: _rule([S.TRANSMIS], S.ACQUITTEMENT_RECU),
    Event.ANOMALY: _rule([S.TRANSMIS], S.ERREUR, [T.ACTE]),
    Event.ENVELOPE_ANOMALY: _rule(_LIVE, S.ERREUR, ALL_TYPES),
    Event.TIMEOUT: _rule([S.TRANSMIS], S.ERREUR),
    Event.CANCELLED: _rule([S.ACQUITTEMENT_RECU], S.ANNULE, [T.ACTE]),
    Event.VALIDATED: _rule([S.ACQUITTEMENT_RECU], S.VALIDE, [T.ACTE]),
    Event.ACK_SENT: _rule(
        [S.DOCUMENT_RECU], S.ACQUITTEMENT_ENVOYE, [T.PIECES_COMPLEMENTAIRES, T.LETTRE_OBSERVATIONS]
    ),
    Event.ACK_FAILED: _rule([S.DOCUMENT_RECU], S.ERREUR, [T.PIECES_COMPLEMENTAIRES, T.LETTRE_OBSERVATIONS]),
}

#: Statuses a transaction may be created in, per type (answers are types 2-4 with a response kind).
INITIAL: dict[tuple[int, bool], frozenset[int]] = {
    (T.ACTE, False): frozenset({S.POSTE, S.EN_ATTENTE_POSTE, S.EN_ATTENTE_SIGNATURE}),
    (T.COURRIER_SIMPLE, False): frozenset({S.DOCUMENT_RECU_PAS_AR}),
    (T.DEFERE_TA, False): frozenset({S.DOCUMENT_RECU_PAS_AR}),
    (T.PIECES_COMPLEMENTAIRES, False): frozenset({S.DOCUMENT_RECU}),
    (T.LETTRE_OBSERVATIONS, False): frozenset({S.DOCUMENT_RECU}),
    (T.COURRIER_SIMPLE, True): frozenset({S.POSTE, S.EN_ATTENTE_POSTE}),
    (T.PIECES_COMPLEMENTAIRES, True): frozenset({S.POSTE, S.EN_ATTENTE_POSTE}),
    (T.LETTRE_OBSERVATIONS, True): frozenset({S.POSTE, S.EN_ATTENTE_POSTE}),
    (T.ANNULATION, False): frozenset({S.POSTE}),
    (T.CLASSIFICATION, False): frozenset({S.POSTE}),
}


def target(transaction: Transaction, event: Event) -> int:
    """The status ``event`` leads to from the transaction's current status.

    :raises WorkflowError: the event is not allowed now.
    """
    rule = TABLE[event]
    if transaction.type not in rule.types or transaction.status not in rule.sources:
        raise WorkflowError(
            f"Changement d'état impossible : « {S(transaction.status).label} » → « {S(rule.target).label} »"
            f" n'est pas permis pour une transaction de type « {T(transaction.type).label} »."
        )
    return rule.target


def _history(transaction, status, message, now, received_xml, findings) -> TransactionHistory:
    return TransactionHistory.objects.create(
        transaction=transaction,
        status=status,
        at=now,
        message=message,
        received_xml=received_xml,
        schema_findings=list(findings),
    )


def change_status(
    transaction: Transaction,
    event: Event,
    *,
    message: str,
    actor: Actor,
    received_xml: bytes | None = None,
    findings: Iterable[str] = (),
    now=None,
    **fields,
) -> Transaction:
    """Apply ``event``: status, extra ``fields``, history row and journal entry, all or nothing.

    :raises WorkflowError: the event is not allowed, or another worker changed the status first.
    """
    to = target(transaction, event)
    now = now or timezone.now()
    # No savepoint of its own: the change is part of the caller's transaction, undone with it. A lost
    # race writes nothing, so it is raised outside the block and the caller's transaction stays usable.
    with db.atomic(savepoint=False):
        changed = Transaction.objects.filter(pk=transaction.pk, status=transaction.status).update(
            status=to, last_status_at=now, updated_at=now, **fields
        )
        if changed:
            _history(transaction, to, message, now, received_xml, findings)
            record(
                actor=actor,
                action=f"actes.{event}",
                authority=transaction.authority,
                obj=transaction,
                details={"from": transaction.status, "to": to, "message": message},
            )
            notifications.on_status_change(transaction, event, message, now)
    if not changed:
        raise ConcurrentChangeError("La transaction a changé d'état entre-temps ; rechargez-la.")
    transaction.status, transaction.last_status_at = to, now
    for name, value in fields.items():
        setattr(transaction, name, value)
    return transaction


def create_transaction(
    *, actor: Actor, status: int, message: str, received_xml=None, findings=(), **fields
) -> Transaction:
    """Create a transaction in an allowed initial status, with its first history row and journal entry."""
    kind = (fields["type"], fields.get("response_kind") is not None)
    if status not in INITIAL.get(kind, frozenset()):
        raise WorkflowError(
            f"Une transaction de ce type ne peut pas être créée dans l'état « {S(status).label} »."
        )
    now = timezone.now()
    with db.atomic(savepoint=False):
        transaction = Transaction.objects.create(status=status, created_at=now, last_status_at=now, **fields)
        _history(transaction, status, message, now, received_xml, findings)
        record(
            actor=actor,
            action="actes.create",
            authority=transaction.authority,
            obj=transaction,
            details={"type": transaction.type, "status": status, "number": transaction.number},
        )
        notifications.on_create(transaction)
    return transaction
