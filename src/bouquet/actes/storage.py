"""Content-addressed file storage: each content is written once under ``actes/<sha256>``."""

import hashlib
import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from bouquet.actes.models import StoredFile
from bouquet.core import durable

__all__ = [
    "Written",
    "read_bytes",
    "save_written",
    "sha256_hex",
    "store_bytes",
    "store_many",
    "write_contents",
]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _path(digest: str) -> str:
    return f"actes/{digest[:2]}/{digest[2:4]}/{digest}"


def _local_path(name: str) -> str | None:
    """The absolute path of ``name`` when the storage is the local file system, else ``None``."""
    try:
        return default_storage.path(name)
    except NotImplementedError:
        return None


def _write_local(full: str, data: bytes) -> list:
    """Write into a temporary name, flushed (``STORAGE_FSYNC``), then rename: readers see the whole
    file or none, never a part. Returns the folders whose entries changed, to flush once the batch's
    files are all written (:func:`write_contents`).

    Same content under the same name, so a concurrent writer's rename is harmless. Cheaper than
    ``Storage.save`` (no ``makedirs`` nor free-name search on every call), which matters for MB files.
    """
    folder = os.path.dirname(full)
    temporary = f"{full}.{secrets.token_hex(6)}.tmp"
    changed = [folder]
    try:
        handle = open(temporary, "xb")  # noqa: SIM115 - closed below, before the rename
    except FileNotFoundError:
        mode = getattr(default_storage, "directory_permissions_mode", None)
        os.makedirs(folder, exist_ok=True, mode=mode or 0o777)
        changed = durable.folders_up_to(full, default_storage.location)
        handle = open(temporary, "xb")  # noqa: SIM115
    try:
        with handle:
            handle.write(data)
            durable.flush_file(handle)
        mode = getattr(default_storage, "file_permissions_mode", None)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, full)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return changed


def _write(path: str, data: bytes) -> list:
    """Write ``path`` unless it exists; the folders to flush (none when another storage flushed them)."""
    full = _local_path(path)
    if full is not None:
        return [] if os.path.exists(full) else _write_local(full, data)
    if not default_storage.exists(path):
        saved = default_storage.save(path, ContentFile(data))
        if saved != path:  # pragma: no cover - a concurrent writer got there first
            default_storage.delete(saved)
    return []


def store_bytes(data: bytes) -> StoredFile:
    """The ``StoredFile`` for ``data``, writing the content only if it is new.

    The file is written before the row: a rolled-back transaction leaves at worst an orphan file
    (harmless, same content), never a row without its file.
    """
    return store_many([data])[0]


@dataclass(frozen=True)
class Written:
    """Contents already in the storage, whose rows are still to be saved (:func:`save_written`)."""

    digests: list[str]
    rows: dict[str, StoredFile]


def write_contents(contents: Sequence[bytes], *, keep: bool = False) -> Written:
    """Hash and write the contents missing from the storage, flushed to the disk before this returns
    (``STORAGE_FSYNC``: each file, then their folders once); no database access.

    Callers do this before their database transaction, so that it is not held during the I/O, and so
    that a committed row never names a file a power cut could take back.

    :param keep: also keep them in this process's memory for :func:`read_bytes` (see :class:`_Recent`).
    """
    digests = [sha256_hex(data) for data in contents]
    rows: dict[str, StoredFile] = {}
    folders: list = []
    for digest, data in zip(digests, contents, strict=True):
        if digest not in rows:
            path = _path(digest)
            folders += _write(path, data)
            rows[digest] = StoredFile(sha256=digest, size=len(data), path=path)
            if keep:
                RECENT.put(digest, data)
    durable.flush_folders(folders)
    return Written(digests, rows)


def save_written(written: Written) -> list[StoredFile]:
    """The rows of written contents, in order: one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` gives
    every row its id, new or already known (a concurrent writer of the same content is no error, and
    no lookup is needed beforehand)."""
    saved = StoredFile.objects.bulk_create(
        written.rows.values(), update_conflicts=True, unique_fields=["sha256"], update_fields=["size"]
    )
    if any(f.pk is None for f in saved):  # pragma: no cover - a backend that returns no ids
        saved = list(StoredFile.objects.filter(sha256__in=list(written.rows)))
    found = {f.sha256: f for f in saved}
    return [found[digest] for digest in written.digests]


def store_many(contents: Sequence[bytes], *, keep: bool = False) -> list[StoredFile]:
    """:func:`store_bytes` for several contents at once, in order: the files, then one statement."""
    return save_written(write_contents(contents, keep=keep))


class _Recent:
    """Contents this process has just written and will read back once, soon: the archives the worker
    builds, then sends. Handed back by :func:`read_bytes` without reading the disk nor hashing them
    again (they are the very bytes that were hashed and written), then forgotten. Bounded: the
    oldest are dropped first, and a content not found here is read from the storage as always.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def put(self, digest: str, data: bytes) -> None:
        if len(data) > self.limit:
            return
        with self._lock:
            if digest in self._items:
                return
            self._items[digest] = data
            self._size += len(data)
            while self._size > self.limit:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)

    def take(self, digest: str) -> bytes | None:
        with self._lock:
            data = self._items.pop(digest, None)
            if data is not None:
                self._size -= len(data)
            return data


#: At most 64 MiB held: a worker's batch of archives between checking and sending.
RECENT = _Recent(64 * 1024 * 1024)


def read_bytes(stored: StoredFile) -> bytes:
    """The content, checked against its hash (a silently altered file is an error, not data)."""
    kept = RECENT.take(stored.sha256)
    if kept is not None:
        return kept
    with default_storage.open(stored.path, "rb") as handle:
        data = handle.read()
    if sha256_hex(data) != stored.sha256:
        raise OSError(f"Fichier altéré dans le stockage : {stored.path}")
    return data
