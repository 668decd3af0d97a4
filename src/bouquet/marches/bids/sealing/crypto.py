"""Encryption of bid pieces to a consultation's public key.

Each piece of each file is encrypted on arrival with its own fresh AES-256-GCM key; that key is
wrapped for the consultation's public key with HPKE base mode (RFC 9180: DHKEM(X25519, HKDF-SHA256),
HKDF-SHA256, AES-256-GCM) and kept next to the ciphertext. Once the request that received the piece
has ended, the server holds no key able to decrypt anything: there is no per-file key to carry from
one request of a resumable upload to the next, and only the private key (sealed in the vault until
the deadline) unwraps the piece keys.

Both the key wrapping (HPKE ``info``) and the piece encryption (GCM associated data) are bound to the
piece's place (file, index, last or not): a piece moved to another file or position, a dropped last
piece or a swapped one fails to decrypt.

Stored format of a piece: ``MAGIC`` (4 bytes) ‖ wrapped key (80: HPKE encapsulated key 32, encrypted
key 32, tag 16) ‖ nonce (12) ‖ AES-256-GCM ciphertext with its 16-byte tag.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .errors import IntegrityError

__all__ = [
    "ALGORITHM",
    "KeyPair",
    "MAGIC",
    "OVERHEAD",
    "generate_key_pair",
    "open_piece",
    "piece_info",
    "seal_piece",
]

#: Pieces in AES-256-GCM, their keys wrapped with HPKE base mode (X25519, HKDF-SHA256, AES-256-GCM).
ALGORITHM = "AES-256-GCM+HPKE(X25519,HKDF-SHA256,AES-256-GCM)"
MAGIC = b"BQB2"
_WRAPPED = 32 + 32 + 16
_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
#: Bytes a sealed piece has on top of its plaintext (magic, wrapped key, nonce, GCM tag).
OVERHEAD = len(MAGIC) + _WRAPPED + 12 + 16
_RAW = {"encoding": serialization.Encoding.Raw}


@dataclass(frozen=True)
class KeyPair:
    """A consultation's key pair as raw 32-byte X25519 keys."""

    private: bytes
    public: bytes


def generate_key_pair() -> KeyPair:
    private = X25519PrivateKey.generate()
    return KeyPair(
        private=private.private_bytes(
            format=serialization.PrivateFormat.Raw, encryption_algorithm=serialization.NoEncryption(), **_RAW
        ),
        public=private.public_key().public_bytes(format=serialization.PublicFormat.Raw, **_RAW),
    )


def piece_info(file_id: str, index: int, last: bool) -> bytes:
    """The context a piece is bound to (HPKE ``info``)."""
    return f"bouquet/marches-bids/piece/v1|{file_id}|{index}|{'last' if last else 'more'}".encode()


def seal_piece(public_key: bytes, plaintext: bytes, info: bytes) -> bytes:
    """Encrypt one piece to ``public_key`` (raw X25519) with a fresh key, wrapped with HPKE."""
    key, nonce = AESGCM.generate_key(256), os.urandom(12)
    wrapped = _SUITE.encrypt(key, X25519PublicKey.from_public_bytes(public_key), info=info)
    return MAGIC + wrapped + nonce + AESGCM(key).encrypt(nonce, plaintext, info)


def open_piece(private_key: bytes, sealed: bytes, info: bytes) -> bytes:
    """Decrypt one piece; :raises IntegrityError: altered, misplaced or not ours."""
    if not sealed.startswith(MAGIC) or len(sealed) < OVERHEAD:
        raise IntegrityError("Morceau de fichier illisible (format inconnu).")
    start = len(MAGIC)
    wrapped, nonce = sealed[start : start + _WRAPPED], sealed[start + _WRAPPED : start + _WRAPPED + 12]
    try:
        key = _SUITE.decrypt(wrapped, X25519PrivateKey.from_private_bytes(private_key), info=info)
        return AESGCM(key).decrypt(nonce, sealed[start + _WRAPPED + 12 :], info)
    except (InvalidTag, ValueError) as exc:
        raise IntegrityError("Morceau de fichier altéré ou déplacé : il ne se déchiffre pas.") from exc
