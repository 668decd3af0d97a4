"""Operator staff give an unassigned PES_Retour to a member (and its SIRET, for the next ones)."""

from django.db import transaction as db
from django.utils import timezone

from bouquet.core.audit import Actor, record
from bouquet.core.models import Authority, Siret
from bouquet.helios.choices import IncomingKind, IncomingState
from bouquet.helios.errors import HeliosServiceError, RightsError
from bouquet.helios.models import IncomingFile, Retour
from bouquet.helios.pes import PESError, PESKind, read_pes
from bouquet.helios.services.apply_incoming_file import create_retour
from bouquet.helios.transport import MAX_FETCH_SIZE

__all__ = ["assign_retour"]


def assign_retour(*, incoming: IncomingFile, authority, actor: Actor, remember_siret: bool = True) -> Retour:
    """Create the retour of ``authority`` from an unassigned received file.

    :param remember_siret: also record the file's SIRET for ``authority``, so that the next retours
        of that SIRET reach it directly (when the SIRET is not already someone's).
    :raises RightsError: the actor is not staff of the operator serving ``authority``.
    :raises HeliosServiceError: the file is not an unassigned PES_Retour.
    """
    if actor.user is None or not Authority.objects.served_by(actor.user).filter(pk=authority.pk).exists():
        raise RightsError(
            "Seule l'équipe de l'opérateur de cette collectivité peut lui affecter un PES Retour."
        )
    if incoming.kind != IncomingKind.RETOUR or incoming.state != IncomingState.UNASSIGNED:
        raise HeliosServiceError("Seul un PES Retour non affecté peut être affecté à une collectivité.")
    data = incoming.read()
    try:
        doc = read_pes(data, max_size=MAX_FETCH_SIZE)
    except PESError as exc:
        raise HeliosServiceError(exc.message) from None
    if doc.kind is not PESKind.RETOUR:
        raise HeliosServiceError("Ce fichier n'est pas un PES Retour.")
    now = timezone.now()
    with db.atomic():
        claimed = IncomingFile.objects.filter(pk=incoming.pk, state=IncomingState.UNASSIGNED).update(
            state=IncomingState.APPLIED, authority=authority, reason=""
        )
        if not claimed:
            raise HeliosServiceError("Ce PES Retour vient d'être affecté par quelqu'un d'autre.")
        incoming.refresh_from_db()
        retour = create_retour(incoming, authority, doc, data, now)
        siret = incoming.siret
        if remember_siret and siret and not Siret.objects.filter(siret=siret).exists():
            Siret.objects.create(
                authority=authority, siret=siret, label="Affecté par l'opérateur (PES Retour)"
            )
        record(
            actor=actor,
            action="helios.retour_assigned",
            authority=authority,
            obj=retour,
            details={"file": incoming.name, "siret": siret, "incoming": incoming.pk},
        )
    return retour
