"""A13–A15: the préfecture's letters and referrals as Pastell collects them."""

from django.http import HttpRequest, HttpResponse

from bouquet.actes.choices import TransactionType
from bouquet.actes.errors import ActesServiceError
from bouquet.actes.models import Transaction
from bouquet.actes.services.mark_document_read import mark_document_read
from bouquet.core.audit import Actor
from bouquet.s2low_api import params
from bouquet.s2low_api.auth import ko, s2low_auth, text_response
from bouquet.s2low_api.responses import php_json, redirect
from bouquet.s2low_api.scope import NO_AUTHORITY, caller_authority, transactions_of
from bouquet.s2low_api.views.actes_create import INVALID_ID

__all__ = ["get_document", "list_document_prefecture", "mark_as_read"]


def _str(value: object) -> str:
    return "" if value is None else str(value)


@s2low_auth
def list_document_prefecture(request: HttpRequest) -> HttpResponse:
    """A13: unread documents of types 2–5 of the caller's authority, oldest first (``[]`` if none)."""
    authority = caller_authority(request.user)
    if authority is None:
        return ko(NO_AUTHORITY)
    documents = Transaction.objects.for_tenant(authority).unread_documents().order_by("id")
    return php_json(
        [
            {
                "id": _str(d.pk),
                "type": _str(d.type),
                "related_transaction_id": _str(d.related_id),
                "number": d.number,
                "unique_id": d.id_acte,
                "last_status_id": _str(d.status),
            }
            for d in documents
        ]
    )


@s2low_auth
def mark_as_read(request: HttpRequest) -> HttpResponse:
    """A15: ``{"result":"ok"}`` once the document is marked read (idempotent)."""
    pk = params.as_int(params.query(request, "transaction_id"))
    document = transactions_of(request.user).filter(pk=pk).first() if pk else None
    if document is None:
        return ko(INVALID_ID)
    try:
        mark_document_read(transaction=document, actor=Actor.of_user(request.user))
    except ActesServiceError as exc:
        return ko(exc.message)
    return php_json({"result": "ok"})


@s2low_auth
def get_document(request: HttpRequest) -> HttpResponse:
    """A14: for an act, ``<type>-<status>-<id>`` lines of its related messages; for a received
    document, a redirect to its tar.gz (``actes_download_file.php?env=<id>``, which Pastell follows)."""
    pk = params.as_int(params.query(request, "id"))
    found = transactions_of(request.user)
    transaction = found.filter(pk=pk).first() if pk else None
    if transaction is None and params.query(request, "unique_id"):
        transaction = found.acts().filter(id_acte=params.query(request, "unique_id")).first()
    if transaction is None:
        return ko(INVALID_ID)
    if transaction.type != TransactionType.ACTE:
        return redirect(f"actes_download_file.php?env={transaction.pk}")
    children = transaction.children.order_by("id")
    return text_response("".join(f"{c.type}-{c.status}-{c.pk}\n" for c in children))
