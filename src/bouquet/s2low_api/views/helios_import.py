"""H1: ``helios_importer_fichier.php``, a PES file posted by a client (field ``enveloppe``)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from bouquet.core.audit import Actor
from bouquet.helios.errors import HeliosRefusal, HeliosServiceError, RightsError
from bouquet.helios.services import helios_rights, upload_pes
from bouquet.pki.x509 import rgs_rank
from bouquet.s2low_api import params
from bouquet.s2low_api.auth import ko, s2low_auth
from bouquet.s2low_api.scope import NO_HELIOS_AUTHORITY, helios_caller_authority
from bouquet.s2low_api.views.actes_create import NEEDS_RGS, request_rgs
from bouquet.s2low_api.views.helios_xml import xml_document, xml_response

__all__ = ["importer_fichier"]

SUCCESS = "Téléchargement du fichier réussi."


def _answer(transaction_id: object, ok: bool, message: str) -> HttpResponse:
    """``<import><id/><resultat/><message/></import>`` in UTF-8, served as ``import.xml`` (S²LOW)."""
    data = xml_document(
        "import",
        [("id", transaction_id), ("resultat", "OK" if ok else "KO"), ("message", message)],
        encoding="UTF-8",
    )
    return xml_response(data, charset="UTF-8", filename="import.xml")


def _truthy(value: str) -> bool:
    return value.strip().lower() not in ("", "0", "false", "non", "off")


@s2low_auth
def importer_fichier(request: HttpRequest) -> HttpResponse:
    """H1: the PES is checked entirely before it is stored; ``OK`` with the transaction id, or ``KO``.

    Status 1, or 13 with ``must_signed``, or 14 for an account without the TT right. Errors before the
    file is looked at (authority, rights, certificate level) are plain ``KO\\n<reason>``, as S²LOW's.
    """
    authority = helios_caller_authority(request.user)
    if authority is None:
        return ko(NO_HELIOS_AUTHORITY)
    actor = Actor.of_user(request.user)
    rights = helios_rights(actor, authority)
    if not rights.can_prepare:
        return ko("Vous n'avez pas le droit de déposer des fichiers PES pour cette collectivité.")
    must_sign = _truthy(params.field(request, "must_signed"))
    required = settings.PKI_TRANSMISSION_REQUIRED_RGS
    posts_now = rights.can_transmit and not must_sign
    if posts_now and required and rgs_rank(request_rgs(request)) < rgs_rank(required):
        return ko(NEEDS_RGS)
    files = params.uploads(request, "enveloppe")
    if not files:
        return _answer(
            "", False, "Aucun fichier reçu : le fichier PES doit être envoyé dans le champ « enveloppe »."
        )
    upload = files[0]
    try:
        transaction = upload_pes(
            authority=authority, actor=actor, filename=upload.name or "", data=upload, must_sign=must_sign
        )
    except RightsError as exc:
        return ko(exc.message)
    except HeliosRefusal as exc:
        return _answer("", False, exc.message)
    except HeliosServiceError as exc:
        return _answer("", False, exc.message)
    return _answer(transaction.pk, True, SUCCESS)
