"""Files that outlive a power cut: flushed to the disk before the database row that names them commits.

A written file, and the name a rename gives it, stay in the kernel's cache until they are flushed:
after a power cut, a committed row could name a file that is missing or empty, though the database
itself lost nothing. With ``STORAGE_FSYNC`` on (the default), a file's content is flushed before it
takes its final name, then the folders whose entries changed. Turn it off only where losing files
on a power cut does not matter (a benchmark whose database does not flush either).
"""

import os
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage

__all__ = [
    "DurableFileSystemStorage",
    "enabled",
    "flush_file",
    "flush_folders",
    "folders_up_to",
    "sync_file",
    "sync_folder",
]


def enabled() -> bool:
    return getattr(settings, "STORAGE_FSYNC", True)


def flush_file(handle) -> None:
    """Flush an open file's content to the disk (before it is renamed into place)."""
    if enabled():
        sync_file(handle)


def sync_file(handle) -> None:
    """Flush an open file's content to the disk whatever ``STORAGE_FSYNC`` says: for files that must
    never be lost, such as the procurement key vault's (see :func:`sync_folder`)."""
    handle.flush()
    os.fsync(handle.fileno())


def sync_folder(folder: str | os.PathLike) -> None:
    """Flush one folder's entries whatever ``STORAGE_FSYNC`` says: for files that must never be lost,
    such as the procurement key vault's (a sealed key whose name a power cut took back makes its
    consultation's bids unreadable for good)."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def flush_folders(folders: Iterable[str | os.PathLike]) -> None:
    """Flush each folder's entries (the names just created in it), each folder once."""
    if not enabled():
        return
    for folder in dict.fromkeys(os.fspath(f) for f in folders):
        sync_folder(folder)


def folders_up_to(path: str | os.PathLike, root: str | os.PathLike) -> list[Path]:
    """The folders from ``path``'s own up to ``root`` included: those a new file, or the sharding
    folders made for it (``actes/ab/cd/``), added an entry to."""
    root, folder = Path(root), Path(path).parent
    chain = [folder]
    while folder != root and root in folder.parents:
        folder = folder.parent
        chain.append(folder)
    return chain


class DurableFileSystemStorage(FileSystemStorage):
    """Django's file system storage, with each saved file and its folders flushed (``STORAGE_FSYNC``)."""

    def _save(self, name, content):
        name = super()._save(name, content)
        if enabled():
            full = self.path(name)
            with open(full, "rb") as handle:
                os.fsync(handle.fileno())
            flush_folders(folders_up_to(full, self.location))
        return name
