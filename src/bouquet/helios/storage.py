"""Content-addressed storage of HELIOS files: each content is written once under ``helios/<sha256>``.

Large PES files (up to 128 MiB) are hashed and copied in chunks from a stream, never held whole.
"""

import hashlib
import os
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from bouquet.helios.models import StoredFile

__all__ = ["digests", "open_stream", "read_bytes", "store"]

_CHUNK = 1024 * 1024
Content = bytes | str | os.PathLike | IO[bytes]


def _path(digest: str) -> str:
    return f"helios/{digest[:2]}/{digest[2:4]}/{digest}"


def _stream(content: Content) -> tuple[IO[bytes], bool]:
    if isinstance(content, bytes):
        import io

        return io.BytesIO(content), True
    if isinstance(content, str | os.PathLike):
        return open(content, "rb"), True  # noqa: SIM115 - closed by the caller
    content.seek(0)
    return content, False


def digests(content: Content) -> tuple[str, str, int]:
    """(sha256, sha1, size) of the content, read in chunks."""
    stream, owned = _stream(content)
    sha256, sha1, size = hashlib.sha256(), hashlib.sha1(usedforsecurity=False), 0
    try:
        while chunk := stream.read(_CHUNK):
            sha256.update(chunk)
            sha1.update(chunk)
            size += len(chunk)
    finally:
        if owned:
            stream.close()
    return sha256.hexdigest(), sha1.hexdigest(), size


def store(content: Content) -> StoredFile:
    """The ``StoredFile`` for ``content``, writing it only if it is new.

    The file is written before the row: a rolled-back transaction leaves at worst an orphan file
    (harmless, same content), never a row without its file.
    """
    sha256, sha1, size = digests(content)
    found = StoredFile.objects.filter(sha256=sha256).first()
    if found is not None:
        return found
    path = _path(sha256)
    if default_storage.exists(path) and default_storage.size(path) != size:
        default_storage.delete(path)  # a damaged copy (no row refers to it): write it again
    if not default_storage.exists(path):
        stream, owned = _stream(content)
        try:
            saved = default_storage.save(path, File(stream, name=sha256))
        finally:
            if owned:
                stream.close()
        if saved != path:  # pragma: no cover - a concurrent writer got there first
            default_storage.delete(saved)
    try:
        with transaction.atomic():
            return StoredFile.objects.create(sha256=sha256, sha1=sha1, size=size, path=path)
    except IntegrityError:  # pragma: no cover - concurrent insert of the same content
        return StoredFile.objects.get(sha256=sha256)


def read_bytes(stored: StoredFile) -> bytes:
    """The content, checked against its hash."""
    with default_storage.open(stored.path, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != stored.sha256:
        raise OSError(f"Fichier altéré dans le stockage : {stored.path}")
    return data


def open_stream(stored: StoredFile) -> IO[bytes]:
    return default_storage.open(stored.path, "rb")
