"""Mark a PES_Retour read (S²LOW ``helios_change_status.php``: status 0 → 1)."""

from django.db import transaction as db
from django.utils import timezone

from bouquet.core.audit import Actor, record
from bouquet.helios.errors import RightsError
from bouquet.helios.models import Retour
from bouquet.helios.services.common import helios_rights

__all__ = ["mark_retour_read"]


def mark_retour_read(*, retour: Retour, actor: Actor, read: bool = True) -> Retour:
    """Set (or, with ``read=False``, clear) the read mark of ``retour``; idempotent.

    :raises RightsError: the actor does not read HELIOS in the retour's authority.
    """
    if not helios_rights(actor, retour.authority).can_read:
        raise RightsError("Ce PES Retour n'appartient pas à l'une de vos collectivités.")
    now = timezone.now()
    with db.atomic():
        values = (
            {"is_read": True, "read_at": now, "read_by": actor.user}
            if read
            else {"is_read": False, "read_at": None, "read_by": None}
        )
        if Retour.objects.filter(pk=retour.pk, is_read=not read).update(**values):
            record(
                actor=actor,
                action="helios.retour_read" if read else "helios.retour_unread",
                authority=retour.authority,
                obj=retour,
                details={"filename": retour.filename},
            )
    retour.refresh_from_db()
    return retour
