"""The key vault: each consultation's private key, sealed until its deadline, outside the database.

A key is created with the deadline it protects. Its private half is encrypted (AES-256-GCM) under
a key derived from the vault secret, with the key id, the deadline and the public key as
associated data: editing the deadline in the sealed file, or in the database, does not make the
key usable earlier. :meth:`FileKeyVault.unseal` answers only once the vault's clock has passed
both the sealed deadline and the one the caller gives (the current deadline, which may have been
extended). Every unsealing is appended to ``access.log`` in the vault directory, besides the
application's journal.

The vault directory holds ``vault.secret`` (when the secret is not given from the environment),
``keys/<key id>.json`` and ``access.log``; it is created with mode 0700.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bouquet.core.durable import folders_up_to, sync_file, sync_folder

from .crypto import generate_key_pair
from .errors import SealedError, VaultError

__all__ = ["FileKeyVault"]

_FORMAT = "bouquet-keyvault-v1"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class FileKeyVault:
    """A vault in a local directory (the embedded default; another backend can keep the same API).

    :param directory: the vault directory (created 0700 if missing).
    :param secret: the vault secret; ``None`` reads or creates ``vault.secret`` in the directory.
    :param clock: the vault's clock (aware datetimes); the server's by default.
    """

    def __init__(
        self, directory: Path, secret: bytes | None = None, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.directory = Path(directory)
        self.clock = clock or (lambda: datetime.now(UTC))
        keys = self.directory / "keys"
        if not keys.is_dir():
            keys.mkdir(parents=True, exist_ok=True)
            for folder in folders_up_to(keys / "new", self.directory.parent):
                sync_folder(folder)  # the vault's own folders' names, the first time
        os.chmod(self.directory, 0o700)
        os.chmod(self.directory / "keys", 0o700)
        self._master = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"bouquet/marches-bids/vault/v1"
        ).derive(secret if secret else self._local_secret())

    def _local_secret(self) -> bytes:
        path = self.directory / "vault.secret"
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
                sync_file(handle)
            sync_folder(self.directory)  # every key is sealed under it: it must outlive a power cut
        return path.read_text().strip().encode()

    def _path(self, key_id: str) -> Path:
        if not key_id.replace("-", "").isalnum():
            raise VaultError("Identifiant de clé invalide.")
        return self.directory / "keys" / f"{key_id}.json"

    @staticmethod
    def _aad(key_id: str, deadline: str, public: bytes) -> bytes:
        return json.dumps([_FORMAT, key_id, deadline, _b64(public)]).encode()

    def create(self, key_id: str, deadline: datetime) -> bytes:
        """Generate a key pair sealed until ``deadline``; return its public key (raw X25519).

        :raises VaultError: a key with this id already exists.
        """
        pair = generate_key_pair()
        when = _utc(deadline)
        nonce = os.urandom(12)
        sealed = AESGCM(self._master).encrypt(nonce, pair.private, self._aad(key_id, when, pair.public))
        record = {
            "format": _FORMAT,
            "key_id": key_id,
            "sealed_until": when,
            "public_key": _b64(pair.public),
            "nonce": _b64(nonce),
            "sealed_private_key": _b64(sealed),
        }
        path = self._path(key_id)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise VaultError("Une clé de ce nom existe déjà dans le coffre.") from exc
        with os.fdopen(fd, "w") as handle:
            json.dump(record, handle)
            sync_file(handle)
        sync_folder(path.parent)  # the file's name too, before the caller commits the consultation
        return pair.public

    def discard(self, key_id: str) -> None:
        """Remove a key that was never used (a concurrent creation won the race)."""
        self._path(key_id).unlink(missing_ok=True)

    def _read(self, key_id: str) -> dict:
        try:
            return json.loads(self._path(key_id).read_text())
        except FileNotFoundError as exc:
            raise VaultError("La clé de cette consultation est absente du coffre.") from exc
        except (OSError, ValueError) as exc:
            raise VaultError("La clé de cette consultation est illisible dans le coffre.") from exc

    def sealed_until(self, key_id: str) -> datetime:
        return datetime.fromisoformat(self._read(key_id)["sealed_until"])

    def public_key(self, key_id: str) -> bytes:
        return base64.b64decode(self._read(key_id)["public_key"])

    def unseal(self, key_id: str, *, not_before: datetime | None = None, purpose: str = "") -> bytes:
        """The private key, once the vault's clock has passed its sealed deadline and ``not_before``.

        :raises SealedError: too early (nothing is decrypted).
        :raises VaultError: missing, altered, or another vault's key.
        """
        record = self._read(key_id)
        now = self.clock()
        opens_at = max(filter(None, (datetime.fromisoformat(record["sealed_until"]), not_before)))
        if now < opens_at:
            self._log(key_id, "refused", now, purpose)
            raise SealedError(
                "Les plis sont scellés jusqu'à la date limite de remise : personne ne peut les ouvrir avant."
            )
        aad = self._aad(key_id, record["sealed_until"], base64.b64decode(record["public_key"]))
        try:
            private = AESGCM(self._master).decrypt(
                base64.b64decode(record["nonce"]), base64.b64decode(record["sealed_private_key"]), aad
            )
        except (InvalidTag, ValueError) as exc:
            self._log(key_id, "altered", now, purpose)
            raise VaultError("La clé scellée a été modifiée ou ne vient pas de ce coffre.") from exc
        self._log(key_id, "unsealed", now, purpose)
        return private

    def _log(self, key_id: str, outcome: str, now: datetime, purpose: str) -> None:
        line = json.dumps({"at": _utc(now), "key_id": key_id, "outcome": outcome, "purpose": purpose[:200]})
        fd = os.open(self.directory / "access.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a") as handle:
            handle.write(line + "\n")
