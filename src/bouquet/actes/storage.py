"""Content-addressed file storage: each content is written once under ``actes/<sha256>``."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from bouquet.actes.models import StoredFile

__all__ = ["read_bytes", "sha256_hex", "store_bytes"]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _path(digest: str) -> str:
    return f"actes/{digest[:2]}/{digest[2:4]}/{digest}"


def store_bytes(data: bytes) -> StoredFile:
    """The ``StoredFile`` for ``data``, writing the content only if it is new.

    The file is written before the row: a rolled-back transaction leaves at worst an orphan file
    (harmless, same content), never a row without its file.
    """
    digest = sha256_hex(data)
    found = StoredFile.objects.filter(sha256=digest).first()
    if found is not None:
        return found
    path = _path(digest)
    if not default_storage.exists(path):
        saved = default_storage.save(path, ContentFile(data))
        if saved != path:  # pragma: no cover - a concurrent writer got there first
            default_storage.delete(saved)
    try:
        with transaction.atomic():
            return StoredFile.objects.create(sha256=digest, size=len(data), path=path)
    except IntegrityError:  # pragma: no cover - concurrent insert of the same content
        return StoredFile.objects.get(sha256=digest)


def read_bytes(stored: StoredFile) -> bytes:
    """The content, checked against its hash (a silently altered file is an error, not data)."""
    with default_storage.open(stored.path, "rb") as handle:
        data = handle.read()
    if sha256_hex(data) != stored.sha256:
        raise OSError(f"Fichier altéré dans le stockage : {stored.path}")
    return data
