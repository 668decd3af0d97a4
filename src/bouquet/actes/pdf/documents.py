"""The stamped act and the bordereau of a transaction, from the models (Django side of ``actes.pdf``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bouquet.actes.choices import FileRole, Nature, Status, TransactionType
from bouquet.actes.errors import ActesServiceError
from bouquet.actes.models import Classification, Transaction, TransactionFile, TransactionHistory
from bouquet.actes.pdf.bordereau import BordereauData, BordereauEvent, BordereauFile, bordereau_pdf
from bouquet.actes.pdf.stamp import StampResult, stamp_pdf
from bouquet.actes.protocol import parse_message

__all__ = [
    "NO_MAIN_DOCUMENT",
    "bordereau_data",
    "main_document",
    "received_at",
    "sent_at",
    "stamped_act",
    "stamped_file",
    "transaction_bordereau",
]

NO_MAIN_DOCUMENT = "La transaction n'a pas de document principal PDF : rien à tamponner."


def main_document(transaction: Transaction) -> TransactionFile | None:
    """The act's main document (first file with the "main" role)."""
    return transaction.files.filter(role=FileRole.MAIN).select_related("stored_file").first()


def _first(transaction: Transaction, status: int) -> TransactionHistory | None:
    return transaction.history.filter(status=status).order_by("at", "id").first()


def sent_at(transaction: Transaction) -> dt.datetime | None:
    """When the act left for the préfecture: the "Transmis" entry, else the envelope's sending."""
    row = _first(transaction, Status.TRANSMIS)
    if row:
        return row.at
    return transaction.envelope.sent_at if transaction.envelope_id else None


def received_at(transaction: Transaction) -> dt.date | dt.datetime | None:
    """``ARActe/@DateReception`` of the AR kept on the "Acquittement reçu" entry, else that entry's date."""
    row = _first(transaction, Status.ACQUITTEMENT_RECU)
    if row is None:
        return None
    if row.received_xml:
        try:
            message = parse_message(bytes(row.received_xml)).message
        except Exception:  # noqa: BLE001 - a bad stored XML only loses the precise date
            message = None
        date_reception = getattr(message, "date_reception", None)
        if date_reception:
            return date_reception
    return row.at


def _local(value: dt.date | dt.datetime | None) -> dt.date | dt.datetime | None:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def stamped_act(transaction: Transaction, *, published_at: dt.date | None = None) -> StampResult:
    """The main document with the acknowledgement stamp (an unchanged copy plus a warning if it cannot be).

    S²LOW prints today's date for a missing one; we print none, so that an act not yet
    acknowledged never looks acknowledged.

    :raises ActesServiceError: the transaction has no main PDF document.
    """
    document = main_document(transaction)
    if document is None or document.mime_type not in ("", "application/pdf"):
        raise ActesServiceError(NO_MAIN_DOCUMENT)
    return stamped_file(document, published_at=published_at)


def stamped_file(file: TransactionFile, *, published_at: dt.date | None = None) -> StampResult:
    """Any PDF file of a transaction with the stamp of its transaction (S²LOW ``tampon=true``)."""
    transaction = file.transaction
    return stamp_pdf(
        file.read(),
        sent_at=_local(sent_at(transaction)),
        received_at=_local(received_at(transaction)),
        id_acte=transaction.id_acte,
        published_at=published_at,
    )


def _classification_label(transaction: Transaction) -> str:
    codes = transaction.classification
    if not codes:
        return ""
    current = Classification.current_for(transaction.authority)
    try:
        matiere = current.parsed.find_matiere(transaction.codes_matiere) if current else None
    except Exception:  # noqa: BLE001 - no label is better than no bordereau
        matiere = None
    return f"{codes} - {matiere.libelle}" if matiere else codes


def _user(transaction: Transaction) -> str:
    user = transaction.created_by
    return f"{user.full_name} <{user.email}>" if user else "Système"


def bordereau_data(transaction: Transaction) -> BordereauData:
    """What the bordereau shows, read from the transaction, its files and its history."""
    files = transaction.files.exclude(role=FileRole.AR).select_related("stored_file")
    return BordereauData(
        authority=transaction.authority.name,
        siren=transaction.authority.siren,
        user=_user(transaction),
        transaction_type=TransactionType(transaction.type).label,
        nature=Nature(transaction.nature).label if transaction.nature else "",
        number=transaction.number,
        subject=transaction.subject,
        decision_date=transaction.decision_date,
        document_papier=transaction.document_papier,
        classification=_classification_label(transaction),
        id_acte=transaction.id_acte,
        status=Status(transaction.status).label,
        sent_at=_local(sent_at(transaction)),
        received_at=_local(received_at(transaction)),
        files=tuple(
            BordereauFile(f.original_name, f.business_name, f.mime_type, f.size, f.stored_file.sha256)
            for f in files
        ),
        history=tuple(
            BordereauEvent(Status(h.status).label, _local(h.at), h.message) for h in transaction.history.all()
        ),
        generated_at=timezone.localtime(),
    )


def transaction_bordereau(transaction: Transaction) -> bytes:
    """The "bordereau d'acquittement" of a transaction, as a PDF."""
    return bordereau_pdf(bordereau_data(transaction))
