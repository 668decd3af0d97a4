"""A5, A6, A12, A16: what a client creates in ACTES (acts, answers, cancellations, requests)."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse

from bouquet.actes.choices import ResponseKind
from bouquet.actes.errors import ActesServiceError
from bouquet.actes.services.answer_letter import answer_letter
from bouquet.actes.services.cancel_act import cancel_act
from bouquet.actes.services.common import Document, actes_rights
from bouquet.actes.services.create_act import create_act
from bouquet.actes.services.request_classification import request_classification
from bouquet.core.audit import Actor
from bouquet.pki.x509 import rgs_rank
from bouquet.s2low_api import params
from bouquet.s2low_api.auth import ko, s2low_auth
from bouquet.s2low_api.responses import ok
from bouquet.s2low_api.scope import NO_AUTHORITY, caller_authority, transactions_of

__all__ = ["cancel", "classification_request", "create", "reponse_create"]

INVALID_ID = "Numéro de transaction invalide."
NEEDS_RGS = "La télétransmission nécessite un certificat RGS"


def request_rgs(request: HttpRequest) -> str:
    """RGS level of the certificate the caller presented ("" when none or unqualified)."""
    cert = getattr(request, "client_certificate", None)
    return getattr(getattr(cert, "validation", None), "rgs_level", "") or ""


def _document(upload: UploadedFile, typology: str | None) -> Document:
    return Document(upload.name or "", upload.read(), typology or None)


def _act_documents(request: HttpRequest) -> tuple[Document, list[Document]] | str:
    main = params.uploads(request, "acte_pdf_file")
    if not main:
        return "Le fichier de l'acte (acte_pdf_file) est absent."
    type_acte = params.field(request, "type_acte")
    if not type_acte:
        return "La typologie de l'acte (type_acte) est absente."
    attachments = params.uploads(request, "acte_attachments")
    types = params.fields(request, "type_pj")
    if len(types) < len(attachments):
        return "Il manque la typologie (type_pj) d'une ou plusieurs annexes."
    return _document(main[0], type_acte), [_document(f, t) for f, t in zip(attachments, types, strict=False)]


@s2low_auth
def create(request: HttpRequest) -> HttpResponse:
    """A6: ``OK\\n<id>\\n\\n``; status 1, or 17 with ``en_attente=1`` or for a CS-only account."""
    authority = caller_authority(request.user)
    if authority is None:
        return ko(NO_AUTHORITY)
    documents = _act_documents(request)
    if isinstance(documents, str):
        return ko(documents)
    nature = params.as_int(params.field(request, "nature_code"))
    decision_date = params.as_date(params.field(request, "decision_date"))
    if nature is None or decision_date is None:
        return ko("La nature (nature_code) ou la date de décision (decision_date) est invalide.")
    wait = params.field(request, "en_attente") == "1"
    actor = Actor.of_user(request.user)
    required = settings.PKI_TRANSMISSION_REQUIRED_RGS
    posts_now = not wait and actes_rights(actor, authority).can_transmit
    if posts_now and required and rgs_rank(request_rgs(request)) < rgs_rank(required):
        return ko(NEEDS_RGS)
    levels = [params.field(request, f"classif{n}") for n in range(1, 6)]
    try:
        act = create_act(
            authority=authority,
            actor=actor,
            nature=nature,
            number=params.field(request, "number"),
            subject=params.field(request, "subject"),
            decision_date=decision_date,
            classification=".".join(level for level in levels if level),
            document=documents[0],
            annexes=documents[1],
            document_papier=params.field(request, "document_papier") == "1",
            wait=wait,
        )
    except ActesServiceError as exc:
        return ko(exc.message)
    return ok(act.pk, "")


@s2low_auth
def cancel(request: HttpRequest) -> HttpResponse:
    """A12: cancel an acknowledged act (TT right); ``OK\\n<cancellation id>\\n``."""
    act_id = params.as_int(params.field(request, "id"))
    act = transactions_of(request.user).filter(pk=act_id).first() if act_id else None
    if act is None:
        return ko(INVALID_ID)
    try:
        cancellation = cancel_act(act=act, actor=Actor.of_user(request.user))
    except ActesServiceError as exc:
        return ko(exc.message)
    return ok(cancellation.pk)


@s2low_auth
def classification_request(request: HttpRequest) -> HttpResponse:
    """A5: a 7-1 request for the caller's authority (TT right); ``OK\\n<id>\\n``."""
    authority = caller_authority(request.user)
    if authority is None:
        return ko(NO_AUTHORITY)
    try:
        created = request_classification(authority=authority, actor=Actor.of_user(request.user))
    except ActesServiceError as exc:
        return ko(exc.message)
    return ok(created.pk)


@s2low_auth
def reponse_create(request: HttpRequest) -> HttpResponse:
    """A16: answer a préfecture letter; ``OK\\n<id>\\n`` (Pastell puts ``api`` in the body)."""
    letter_id = params.as_int(params.field(request, "id"))
    letter = transactions_of(request.user).filter(pk=letter_id).first() if letter_id else None
    if letter is None:
        return ko(INVALID_ID)
    kind = params.as_int(params.field(request, "type_envoie"))
    if kind not in ResponseKind.values:
        return ko("Le type d'envoi (type_envoie) doit valoir 3 (refus) ou 4 (envoi).")
    documents = _act_documents(request)
    if isinstance(documents, str):
        return ko(documents)
    try:
        answer = answer_letter(
            letter=letter,
            actor=Actor.of_user(request.user),
            kind=kind,
            document=documents[0],
            annexes=documents[1],
        )
    except ActesServiceError as exc:
        return ko(exc.message)
    return ok(answer.pk)
