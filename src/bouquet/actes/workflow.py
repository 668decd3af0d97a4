"""The ACTES state machine (spec §4.3, §4.4): S²LOW's statuses, the events that move them.

Every status change goes through :func:`change_status`: a conditional UPDATE (so two workers
never both apply it), the history row and the audit journal entry, in one database transaction.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import transaction as db
from django.db.models import Case, Value, When
from django.utils import timezone

from bouquet.actes import notifications
from bouquet.actes.choices import Status as S
from bouquet.actes.choices import TransactionType as T
from bouquet.actes.errors import ConcurrentChangeError, WorkflowError
from bouquet.actes.models import Transaction, TransactionHistory
from bouquet.core import audit
from bouquet.core.audit import Actor, record

__all__ = [
    "INITIAL",
    "TABLE",
    "Change",
    "Event",
    "Rule",
    "change_status",
    "change_statuses",
    "create_transaction",
    "target",
]

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

    A batch of one (:func:`change_statuses`); the row need not be held: a lost race writes nothing
    and leaves the caller's transaction usable.

    :raises WorkflowError: the event is not allowed, or another worker changed the status first.
    """
    change = Change(transaction, event, message, fields, received_xml=received_xml, findings=tuple(findings))
    change_statuses([change], actor=actor, now=now)
    return transaction


def _per_row(name: str, changes: Sequence["Change"]):
    """The value of field ``name`` for an UPDATE of all ``changes``' rows: one value, or a CASE on the id
    when each row has its own (an act's envelope)."""
    values = [c.fields[name] for c in changes]
    if all(v == values[0] for v in values):
        return values[0]
    model_field = Transaction._meta.get_field(name)
    whens = [
        When(pk=c.transaction.pk, then=Value(getattr(v, "pk", v), output_field=model_field))
        for c, v in zip(changes, values, strict=True)
    ]
    return Case(*whens, output_field=model_field)


@dataclass(frozen=True)
class Change:
    """One row's part in :func:`change_statuses`."""

    transaction: Transaction
    event: Event
    message: str
    fields: Mapping[str, object] = field(default_factory=dict)
    received_xml: bytes | None = None  # the ministry message that caused it, kept on the history row
    findings: Sequence[str] = ()  # its schema findings (read leniently)


def change_statuses(changes: Sequence[Change], *, actor: Actor, now=None) -> None:
    """:func:`change_status` for a batch of rows, in a handful of statements instead of a few per row.

    The caller holds the rows (``SELECT … FOR UPDATE`` in its transaction, which SQLite's single
    writer gives as well), so the statuses it read are current: one UPDATE per kind of change, one
    INSERT of history rows, one of journal entries (:func:`bouquet.core.audit.record_many`).

    :raises WorkflowError: an event is not allowed for its row (checked before anything is written).
    :raises ConcurrentChangeError: a row had moved all the same. When the first UPDATE found no row
        left, nothing was written: it is raised outside the block and the caller's transaction stays
        usable (what :func:`change_status` relies on, its row not being held); otherwise that
        transaction must roll back.
    """
    targets = [target(c.transaction, c.event) for c in changes]
    befores = [c.transaction.status for c in changes]
    now = now or timezone.now()
    groups: dict[tuple, list[tuple[Change, int]]] = {}
    for change, to in zip(changes, targets, strict=True):
        key = (change.transaction.status, to, tuple(sorted(change.fields)))
        groups.setdefault(key, []).append((change, to))
    lost = False
    # No savepoint of its own: the changes are part of the caller's transaction, undone with it.
    with db.atomic(savepoint=False):
        for n, ((before, to, names), members) in enumerate(groups.items()):
            ids = [c.transaction.pk for c, _ in members]
            values = {name: _per_row(name, [c for c, _ in members]) for name in names}
            changed = Transaction.objects.filter(pk__in=ids, status=before).update(
                status=to, last_status_at=now, updated_at=now, **values
            )
            if changed == 0 and n == 0:
                lost = True  # nothing written yet: raised outside the block, the transaction stays usable
                break
            if changed != len(ids):
                raise ConcurrentChangeError("Une transaction a changé d'état entre-temps ; rechargez-la.")
        else:
            _record(changes, targets, befores, actor, now)
    if lost:
        raise ConcurrentChangeError(
            ("La transaction a" if len(changes) == 1 else "Une transaction a")
            + " changé d'état entre-temps ; rechargez-la."
        )
    for c, to in zip(changes, targets, strict=True):
        c.transaction.status, c.transaction.last_status_at = to, now
        for name, value in c.fields.items():
            setattr(c.transaction, name, value)


def _record(changes, targets, befores, actor: Actor, now) -> None:
    """The history rows, journal entries and notifications of changes whose rows were updated."""
    TransactionHistory.objects.bulk_create(
        TransactionHistory(
            transaction=c.transaction,
            status=to,
            at=now,
            message=c.message,
            received_xml=c.received_xml,
            schema_findings=list(c.findings),
        )
        for c, to in zip(changes, targets, strict=True)
    )
    audit.record_many(
        [
            audit.entry(
                actor=actor,
                action=f"actes.{c.event}",
                authority=c.transaction.authority,
                obj=c.transaction,
                details={"from": before, "to": to, "message": c.message},
            )
            for c, before, to in zip(changes, befores, targets, strict=True)
        ]
    )
    for c in changes:
        notifications.on_status_change(c.transaction, c.event, c.message, now)


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
