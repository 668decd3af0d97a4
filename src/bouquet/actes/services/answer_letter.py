"""Answer a préfecture letter: 2-2, 3-3 (refusal), 3-4 (documents), 4-3 (rejection), 4-4 (answer)."""

from collections.abc import Sequence

from django.db import transaction as db

from bouquet.actes import workflow
from bouquet.actes.choices import ResponseKind, Status, TransactionType
from bouquet.actes.errors import ActesServiceError, WorkflowError
from bouquet.actes.models import Transaction
from bouquet.actes.protocol.names import MessageName
from bouquet.actes.protocol.sniff import EXTENSIONS
from bouquet.actes.services import common
from bouquet.actes.services.common import Document
from bouquet.actes.services.outbound import answer_code
from bouquet.core.audit import Actor

__all__ = ["answer_letter"]

# Letter type → statuses it can be answered in (after our AR for 3-1/4-1).
ANSWERABLE = {
    TransactionType.COURRIER_SIMPLE: {Status.DOCUMENT_RECU_PAS_AR},
    TransactionType.PIECES_COMPLEMENTAIRES: {Status.DOCUMENT_RECU, Status.ACQUITTEMENT_ENVOYE},
    TransactionType.LETTRE_OBSERVATIONS: {Status.DOCUMENT_RECU, Status.ACQUITTEMENT_ENVOYE},
}
ALLOWED_MIME = set(EXTENSIONS)


def _check(letter: Transaction, kind: int, documents: Sequence[Document]) -> str:
    if letter.type not in ANSWERABLE or letter.response_kind is not None:
        raise WorkflowError("Ce document de la préfecture n'appelle pas de réponse.")
    if letter.status not in ANSWERABLE[letter.type]:
        raise WorkflowError("Ce courrier ne peut plus recevoir de réponse dans son état actuel.")
    if letter.type == TransactionType.COURRIER_SIMPLE and kind != ResponseKind.ENVOI:
        raise ActesServiceError("La réponse à un courrier simple ne peut pas être un refus.")
    if len(documents) > 1 and (letter.type, kind) != (
        TransactionType.PIECES_COMPLEMENTAIRES,
        ResponseKind.ENVOI,
    ):
        raise ActesServiceError("Seul l'envoi de pièces complémentaires accepte plusieurs documents.")
    for number, document in enumerate(documents, start=1):
        if document.mime_type not in ALLOWED_MIME:
            raise ActesServiceError(f"Le document n° {number} doit être un fichier PDF, XML, JPEG ou PNG.")
    return answer_code(letter.type, kind)


def answer_letter(
    *, letter: Transaction, actor: Actor, kind: int, document: Document, annexes: Sequence[Document] = ()
) -> Transaction:
    """Create the answer (same type as the letter, with ``response_kind``), posted or waiting per rights.

    :param kind: ``ResponseKind.REFUS`` (3-3, 4-3) or ``ResponseKind.ENVOI`` (2-2, 3-4, 4-4).
    :raises RightsError: the actor may not prepare answers for the letter's authority.
    """
    rights = common.require_prepare(actor, letter.authority)
    documents = [document, *annexes]
    code = _check(letter, kind, documents)
    message = MessageName.from_id_acte(letter.id_acte, code)
    names = [
        str(message.document(n, EXTENSIONS[d.mime_type], d.typology))
        for n, d in enumerate(documents, start=1)
    ]
    status = Status.POSTE if rights.can_transmit else Status.EN_ATTENTE_POSTE
    if status == Status.POSTE:
        common.require_convention(letter.authority)
    with db.atomic():
        answer = workflow.create_transaction(
            actor=actor,
            status=status,
            message="Dépôt initial",
            authority=letter.authority,
            type=letter.type,
            response_kind=kind,
            nature=letter.nature,
            number=letter.number,
            subject=f"Réponse ({code})",
            decision_date=letter.decision_date,
            classification=letter.classification,
            id_acte=letter.id_acte,
            related=letter,
            created_by=actor.user,
        )
        common.attach_files(
            answer, list(zip(documents, common.document_roles(documents), names, strict=True))
        )
    return answer
