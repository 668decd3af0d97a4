"""Download of an opened bid file by an authorised agent: every access unseals (journaled) and is
written to the consultation's history."""

from collections.abc import Iterator

from django.db import transaction

from bouquet.core.audit import Actor, record
from bouquet.marches.bids.errors import BidsError
from bouquet.marches.bids.models import DepositFile
from bouquet.marches.bids.services.keys import unseal_private_key
from bouquet.marches.bids.services.rights import require_buyer
from bouquet.marches.bids.services.sealed_files import decrypt_file
from bouquet.marches.services.history import add_event

__all__ = ["open_file_stream"]


def open_file_stream(*, file: DepositFile, actor: Actor) -> Iterator[bytes]:
    """The decrypted content of ``file`` as a stream of pieces.

    :raises RightsError: not an agent with the MARCHES write right.
    :raises BidsError: the envelope is not opened (late, superseded, or not opened yet).
    :raises TooEarly: the vault refuses (deadline not passed).
    """
    envelope = file.envelope
    deposit = envelope.deposit
    consultation = deposit.consultation
    require_buyer(actor, consultation.authority, write=True)
    if deposit.is_late:
        raise BidsError("Ce pli est arrivé hors délai : il est conservé mais n'est pas ouvert.")
    if not envelope.is_open:
        raise BidsError("Cette enveloppe n'est pas ouverte : ouvrez d'abord les plis.")
    private = unseal_private_key(
        consultation.sealing_key, actor=actor, purpose=f"téléchargement du fichier {file.pk}"
    )
    with transaction.atomic():
        add_event(
            consultation,
            "bids.file_downloaded",
            f"Téléchargement de « {file.name} » (pli n° {deposit.number}, {envelope.label}).",
            actor,
            file=file.pk,
            deposit=deposit.pk,
        )
        record(
            actor=actor,
            action="marches_bids.file.download",
            authority=consultation.authority,
            obj=file,
            details={"deposit": deposit.pk, "name": file.name, "sha256": file.sha256},
        )
    return decrypt_file(file, private)
