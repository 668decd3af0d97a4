"""Create an act (type 1) from the user's fields and files, after S²LOW's business rules."""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction as db
from django.utils import timezone

from bouquet.actes import workflow
from bouquet.actes.choices import Status, TransactionType
from bouquet.actes.errors import ActesServiceError, ActValidationError
from bouquet.actes.models import Classification, Transaction
from bouquet.actes.protocol import ActFile, Finding, FindingCode
from bouquet.actes.protocol import validate_act as protocol_validate_act
from bouquet.actes.protocol.constants import NATURES
from bouquet.actes.protocol.errors import FileNameError
from bouquet.actes.protocol.messages import Acte, SignedFile
from bouquet.actes.protocol.rules import check_archive_size
from bouquet.actes.protocol.sniff import EXTENSIONS
from bouquet.actes.services import common
from bouquet.actes.services.common import Document
from bouquet.actes.services.outbound import act_message_name
from bouquet.actes.storage import write_contents
from bouquet.core.audit import Actor

__all__ = ["create_act", "parse_classification"]


def parse_classification(value: str | Sequence[int]) -> tuple[int, ...]:
    """``"1.2.3"`` or ``(1, 2, 3)`` → ``(1, 2, 3)``; :class:`ActValidationError` when not numeric."""
    parts = value.split(".") if isinstance(value, str) else [str(v) for v in value]
    try:
        return tuple(int(p) for p in parts if str(p).strip())
    except ValueError:
        raise ActValidationError(
            [Finding(FindingCode.CLASSIFICATION_NIVEAUX, "La classification doit être numérique (ex. 1.2).")]
        ) from None


def _names(probe: Transaction, documents: Sequence[Document]) -> list[str]:
    """@ctes names of the documents (extension from the sniffed type; ``bin`` when unknown)."""
    message = act_message_name(probe)
    return [
        str(message.document(n, EXTENSIONS.get(d.mime_type, "bin"), d.typology if d.typology else None))
        for n, d in enumerate(documents, start=1)
    ]


def _initial_status(rights: common.Rights, wait: bool, must_sign: bool) -> tuple[int, str]:
    if must_sign:
        return Status.EN_ATTENTE_SIGNATURE, "En attente d'être signé"
    if wait or not rights.can_transmit:
        return Status.EN_ATTENTE_POSTE, "Dépôt dans un état d'attente"
    return Status.POSTE, "Dépôt initial"


def _check(probe, documents, classification, today) -> list[str]:
    try:
        names = _names(probe, documents)
    except FileNameError:
        names = ["x"] * len(documents)  # the rules below report the bad number or typology
    acte = Acte(
        date=probe.decision_date,
        numero_interne=probe.number,
        code_nature_acte=probe.nature,
        codes_matiere=probe.codes_matiere,
        objet=probe.subject,
        classification_date_version=classification.version,
        document=SignedFile(names[0]),
        annexes=tuple(SignedFile(n) for n in names[1:]),
        document_papier=probe.document_papier,
    )
    taken = Transaction.objects.for_tenant(probe.authority).acts().filter
    findings = protocol_validate_act(
        acte,
        document=ActFile(documents[0].content, documents[0].typology),
        annexes=[ActFile(d.content, d.typology) for d in documents[1:]],
        classification=classification.parsed,
        existing_numbers=lambda number: taken(number=number).exists(),
        today=today,
    )
    findings += check_archive_size(sum(len(d.content) for d in documents), common.MAX_ARCHIVE_SIZE)
    if findings:
        raise ActValidationError(findings)
    return names


def create_act(
    *,
    authority,
    actor: Actor,
    nature: int,
    number: str,
    subject: str,
    decision_date: dt.date,
    classification: str | Sequence[int],
    document: Document,
    annexes: Sequence[Document] = (),
    document_papier: bool = False,
    wait: bool = False,
    must_sign: bool = False,
    today: dt.date | None = None,
) -> Transaction:
    """Validate and record an act with its files; status 1, or 17 for a CS-only user or on request.

    :raises RightsError: the actor may not prepare acts for ``authority``.
    :raises ActValidationError: a business rule is broken (French messages, one per finding).
    """
    rights = common.require_prepare(actor, authority)
    current = Classification.current_for(authority)
    if current is None:
        raise ActesServiceError(
            "La classification de la collectivité n'a pas encore été reçue : demandez-la d'abord."
        )
    if nature not in NATURES:
        raise ActValidationError(
            [Finding(FindingCode.NATURE_INCONNUE, f"Nature d'acte inconnue : {nature}.")]
        )
    fields = dict(
        authority=authority,
        type=TransactionType.ACTE,
        nature=nature,
        number=number,
        subject=subject,
        decision_date=decision_date,
        classification=".".join(map(str, parse_classification(classification))),
        classification_date=current.version,
        document_papier=document_papier,
        created_by=actor.user,
    )
    probe = Transaction(**fields)
    documents = [document, *annexes]
    names = _check(probe, documents, current, today or timezone.localdate())
    status, message = _initial_status(rights, wait, must_sign)
    if status == Status.POSTE:
        common.require_convention(authority)
    # The files first, outside the database transaction (which then holds no lock during the I/O):
    # if it fails, they stay as unreferenced content, harmless and reused if sent again.
    written = write_contents([d.content for d in documents])
    with db.atomic():
        act = workflow.create_transaction(actor=actor, status=status, message=message, **fields)
        common.attach_files(
            act, list(zip(documents, common.document_roles(documents), names, strict=True)), written=written
        )
    return act
