"""Where an accepted upload waits between its pre-flight report and the user's confirmation.

The bytes go to ``helios-staging/<random>`` in the file storage (outside the platform's records: a file
never confirmed leaves no transaction, no history, no journal entry). The confirmation form carries a
signed ticket naming the staged file, the user, the authority and the content's SHA-256, so that nobody
can confirm someone else's file or a file changed in between. Stale files are swept on the next upload.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

__all__ = ["StagedFile", "StagingError", "discard", "read_staged", "stage"]

FOLDER = "helios-staging"
SALT = "bouquet.helios.staging"
#: How long a pre-flight report may be confirmed.
MAX_AGE = timedelta(hours=2)
_CHUNK = 1024 * 1024


class StagingError(Exception):
    """The ticket is invalid, expired, not this user's, or its file is gone; ``message`` is French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StagedFile:
    """A confirmed ticket: the staged file's name in the storage and what the upload said."""

    path: str
    file_name: str
    sha256: str
    must_sign: bool


def stage(upload, *, sha256: str, file_name: str, user, authority, must_sign: bool = False) -> str:
    """Copy the upload into the staging folder and return the signed ticket of the confirmation form."""
    _sweep()
    upload.seek(0)
    path = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}", File(upload))
    payload = {
        "p": path,
        "n": file_name,
        "s": sha256,
        "u": user.pk,
        "a": authority.pk,
        "m": must_sign,
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def read_staged(ticket: str, *, user, authority) -> tuple[StagedFile, bytes]:
    """The staged file of ``ticket`` and its bytes, checked against the SHA-256 seen at pre-flight.

    :raises StagingError: bad, expired or foreign ticket, missing or altered file.
    """
    expired = "Le rapport de contrôle a expiré : déposez de nouveau le fichier."
    try:
        payload = signing.loads(ticket, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise StagingError(expired) from None
    except signing.BadSignature:
        raise StagingError("Confirmation invalide : déposez de nouveau le fichier.") from None
    if payload.get("u") != user.pk or payload.get("a") != authority.pk:
        raise StagingError("Ce dépôt a été préparé pour une autre collectivité ou un autre compte.")
    path = str(payload.get("p", ""))
    if not path.startswith(f"{FOLDER}/") or ".." in path or not default_storage.exists(path):
        raise StagingError(expired)
    with default_storage.open(path, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != payload.get("s"):
        raise StagingError("Le fichier déposé a changé depuis son contrôle : déposez-le de nouveau.")
    staged = StagedFile(path, str(payload.get("n", "")), str(payload["s"]), bool(payload.get("m")))
    return staged, data


def discard(staged: StagedFile) -> None:
    default_storage.delete(staged.path)


def _sweep() -> None:
    """Delete staged files older than the tickets' lifetime (never confirmed)."""
    try:
        _dirs, names = default_storage.listdir(FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return
    limit = timezone.now() - MAX_AGE - timedelta(minutes=5)
    for name in names:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue
