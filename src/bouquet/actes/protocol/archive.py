"""@ctes archives: flat tar + gzip, built deterministically, read defensively."""

import gzip
import io
import re
import tarfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from .constants import MAX_ARCHIVE_MEMBERS, MAX_ARCHIVE_SIZE, MAX_ARCHIVE_UNCOMPRESSED
from .errors import ArchiveError

__all__ = ["ArchiveMember", "build_archive", "read_archive", "check_member_name"]

# Names we write and accept: what @ctes names use, plus space (real documents such as "Delib Adullact.pdf").
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\- ]{0,199}")


@dataclass(frozen=True)
class ArchiveMember:
    """One file of an archive."""

    #: File name (flat: no directory part).
    name: str
    #: Content.
    data: bytes


def check_member_name(name: str) -> None:
    """Refuse a member name that is absolute, has a directory part, ``..``, or odd characters."""
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        raise ArchiveError(f"Archive refusée : chemin absolu interdit ({name!r}).")
    if ".." in name.split("/") or name in {".", ".."}:
        raise ArchiveError(f"Archive refusée : chemin contenant « .. » interdit ({name!r}).")
    if "/" in name or "\\" in name:
        raise ArchiveError(f"Archive refusée : l'archive doit être plate, sans répertoire ({name!r}).")
    if not _SAFE_NAME.fullmatch(name):
        raise ArchiveError(f"Archive refusée : nom de fichier invalide ({name!r}).")


def build_archive(
    members: Iterable[ArchiveMember], *, mtime: int = 0, max_size: int = MAX_ARCHIVE_SIZE
) -> bytes:
    """A gzip-compressed flat tar of ``members``, in the given order.

    Deterministic: same members and ``mtime`` give the same bytes (uid/gid 0, no owner names, mode 0644,
    gzip header without name nor time).

    :raises ArchiveError: bad or duplicate name, or a result over ``max_size`` bytes.
    """
    buffer = io.BytesIO()
    seen: set[str] = set()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as compressed:
        with tarfile.open(fileobj=compressed, mode="w", format=tarfile.GNU_FORMAT) as tar:
            for member in members:
                check_member_name(member.name)
                if member.name in seen:
                    raise ArchiveError(f"Archive refusée : fichier en double ({member.name!r}).")
                seen.add(member.name)
                info = tarfile.TarInfo(member.name)
                info.size = len(member.data)
                info.mtime = mtime
                info.mode = 0o644
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                tar.addfile(info, io.BytesIO(member.data))
    data = buffer.getvalue()
    if len(data) > max_size:
        raise ArchiveError(f"Archive trop volumineuse : {len(data)} octets, le maximum est {max_size}.")
    return data


def _check_member(info: tarfile.TarInfo) -> None:
    name = info.name
    if info.issym() or info.islnk():
        raise ArchiveError(f"Archive refusée : lien interdit ({name!r}).")
    if info.ischr() or info.isblk() or info.isfifo() or info.isdev():
        raise ArchiveError(f"Archive refusée : fichier spécial interdit ({name!r}).")
    if info.isdir():
        raise ArchiveError(f"Archive refusée : répertoire interdit, l'archive doit être plate ({name!r}).")
    if not info.isreg():
        raise ArchiveError(f"Archive refusée : type d'entrée non pris en charge ({name!r}).")
    check_member_name(name)


def read_archive(
    data: bytes,
    *,
    max_size: int = MAX_ARCHIVE_SIZE,
    max_members: int = MAX_ARCHIVE_MEMBERS,
    max_total: int = MAX_ARCHIVE_UNCOMPRESSED,
) -> tuple[ArchiveMember, ...]:
    """Read a tar.gz archive into memory, refusing anything but a flat list of regular files.

    :raises ArchiveError: unreadable, over ``max_size`` compressed, more than ``max_members`` entries,
        more than ``max_total`` bytes once uncompressed, or an entry that is absolute, has ``..`` or a
        directory part, is a link, a device or fifo, a directory, or a duplicate. The message names
        the entry.
    """
    if len(data) > max_size:
        raise ArchiveError(f"Archive trop volumineuse : {len(data)} octets, le maximum est {max_size}.")
    members: list[ArchiveMember] = []
    seen: set[str] = set()
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            while (info := tar.next()) is not None:
                if len(members) >= max_members:
                    raise ArchiveError(f"Archive refusée : plus de {max_members} fichiers.")
                _check_member(info)
                if info.name in seen:
                    raise ArchiveError(f"Archive refusée : fichier en double ({info.name!r}).")
                seen.add(info.name)
                total += info.size
                if total > max_total:
                    raise ArchiveError(
                        f"Archive refusée : plus de {max_total} octets une fois décompressée ({info.name!r})."
                    )
                stream = tar.extractfile(info)
                if stream is None:  # pragma: no cover - regular files always have a stream
                    raise ArchiveError(f"Archive refusée : entrée illisible ({info.name!r}).")
                members.append(ArchiveMember(info.name, stream.read()))
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise ArchiveError(f"Archive illisible (tar.gz attendu) : {exc}") from None
    if not members:
        raise ArchiveError("Archive vide.")
    return tuple(members)
