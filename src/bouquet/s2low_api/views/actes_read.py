"""A4, A7–A11: what clients read about their transactions (status, files, stamped copies, slip)."""

import importlib
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from bouquet.actes.choices import FileRole, Status, TransactionType
from bouquet.actes.models import Classification, Transaction
from bouquet.s2low_api import params
from bouquet.s2low_api.auth import ko, latin1, s2low_auth, text_response
from bouquet.s2low_api.files import envelope_tar, files_list
from bouquet.s2low_api.responses import file_response, php_json, redirect
from bouquet.s2low_api.scope import NO_AUTHORITY, caller_authority, files_of, transactions_of
from bouquet.s2low_api.views.actes_create import INVALID_ID

__all__ = [
    "classification_fetch",
    "create_pdf",
    "download_file",
    "get_files_list",
    "get_status",
    "get_tampon",
]

UNAVAILABLE = "Fonction indisponible"
NO_ACK = "Pas d'acquittement recu"


def _transaction(request: HttpRequest, name: str) -> Transaction | None:
    pk = params.as_int(params.query(request, name))
    return transactions_of(request.user).filter(pk=pk).first() if pk else None


def _pdf_function(name: str) -> Callable | None:
    """``bouquet.actes.pdf.<name>`` if that module provides it (imported when first needed)."""
    try:
        return getattr(importlib.import_module("bouquet.actes.pdf"), name)
    except (ImportError, AttributeError):
        return None


def _acknowledged(transaction: Transaction) -> bool:
    return transaction.history.filter(status=Status.ACQUITTEMENT_RECU).exists()


@s2low_auth
def get_status(request: HttpRequest) -> HttpResponse:
    """A7: ``OK\\n<status>\\n`` + the XML received for that status (the AR for 4), + the error for -1."""
    transaction = _transaction(request, "transaction")
    if transaction is None and params.query(request, "unique_id"):
        unique_id = params.query(request, "unique_id")
        transaction = transactions_of(request.user).acts().filter(id_acte=unique_id).first()
    if transaction is None:
        return ko(INVALID_ID)
    rows = transaction.history.filter(status=transaction.status).order_by("-at", "-id")
    flux = next((bytes(row.received_xml) for row in rows if row.received_xml), b"")
    body = latin1(f"OK\n{transaction.status}\n") + flux
    if transaction.status == Status.ERREUR and rows:
        body += latin1(rows[0].message)
    return text_response(body)


@s2low_auth
def get_files_list(request: HttpRequest) -> HttpResponse:
    """A9: JSON list, 0 = the @ctes message, 1 = the act, 2.. = annexes (all values strings)."""
    transaction = _transaction(request, "transaction")
    if transaction is None:
        return ko(INVALID_ID)
    if not _acknowledged(transaction):
        return ko(NO_ACK)
    return php_json(files_list(transaction))


@s2low_auth
def download_file(request: HttpRequest) -> HttpResponse:
    """A10: one file (``file=``, stamped with ``tampon=true``) or a transaction's tar.gz (``env=``)."""
    if params.query(request, "env"):
        transaction = _transaction(request, "env")
        if transaction is None:
            return ko(INVALID_ID)
        return file_response(envelope_tar(transaction), "application/x-gzip", f"{transaction.pk}.tar.gz")
    pk = params.as_int(params.query(request, "file"))
    stored = files_of(request.user).filter(pk=pk).first() if pk else None
    if stored is None:
        return ko("Fichier inconnu.")
    if params.query(request, "tampon") == "true" and stored.mime_type == "application/pdf":
        stamped_file = _pdf_function("stamped_file")
        if stamped_file is None:
            return ko(UNAVAILABLE)
        display = params.as_date(params.query(request, "date_affichage"))
        data = stamped_file(stored, published_at=display).pdf
    else:
        data = stored.read()
    return file_response(data, stored.mime_type or "application/octet-stream", stored.original_name)


@s2low_auth
def get_tampon(request: HttpRequest) -> HttpResponse:
    """A11 (deprecated): redirect to the stamped download of the transaction's first PDF."""
    transaction = _transaction(request, "transaction")
    if transaction is None:
        return ko(INVALID_ID)
    if not _acknowledged(transaction):
        return ko(NO_ACK)
    first = (
        transaction.files.filter(role__in=[FileRole.MAIN, FileRole.ANNEX], mime_type="application/pdf")
        .order_by("position", "id")
        .first()
    )
    if first is None:
        return ko("Aucun fichier PDF dans cette transaction.")
    return redirect(f"actes_download_file.php?file={first.pk}&tampon=true")


@s2low_auth
def create_pdf(request: HttpRequest) -> HttpResponse:
    """A8: the acknowledgement slip (bordereau) of an acknowledged act, as a PDF."""
    transaction = _transaction(request, "trans_id")
    if transaction is None or transaction.type != TransactionType.ACTE:
        return ko(INVALID_ID)
    if not _acknowledged(transaction):
        return ko(NO_ACK)
    bordereau = _pdf_function("transaction_bordereau")
    if bordereau is None:
        return ko(UNAVAILABLE)
    return file_response(bordereau(transaction), "application/pdf", "acquittement.pdf")


@s2low_auth
def classification_fetch(request: HttpRequest) -> HttpResponse:
    """A4: the stored RetourClassification, untouched, followed by CRLF as S²LOW sends it.

    Pastell compares this answer byte for byte with its copy before every act; keeping S²LOW's
    trailing CRLF means a copy fetched from S²LOW still matches after the migration.
    """
    authority = caller_authority(request.user)
    if authority is None:
        return ko(NO_AUTHORITY)
    current = Classification.current_for(authority)
    if current is None:
        return ko("Aucune classification n'a encore été reçue pour cette collectivité.")
    data = bytes(current.raw) + b"\r\n"
    return file_response(data, "text/xml;charset=iso-8859-1", "classification.xml")
