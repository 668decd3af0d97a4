"""H2–H6: status of a HELIOS transaction, its acquittement, and the PES_Retour of the caller's authority."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from bouquet.core.audit import Actor
from bouquet.helios.choices import Status
from bouquet.helios.errors import HeliosServiceError
from bouquet.helios.models import Transaction
from bouquet.helios.services import mark_retour_read
from bouquet.s2low_api import params
from bouquet.s2low_api.auth import ko, s2low_auth
from bouquet.s2low_api.responses import file_response
from bouquet.s2low_api.scope import helios_caller_authority, helios_retours_of, helios_transactions_of
from bouquet.s2low_api.views.helios_xml import xml_document, xml_response

__all__ = ["change_status", "download_acquit", "get_list", "get_retour", "transac_get_status"]

INVALID_ID = "Numéro de transaction invalide"
NO_ID = "Pas de numéro de transaction."
INVALID_RETOUR = "retour id n'est pas correcte"
#: Statuses for which S²LOW serves the acquittement (and reports 3 while the file is missing).
WITH_ACQUIT = (Status.ACQUITTE, Status.REFUSE, Status.INFORMATION_DISPONIBLE)


def _status_xml(transaction_id: object, ok: bool, message: str, status: object = None) -> HttpResponse:
    children = [("id", transaction_id), ("resultat", "OK" if ok else "KO"), ("message", message)]
    if ok:
        children.append(("status", status))
    return xml_response(xml_document("transaction", children))


def _status_refusal(request: HttpRequest, message: str) -> HttpResponse:
    return _status_xml(params.query(request, "transaction"), False, message)


def reported_status(transaction: Transaction) -> int:
    """S²LOW ``ApiHeliosStatusResolver``: 4, 6 or 8 without an acquittement file are reported as 3."""
    if transaction.status in WITH_ACQUIT and not transaction.acquits.exists():
        return Status.TRANSMIS
    return transaction.status


@s2low_auth(refusal=_status_refusal)
def transac_get_status(request: HttpRequest) -> HttpResponse:
    """H2: ``<transaction><id/><resultat/><message/><status/></transaction>``, the latest message."""
    raw = params.query(request, "transaction")
    if not raw:
        return _status_xml("", False, NO_ID)
    pk = params.as_int(raw)
    transaction = helios_transactions_of(request.user).filter(pk=pk).first() if pk else None
    if transaction is None:
        return _status_xml(raw, False, INVALID_ID)
    last = transaction.history.order_by("-at", "-id").first()
    return _status_xml(transaction.pk, True, last.message if last else "", reported_status(transaction))


@s2low_auth
def download_acquit(request: HttpRequest) -> HttpResponse:
    """H3: the acquittement file, byte for byte (S²LOW redirects on errors; a ``KO`` text is clearer)."""
    pk = params.as_int(params.query(request, "id"))
    transaction = helios_transactions_of(request.user).filter(pk=pk).first() if pk else None
    if transaction is None:
        return ko(INVALID_ID)
    acquit = transaction.current_acquit
    if acquit is None:
        return ko("Aucun acquittement n'a encore été reçu pour cette transaction.")
    return file_response(acquit.read(), "text/xml", acquit.filename)


def _list_refusal(request: HttpRequest, message: str) -> HttpResponse:
    return xml_response(xml_document("liste", [("idColl", ""), ("resultat", "KO"), ("message", message)]))


@s2low_auth(refusal=_list_refusal)
def get_list(request: HttpRequest) -> HttpResponse:
    """H4: the unread PES_Retour of the caller's authority (``idColl`` is its internal id, as S²LOW)."""
    authority = helios_caller_authority(request.user)
    if authority is None:
        return _list_refusal(request, "Ce compte n'a accès au module Hélios d'aucune collectivité.")
    retours = (
        helios_retours_of(request.user).filter(authority=authority).unread().order_by("received_at", "id")
    )
    children: list[tuple[str, object]] = [
        ("idColl", authority.pk),
        ("resultat", ""),
        ("message", "liste réussi"),
        ("dateDemande", timezone.localtime().strftime("%Y-%m-%d %I:%M:%S")),
    ]
    for retour in retours:
        when = timezone.localtime(retour.received_at).strftime("%Y-%m-%d %H:%M:%S")
        children.append(("pes_retour", [("id", retour.pk), ("nom", retour.filename), ("date", when)]))
    return xml_response(xml_document("liste", children))


def _retour_refusal(request: HttpRequest, message: str) -> HttpResponse:
    children = [("id", params.query(request, "id")), ("resultat", "KO"), ("message", message)]
    return xml_response(xml_document("get_retour", children))


@s2low_auth(refusal=_retour_refusal)
def get_retour(request: HttpRequest) -> HttpResponse:
    """H5: one PES_Retour, byte for byte — only one of the caller's (S²LOW does not check that)."""
    pk = params.as_int(params.query(request, "id"))
    retour = helios_retours_of(request.user).filter(pk=pk).first() if pk else None
    if retour is None:
        return _retour_refusal(request, INVALID_RETOUR)
    return file_response(retour.read(), "text/xml", retour.filename)


def _change_xml(retour_id: object, ok: bool, message: str) -> HttpResponse:
    children = [("idRetour", retour_id), ("resultat", "OK" if ok else "KO"), ("message", message)]
    return xml_response(xml_document("transaction", children))


def _change_refusal(request: HttpRequest, message: str) -> HttpResponse:
    return _change_xml(params.query(request, "id"), False, message)


@s2low_auth(refusal=_change_refusal)
def change_status(request: HttpRequest) -> HttpResponse:
    """H6: mark one of the caller's PES_Retour read."""
    raw = params.query(request, "id")
    pk = params.as_int(raw)
    retour = helios_retours_of(request.user).filter(pk=pk).first() if pk else None
    if retour is None:
        return _change_xml(raw, False, INVALID_RETOUR)
    try:
        mark_retour_read(retour=retour, actor=Actor.of_user(request.user))
    except HeliosServiceError as exc:
        return _change_xml(retour.pk, False, exc.message)
    return _change_xml(retour.pk, True, "reussi de changer status")
