"""Check a posted transaction (1 → 2 or -1): business rules, messages, envelope, archive stored once."""

import datetime as dt

from django.db import transaction as db
from django.utils import timezone

from bouquet.actes import workflow
from bouquet.actes.choices import Status, TransactionType
from bouquet.actes.errors import WorkflowError
from bouquet.actes.models import Classification, Transaction
from bouquet.actes.protocol import ActesError, ActFile
from bouquet.actes.protocol import validate_act as protocol_validate_act
from bouquet.actes.services.outbound import build_envelope, outbound_files, outbound_for
from bouquet.core.audit import Actor

__all__ = ["check_transaction"]

ACTOR = Actor.system("vérification des transactions ACTES")


def _rules(transaction: Transaction, outbound, files, today: dt.date) -> list[str]:
    """S²LOW re-validates the act before sending; other types have only schema and name rules."""
    if transaction.type != TransactionType.ACTE:
        return []
    (_, acte), documents = outbound[0][0], outbound[1]
    current = Classification.current_for(transaction.authority)
    others = Transaction.objects.for_tenant(transaction.authority).acts().exclude(pk=transaction.pk)
    typologies = [f.typology or None for f in files]
    act_files = [ActFile(data, typology) for (_, data), typology in zip(documents, typologies, strict=True)]
    findings = protocol_validate_act(
        acte,
        document=act_files[0],
        annexes=act_files[1:],
        classification=current.parsed if current else None,
        existing_numbers=lambda number: others.filter(number=number).exists(),
        today=today,
    )
    return [f.message for f in findings]


def _claim(transaction: Transaction) -> None:
    """Lock the posted row for this database transaction, or :class:`WorkflowError` if another worker has it.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so concurrent workers spread over the posted rows instead
    of building the same archive twice. SQLite ignores the lock, but its write transactions are
    IMMEDIATE (one writer at a time): the status read here is then the committed one.
    """
    claimed = (
        Transaction.objects.select_for_update(skip_locked=True)
        .filter(pk=transaction.pk, status=Status.POSTE)
        .values_list("pk", flat=True)
    )
    if not claimed:
        raise WorkflowError("Cette transaction est déjà vérifiée ou en cours de vérification.")


def check_transaction(*, transaction: Transaction, today: dt.date | None = None) -> Transaction:
    """Validate and pack a posted transaction: status 2 with a stored envelope, or -1 with the reason.

    :raises WorkflowError: the transaction is not "Posté" (already checked by another worker).
    """
    today = today or timezone.localdate()
    if transaction.status != Status.POSTE:
        raise WorkflowError("Seule une transaction « Posté » peut être vérifiée.")
    with db.atomic():
        _claim(transaction)
        try:
            files = outbound_files(transaction)
            outbound = outbound_for(transaction, files)
            problems = _rules(transaction, outbound, files, today)
            if not problems:
                with db.atomic():
                    envelope = build_envelope(
                        transaction, outbound, user=transaction.created_by, today=today, link=False
                    )
        except ActesError as exc:
            problems = [str(exc)]
        if problems:
            return workflow.change_status(
                transaction,
                workflow.Event.CHECK_FAILED,
                message=f"Enveloppe invalide : {' '.join(problems)}",
                actor=ACTOR,
            )
        return workflow.change_status(
            transaction,
            workflow.Event.CHECK_OK,
            message="Accepté par le TdT : validation OK",
            actor=ACTOR,
            envelope=envelope,
        )
