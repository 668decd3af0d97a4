"""Check a posted transaction (1 → 2 or -1): business rules, messages, envelope, archive stored once."""

import datetime as dt

from django.db import transaction as db
from django.utils import timezone

from bouquet.actes import workflow
from bouquet.actes.choices import FileRole, Status, TransactionType
from bouquet.actes.errors import WorkflowError
from bouquet.actes.models import Classification, Transaction
from bouquet.actes.protocol import ActesError, ActFile
from bouquet.actes.protocol import validate_act as protocol_validate_act
from bouquet.actes.services.outbound import build_envelope, outbound_for
from bouquet.core.audit import Actor

__all__ = ["check_transaction"]

ACTOR = Actor.system("vérification des transactions ACTES")


def _rules(transaction: Transaction, outbound, today: dt.date) -> list[str]:
    """S²LOW re-validates the act before sending; other types have only schema and name rules."""
    if transaction.type != TransactionType.ACTE:
        return []
    (_, acte), documents = outbound[0][0], outbound[1]
    current = Classification.current_for(transaction.authority)
    others = Transaction.objects.for_tenant(transaction.authority).acts().exclude(pk=transaction.pk)
    files = transaction.files.filter(role__in=[FileRole.MAIN, FileRole.ANNEX]).order_by("position", "id")
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


def check_transaction(*, transaction: Transaction, today: dt.date | None = None) -> Transaction:
    """Validate and pack a posted transaction: status 2 with a stored envelope, or -1 with the reason.

    :raises WorkflowError: the transaction is not "Posté" (already checked by another worker).
    """
    today = today or timezone.localdate()
    if transaction.status != Status.POSTE:
        raise WorkflowError("Seule une transaction « Posté » peut être vérifiée.")
    with db.atomic():
        try:
            outbound = outbound_for(transaction)
            problems = _rules(transaction, outbound, today)
            if not problems:
                with db.atomic():
                    build_envelope(transaction, outbound, user=transaction.created_by, today=today)
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
            transaction, workflow.Event.CHECK_OK, message="Accepté par le TdT : validation OK", actor=ACTOR
        )
