"""Receive one piece of a file: check it, hash it, seal it, store it, and record the evidence.

A piece must continue the file exactly where the server is (``offset`` = bytes received so far):
after a network cut, the browser asks where to resume and sends from there. A piece that arrives
twice, or in a race, finds the offset moved and is answered with :class:`OffsetMismatch`.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F

from bouquet.marches.bids import clock, storage
from bouquet.marches.bids.choices import DepositStatus, EvidenceKind
from bouquet.marches.bids.errors import DepositRefused, OffsetMismatch
from bouquet.marches.bids.models import Deposit, DepositFile, Piece
from bouquet.marches.bids.sealing.crypto import piece_info, seal_piece
from bouquet.marches.bids.sealing.sha256 import ResumableSha256
from bouquet.marches.bids.services.evidence import add_evidence
from bouquet.marches.bids.services.health import maybe_sample

__all__ = ["PieceReceipt", "receive_piece", "refuse_piece"]


@dataclass(frozen=True)
class PieceReceipt:
    """Where the file stands after the piece: bytes received, complete or not, and its SHA-256."""

    received: int
    complete: bool
    sha256: str


def _validate(file: DepositFile, offset: int, data: bytes, checksum: str) -> None:
    size = len(data)
    if offset != file.received:
        raise OffsetMismatch(file.received)
    if size == 0 or offset + size > file.size:
        raise DepositRefused("Ce morceau dépasse la taille annoncée du fichier.")
    if size > settings.MARCHES_BIDS_CHUNK_SIZE:
        raise DepositRefused("Ce morceau est plus grand que la taille permise.")
    if offset + size < file.size and size % 64:
        raise DepositRefused("Seul le dernier morceau d'un fichier peut avoir une taille quelconque.")
    if checksum and hashlib.sha256(data).hexdigest() != checksum.lower():
        raise DepositRefused("Le morceau reçu est abîmé (empreinte différente) : il va être renvoyé.")


def refuse_piece(
    deposit: Deposit, file: DepositFile | None, reason: str, *, kind=EvidenceKind.CHUNK_REFUSED, **details
):
    """Record a refused piece (or a server error) in the deposit's evidence."""
    with transaction.atomic():
        locked = Deposit.objects.select_for_update().get(pk=deposit.pk)
        add_evidence(
            locked,
            kind,
            at=clock.now(),
            details={"file": str(file.uuid) if file else None, "reason": reason[:500], **details},
        )


def receive_piece(
    *, deposit: Deposit, file: DepositFile, offset: int, data: bytes, checksum: str = ""
) -> PieceReceipt:
    """Accept the piece ``data`` at ``offset`` of ``file`` (the view checked who sends it).

    :raises OffsetMismatch: not where the server is; resume at ``received``.
    :raises DepositRefused: deposit closed, size or checksum wrong (recorded as evidence).
    """
    if deposit.status != DepositStatus.UPLOADING:
        raise DepositRefused("Ce pli est déjà validé : commencez un nouveau dépôt pour le remplacer.")
    try:
        _validate(file, offset, data, checksum)
    except DepositRefused as exc:
        refuse_piece(deposit, file, exc.message, offset=offset, size=len(data))
        raise
    size = len(data)
    last = offset + size == file.size
    index = file.pieces
    hasher = ResumableSha256(bytes(file.hash_state))
    hasher.update(data)
    state, digest = (b"", hasher.hexdigest()) if last else (hasher.save(), "")
    key = deposit.consultation.sealing_key
    sealed = seal_piece(bytes(key.public_key), data, piece_info(str(file.uuid), index, last))
    del data
    name = storage.write(storage.piece_name(deposit.consultation_id, deposit.uuid, file.uuid, index), sealed)
    now = clock.now()
    try:
        with transaction.atomic():
            locked = Deposit.objects.select_for_update().get(pk=deposit.pk)
            if locked.status != DepositStatus.UPLOADING:
                raise DepositRefused("Ce pli est déjà validé.")
            moved = DepositFile.objects.filter(pk=file.pk, received=offset, pieces=index).update(
                received=offset + size,
                pieces=F("pieces") + 1,
                hash_state=state,
                sha256=digest,
                completed_at=now if last else None,
            )
            if not moved:
                current = DepositFile.objects.get(pk=file.pk).received
                raise OffsetMismatch(current)
            Piece.objects.create(
                file=file,
                index=index,
                offset=offset,
                size=size,
                stored_size=len(sealed),
                stored_sha256=hashlib.sha256(sealed).hexdigest(),
                storage_name=name,
                received_at=now,
            )
            Deposit.objects.filter(pk=deposit.pk).update(last_byte_at=now)
            add_evidence(
                locked,
                EvidenceKind.CHUNK,
                at=now,
                details={"file": str(file.uuid), "index": index, "offset": offset, "size": size},
            )
            if last:
                add_evidence(
                    locked,
                    EvidenceKind.FILE_COMPLETE,
                    at=now,
                    details={"file": str(file.uuid), "name": file.name, "size": file.size, "sha256": digest},
                )
    except Exception:
        storage.delete(name)
        raise
    maybe_sample(now)
    return PieceReceipt(offset + size, last, digest)
