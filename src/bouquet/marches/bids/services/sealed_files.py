"""Reading a sealed file back: every piece decrypted in order, its place and integrity checked."""

import hashlib
from collections.abc import Iterator

from bouquet.marches.bids import storage
from bouquet.marches.bids.models import DepositFile
from bouquet.marches.bids.sealing.crypto import open_piece, piece_info
from bouquet.marches.bids.sealing.errors import IntegrityError

__all__ = ["decrypt_file", "read_whole"]


def decrypt_file(file: DepositFile, private_key: bytes) -> Iterator[bytes]:
    """The plaintext, piece by piece; :raises IntegrityError: a piece is missing, altered or moved,
    or the whole does not match the SHA-256 given in the acknowledgement."""
    pieces = list(file.stored_pieces.order_by("index"))
    if [p.index for p in pieces] != list(range(file.pieces)) or not file.is_complete:
        raise IntegrityError("Le fichier est incomplet dans le stockage.")
    digest, offset = hashlib.sha256(), 0
    for piece in pieces:
        sealed = storage.read(piece.storage_name)
        if hashlib.sha256(sealed).hexdigest() != piece.stored_sha256 or piece.offset != offset:
            raise IntegrityError("Un morceau du fichier a été modifié dans le stockage.")
        plain = open_piece(
            private_key, sealed, piece_info(str(file.uuid), piece.index, piece.index == file.pieces - 1)
        )
        digest.update(plain)
        offset += len(plain)
        if piece.index == file.pieces - 1 and (offset != file.size or digest.hexdigest() != file.sha256):
            raise IntegrityError(
                "Le fichier déchiffré ne correspond pas à l'empreinte de l'accusé de réception."
            )
        yield plain


def read_whole(file: DepositFile, private_key: bytes) -> bytes:
    return b"".join(decrypt_file(file, private_key))
