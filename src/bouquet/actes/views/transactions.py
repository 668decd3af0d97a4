"""The agent's transactions: the list, one transaction's page, its downloads, cancelling and posting."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from bouquet.actes.choices import FileRole, ResponseKind, Status, TransactionType
from bouquet.actes.errors import ActesServiceError, RightsError
from bouquet.actes.forms import AnswerForm, TransactionFilterForm
from bouquet.actes.models import Transaction, TransactionFile
from bouquet.actes.services.answer_letter import ANSWERABLE
from bouquet.actes.services.cancel_act import PENDING, cancel_act
from bouquet.actes.services.common import Rights, actes_rights
from bouquet.actes.services.mark_document_read import mark_document_read
from bouquet.actes.services.post_act import post_act
from bouquet.actes.views.common import (
    RECEIVED_TYPES,
    actes_view,
    actor_of,
    back_to,
    filter_transactions,
    get_transaction,
    keyset_page,
    optional_url,
)
from bouquet.core.audit import Actor
from bouquet.core.choices import Access, ModuleCode
from bouquet.pki.x509 import rgs_rank
from bouquet.web.modules import DESCRIPTIONS, rights_sentence

CERTIFICATE_SESSION_KEY = "client_certificate"  # set by bouquet.pki.client_views at certificate login


def _may_prepare(right) -> bool:
    """Whether to offer "Nouvel acte" (the service decides for real, as ``common.actes_rights``)."""
    return right.access == Access.WRITE and (right.can_prepare or right.can_transmit)


@actes_view
@require_GET
def transaction_list(request: HttpRequest) -> HttpResponse:
    form = TransactionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    queryset = filter_transactions(Transaction.objects.for_tenant(request.authority), data)
    page = keyset_page(request, queryset)
    context = {
        "form": form,
        "page": page,
        "filtered": any(value not in (None, "") for value in data.values()),
        "can_prepare": _may_prepare(request.actes_right),
        "description": DESCRIPTIONS[ModuleCode.ACTES],
        "rights": rights_sentence(request.actes_right),
    }
    return render(request, "actes/list.html", context)


def _certificate(request: HttpRequest) -> dict | None:
    found = request.session.get(CERTIFICATE_SESSION_KEY)
    return found if isinstance(found, dict) else None


def _teletransmission(request: HttpRequest, transaction: Transaction, can_transmit: bool) -> dict | None:
    """What the page says about posting an act waiting for a TT agent (status 17)."""
    if transaction.status != Status.EN_ATTENTE_POSTE or not can_transmit:
        return None
    required = settings.PKI_TRANSMISSION_REQUIRED_RGS
    certificate = _certificate(request)
    level = certificate.get("rgs_level", "") if certificate else ""
    return {
        "allowed": certificate is not None and (not required or rgs_rank(level) >= rgs_rank(required)),
        "certificate": certificate,
        "level": level or "aucun niveau RGS",
        "required": required,
        "login_url": optional_url("s2low_api:certificate_login"),
    }


def _answer_forms(transaction: Transaction, can_prepare: bool) -> list[dict]:
    """The answers a préfecture letter accepts now: (title, kind, several documents?)."""
    if not can_prepare or transaction.type not in ANSWERABLE or transaction.response_kind is not None:
        return []
    if transaction.status not in ANSWERABLE[transaction.type]:
        return []
    if transaction.children.filter(response_kind__isnull=False).exclude(status=Status.ERREUR).exists():
        return []
    kinds = {
        TransactionType.COURRIER_SIMPLE: [(ResponseKind.ENVOI, "Répondre au courrier", False)],
        TransactionType.PIECES_COMPLEMENTAIRES: [
            (ResponseKind.ENVOI, "Envoyer les pièces complémentaires", True),
            (ResponseKind.REFUS, "Refuser d'envoyer les pièces", False),
        ],
        TransactionType.LETTRE_OBSERVATIONS: [
            (ResponseKind.ENVOI, "Répondre à la lettre d'observations", False),
            (ResponseKind.REFUS, "Rejeter la lettre d'observations", False),
        ],
    }[transaction.type]
    return [
        {"title": title, "kind": int(kind), "multiple": multiple, "form": AnswerForm(initial={"kind": kind})}
        for kind, title, multiple in kinds
    ]


def detail_context(request: HttpRequest, transaction: Transaction, *, operator: bool = False) -> dict:
    """Everything the transaction page shows; the operator's read-only view offers no action."""
    rights = Rights(False, False) if operator else actes_rights(actor_of(request), transaction.authority)
    files = list(transaction.files.select_related("stored_file").order_by("position", "id"))
    children = list(transaction.children.order_by("created_at", "id"))
    is_act = transaction.type == TransactionType.ACTE
    acknowledged = transaction.history.filter(status=Status.ACQUITTEMENT_RECU).exists()
    cancelling = any(c.type == TransactionType.ANNULATION and c.status in PENDING for c in children)
    return {
        "transaction": transaction,
        "history": transaction.history.order_by("at", "id"),
        "documents": [f for f in files if f.role in (FileRole.MAIN, FileRole.ANNEX)],
        "letter_files": [f for f in files if f.role in (FileRole.LETTER, FileRole.RECEIVED)],
        "messages_files": [f for f in files if f.role in (FileRole.AR, FileRole.MESSAGE)],
        "children": children,
        "is_act": is_act,
        "is_letter": transaction.type in RECEIVED_TYPES and transaction.response_kind is None,
        "acknowledged": acknowledged,
        # The ministry's ARActe as received (acts acknowledged before it was kept have none).
        "has_ar_xml": acknowledged
        and transaction.history.filter(status=Status.ACQUITTEMENT_RECU, received_xml__isnull=False).exists(),
        "can_stamp": is_act and acknowledged and any(f.role == FileRole.MAIN for f in files),
        "can_cancel": (
            rights.can_transmit
            and is_act
            and transaction.status == Status.ACQUITTEMENT_RECU
            and not cancelling
        ),
        "cancelling": cancelling,
        "teletransmission": _teletransmission(request, transaction, rights.can_transmit),
        "answers": _answer_forms(transaction, rights.can_prepare),
        "operator": operator,
    }


