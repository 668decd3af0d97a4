"""Check posted transactions (1 → 2 or -1): business rules, messages, envelope, archive stored once.

The worker checks them in batches: one database transaction holds up to ``limit`` posted rows and
reads, stores and moves them together (a few statements per batch instead of a score per act).
A single transaction goes through the same code as a batch of one.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction as db
from django.utils import timezone

from bouquet.actes import workflow
from bouquet.actes.choices import FileRole, Status, TransactionType
from bouquet.actes.errors import WorkflowError
from bouquet.actes.models import Classification, Envelope, Transaction, TransactionFile
from bouquet.actes.protocol import ActesError, ActFile
from bouquet.actes.protocol import validate_act as protocol_validate_act
from bouquet.actes.services.outbound import Outbound, allocate_serials, envelope_row, outbound_for, pack
from bouquet.actes.storage import store_many
from bouquet.core.audit import Actor

__all__ = ["check_posted", "check_transaction"]

ACTOR = Actor.system("vérification des transactions ACTES")
OK_MESSAGE = "Accepté par le TdT : validation OK"
#: Posted transactions checked in one database transaction by the worker.
BATCH = 20


@dataclass
class _Item:
    """One claimed transaction on its way through the batch."""

    transaction: Transaction
    files: list[TransactionFile]
    outbound: Outbound | None = None
    problems: list[str] | None = None
    packed: tuple | None = None


class _Lookups:
    """What the rules read from the database, fetched once per batch."""

    def __init__(self, transactions: Sequence[Transaction]) -> None:
        acts = [t for t in transactions if t.type == TransactionType.ACTE]
        self.classifications: dict[int, Classification | None] = {}
        self.numbers: dict[tuple[int, str], set[int]] = defaultdict(set)
        if acts:
            # Every act holding one of these numbers in one of these authorities (the batch included).
            rows = (
                Transaction.objects.acts()
                .filter(authority__in={t.authority_id for t in acts}, number__in={t.number for t in acts})
                .values_list("pk", "authority_id", "number")
            )
            for pk, authority_id, number in rows:
                self.numbers[(authority_id, number)].add(pk)

    def classification(self, authority) -> Classification | None:
        if authority.pk not in self.classifications:
            self.classifications[authority.pk] = Classification.current_for(authority)
        return self.classifications[authority.pk]

    def number_taken(self, transaction: Transaction, number: str) -> bool:
        return bool(self.numbers.get((transaction.authority_id, number), set()) - {transaction.pk})


def _rules(item: _Item, lookups: _Lookups, today: dt.date) -> list[str]:
    """S²LOW re-validates the act before sending; other types have only schema and name rules."""
    transaction = item.transaction
    if transaction.type != TransactionType.ACTE:
        return []
    (_, acte), documents = item.outbound[0][0], item.outbound[1]
    current = lookups.classification(transaction.authority)
    typologies = [f.typology or None for f in item.files]
    act_files = [ActFile(data, typology) for (_, data), typology in zip(documents, typologies, strict=True)]
    findings = protocol_validate_act(
        acte,
        document=act_files[0],
        annexes=act_files[1:],
        classification=current.parsed if current else None,
        existing_numbers=lambda number: lookups.number_taken(transaction, number),
        today=today,
    )
    return [f.message for f in findings]


def _files(transactions: Sequence[Transaction]) -> dict[int, list[TransactionFile]]:
    """Main documents and annexes of every transaction, in order, with their stored file (one query)."""
    found: dict[int, list[TransactionFile]] = defaultdict(list)
    files = TransactionFile.objects.filter(
        transaction__in=[t.pk for t in transactions], role__in=[FileRole.MAIN, FileRole.ANNEX]
    ).select_related("stored_file")
    for f in files.order_by("transaction_id", "position", "id"):
        found[f.transaction_id].append(f)
    return found


def _pack_all(items: list[_Item], today: dt.date) -> None:
    """Serials for each authority's valid items in one statement, then each archive (pure work).

    An archive that then fails to build leaves a gap in the day's serials: nothing was sent under it.
    """
    by_authority: dict[int, list[_Item]] = defaultdict(list)
    for item in items:
        if not item.problems:
            by_authority[item.transaction.authority_id].append(item)
    for group in by_authority.values():
        authority = group[0].transaction.authority
        try:
            serials = allocate_serials(authority, today, len(group))
        except ActesError as exc:
            for item in group:
                item.problems = [str(exc)]
            continue
        for item, serial in zip(group, serials, strict=True):
            transaction = item.transaction
            try:
                item.packed = pack(
                    transaction, item.outbound, serial=serial, user=transaction.created_by, today=today
                )
            except ActesError as exc:
                item.problems = [str(exc)]


def _check_held(transactions: Sequence[Transaction], today: dt.date) -> None:
    """Check rows this database transaction holds in "Posté", and move each to 2 or -1."""
    files = _files(transactions)
    lookups = _Lookups(transactions)
    items = [_Item(t, files.get(t.pk, [])) for t in transactions]
    for item in items:
        try:
            item.outbound = outbound_for(item.transaction, item.files)
            item.problems = _rules(item, lookups, today)
        except ActesError as exc:
            item.problems = [str(exc)]
    _pack_all(items, today)
    packed = [item for item in items if item.packed]
    # kept in memory too: this worker reads them back to send them, in a moment
    stored = store_many([item.packed[1].data for item in packed], keep=True)
    envelopes = Envelope.objects.bulk_create(
        envelope_row(item.transaction.authority, *item.packed, stored_file, today)
        for item, stored_file in zip(packed, stored, strict=True)
    )
    envelope_of = {id(item): envelope for item, envelope in zip(packed, envelopes, strict=True)}
    workflow.change_statuses(
        [
            workflow.Change(
                item.transaction, workflow.Event.CHECK_OK, OK_MESSAGE, {"envelope": envelope_of[id(item)]}
            )
            if item.packed
            else workflow.Change(
                item.transaction,
                workflow.Event.CHECK_FAILED,
                f"Enveloppe invalide : {' '.join(item.problems)}",
            )
            for item in items
        ],
        actor=ACTOR,
    )


def _hold_posted(queryset, limit: int | None = None) -> list[Transaction]:
    """Lock up to ``limit`` posted rows of ``queryset`` for this database transaction, skipping those
    another worker holds, and load them with what checking reads.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so concurrent workers spread over the posted rows instead
    of building the same archive twice. SQLite ignores the lock, but its write transactions are
    IMMEDIATE (one writer at a time): the status read here is then the committed one.
    """
    locked = queryset.filter(status=Status.POSTE).select_for_update(skip_locked=True).order_by("id")
    ids = list(locked.values_list("pk", flat=True)[:limit] if limit else locked.values_list("pk", flat=True))
    if not ids:
        return []
    return list(
        Transaction.objects.filter(pk__in=ids)
        .select_related("authority", "created_by", "related")
        .order_by("id")
    )


def check_posted(*, limit: int = BATCH, today: dt.date | None = None) -> list[Transaction]:
    """Check up to ``limit`` posted transactions in one database transaction; return them (2 or -1)."""
    today = today or timezone.localdate()
    with db.atomic():
        held = _hold_posted(Transaction.objects.all(), limit)
        if held:
            _check_held(held, today)
    return held


def check_transaction(*, transaction: Transaction, today: dt.date | None = None) -> Transaction:
    """Validate and pack a posted transaction: status 2 with a stored envelope, or -1 with the reason.

    :raises WorkflowError: the transaction is not "Posté" (already checked by another worker).
    """
    today = today or timezone.localdate()
    if transaction.status != Status.POSTE:
        raise WorkflowError("Seule une transaction « Posté » peut être vérifiée.")
    with db.atomic():
        held = _hold_posted(Transaction.objects.filter(pk=transaction.pk))
        if not held:
            raise WorkflowError("Cette transaction est déjà vérifiée ou en cours de vérification.")
        _check_held(held, today)
    (checked,) = held
    transaction.status, transaction.last_status_at = checked.status, checked.last_status_at
    transaction.envelope = checked.envelope if checked.envelope_id else None
    return transaction
