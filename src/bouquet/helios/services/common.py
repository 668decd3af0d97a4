"""What several HELIOS services share: rights (CS/TT), the authority's P_DEST, file sources."""

import os
from dataclasses import dataclass
from typing import IO

from django.conf import settings

from bouquet.core.audit import Actor
from bouquet.core.choices import Access, ModuleCode
from bouquet.core.models import ModuleRight
from bouquet.helios.errors import MissingDestinationError, RightsError
from bouquet.helios.models import HeliosParameters
from bouquet.pki.x509 import rgs_rank

__all__ = [
    "HeliosRights",
    "P_DEST_MISSING",
    "Source",
    "as_source",
    "helios_rights",
    "p_dest_of",
    "require_destination",
    "require_prepare",
    "require_transmit",
]

P_DEST_MISSING = (
    "Le site destinataire Hélios (P_DEST) de votre collectivité n'est pas renseigné : aucun fichier ne "
    "peut être transmis à la DGFiP sans lui. Demandez ce code à votre Trésorerie et transmettez-le à "
    "l'équipe de l'opérateur, qui l'enregistrera."
)

#: A PES given to a service: its bytes, a path on disk, or an uploaded file (on disk when large).
Source = bytes | str | os.PathLike | IO[bytes]


@dataclass(frozen=True)
class HeliosRights:
    """The actor's HELIOS rights in one authority (S²LOW CS and TT)."""

    can_read: bool
    can_prepare: bool
    can_transmit: bool


def helios_rights(actor: Actor, authority) -> HeliosRights:
    """CS/TT of the actor's active membership in ``authority`` (none for a system actor)."""
    user = actor.user
    if user is None or not getattr(user, "is_active", False):
        return HeliosRights(False, False, False)
    right = ModuleRight.objects.filter(
        membership__user=user,
        membership__authority=authority,
        membership__is_active=True,
        module__code=ModuleCode.HELIOS,
    ).first()
    if right is None or right.access == Access.NONE:
        return HeliosRights(False, False, False)
    write = right.access == Access.WRITE
    return HeliosRights(
        True, write and (right.can_prepare or right.can_transmit), write and right.can_transmit
    )


def require_prepare(actor: Actor, authority) -> HeliosRights:
    rights = helios_rights(actor, authority)
    if not rights.can_prepare:
        raise RightsError("Vous n'avez pas le droit de déposer des fichiers PES pour cette collectivité.")
    return rights


def require_transmit(actor: Actor, authority, rgs_level: str | None = None) -> None:
    """TT right, and when ``rgs_level`` is given, a certificate of at least the required RGS level."""
    if not helios_rights(actor, authority).can_transmit:
        raise RightsError("Vous n'avez pas le droit de télétransmettre pour cette collectivité.")
    if rgs_level is not None:
        required = settings.PKI_TRANSMISSION_REQUIRED_RGS
        if required and rgs_rank(rgs_level) < rgs_rank(required):
            raise RightsError(
                f"La télétransmission nécessite un certificat RGS (niveau {required} au moins)."
            )


def p_dest_of(authority) -> str:
    """The authority's "site destinataire", or ``""`` when not set."""
    found = HeliosParameters.objects.filter(authority=authority).values_list("p_dest", flat=True).first()
    return found or ""


def require_destination(authority) -> str:
    p_dest = p_dest_of(authority)
    if not p_dest:
        raise MissingDestinationError(P_DEST_MISSING)
    return p_dest


def as_source(data: Source) -> bytes | str | os.PathLike:
    """Something the PES library can read several times: bytes, or a path for a file already on disk.

    A Django ``TemporaryUploadedFile`` (large upload) is read from its temporary path, never loaded
    whole; a small in-memory upload or a plain stream is read into bytes.
    """
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    if isinstance(data, str | os.PathLike):
        return data
    temporary = getattr(data, "temporary_file_path", None)
    if callable(temporary):
        return temporary()
    data.seek(0)
    content = data.read()
    return content if isinstance(content, bytes) else content.encode()