@login_required
@require_GET
def transaction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transaction = get_transaction(request, pk)
    if transaction.type in RECEIVED_TYPES and transaction.response_kind is None and not transaction.is_read:
        mark_document_read(transaction=transaction, actor=actor_of(request))
    return render(request, "actes/detail.html", detail_context(request, transaction))


def _attachment(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _file_name(transaction: Transaction, suffix: str) -> str:
    return f"{slugify(transaction.number or str(transaction.pk)) or transaction.pk}-{suffix}"


@login_required
@require_GET
def download_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    transaction = get_transaction(request, pk)
    document = TransactionFile.objects.filter(transaction=transaction, pk=file_id).first()
    if document is None:
        raise Http404
    name = (document.business_name or document.original_name).replace('"', "")
    return _attachment(document.read(), name, document.mime_type or "application/octet-stream")


@login_required
@require_GET
def download_ar(request: HttpRequest, pk: int) -> HttpResponse:
    """The ministry's acknowledgement XML, byte for byte as received."""
    transaction = get_transaction(request, pk)
    row = (
        transaction.history.filter(status=Status.ACQUITTEMENT_RECU, received_xml__isnull=False)
        .order_by("-at", "-id")
        .first()
    )
    if row is None:
        raise Http404("Aucun accusé de réception pour cette transaction.")
    raw = bytes(row.received_xml)
    sha = hashlib.sha256(raw).hexdigest()
    stored = transaction.files.filter(role=FileRole.AR, stored_file__sha256=sha).first()
    name = stored.business_name if stored else _file_name(transaction, "accuse-reception.xml")
    return _attachment(raw, name, "application/xml")


@login_required
@require_GET
def download_stamped(request: HttpRequest, pk: int) -> HttpResponse:
    """The act's PDF with the acknowledgement stamp (as S²LOW's ``actes_download_file`` tampon)."""
    transaction = get_transaction(request, pk)
    if transaction.type != TransactionType.ACTE:
        raise Http404
    try:
        from bouquet.actes.pdf.documents import stamped_act
    except ImportError:
        raise Http404("Le tampon des actes n'est pas encore disponible.") from None
    try:
        result = stamped_act(transaction)
    except ActesServiceError as exc:
        raise Http404(exc.message) from None
    return _attachment(result.pdf, _file_name(transaction, "tamponne.pdf"), "application/pdf")


@login_required
@require_GET
def download_bordereau(request: HttpRequest, pk: int) -> HttpResponse:
    """The acknowledgement slip (bordereau) of the transaction, in PDF."""
    transaction = get_transaction(request, pk)
    try:
        from bouquet.actes.pdf.documents import transaction_bordereau
    except ImportError:
        raise Http404("Le bordereau n'est pas encore disponible.") from None
    try:
        pdf = transaction_bordereau(transaction)
    except ActesServiceError as exc:
        raise Http404(exc.message) from None
    return _attachment(pdf, _file_name(transaction, "bordereau.pdf"), "application/pdf")


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    act = get_transaction(request, pk, write=True)
    try:
        cancellation = cancel_act(act=act, actor=actor_of(request))
    except RightsError as exc:
        raise PermissionDenied(exc.message) from None
    except ActesServiceError as exc:
        messages.error(request, exc.message)
        return back_to(act)
    messages.success(
        request,
        "L'annulation est déposée ; l'acte sera annoncé « Annulé » dès l'accusé de réception du ministère.",
    )
    return back_to(cancellation.related or act)


@login_required
@require_POST
def teletransmit(request: HttpRequest, pk: int) -> HttpResponse:
    """Post an act prepared by a CS agent (17 → 1): TT right and an RGS** certificate login."""
    transaction = get_transaction(request, pk, write=True)
    if not actes_rights(actor_of(request), transaction.authority).can_transmit:
        raise PermissionDenied("Vous n'avez pas le droit de télétransmettre pour cette collectivité.")
    certificate = _certificate(request)
    if certificate is None:
        messages.error(
            request,
            "La télétransmission demande de vous connecter avec votre certificat RGS** : "
            "déconnectez-vous puis choisissez « Se connecter avec un certificat ».",
        )
        return back_to(transaction)
    try:
        # The journal names the certificate the order was given with, not only the account.
        actor = Actor.of_certificate(str(certificate.get("fingerprint", "")), request.user)
        post_act(transaction=transaction, actor=actor, rgs_level=certificate.get("rgs_level", ""))
    except ActesServiceError as exc:
        messages.error(request, exc.message)
        return back_to(transaction)
    messages.success(request, "L'acte est posté : il part vers la préfecture dans quelques minutes.")
    return back_to(transaction)
