"""@ctes archives: flat tar + gzip, built deterministically, read defensively."""

import io
import re
import struct
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


#: S²LOW pipes its tar through ``gzip -9``; we compress what shrinks at the same level.
COMPRESS_LEVEL = 9
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # deflate, no name, mtime 0, -9, OS unknown
_CHUNK = 128 * 1024
_PROBES, _PROBE = 4, 2048
_STORED_MAX = 0xFFFF
#: A probe that deflate cannot shrink below this fraction of its size tells "already compressed".
_SHRINKS_BELOW = 0.98


class _GzipWriter:
    """One standard gzip member whose deflate stream stores incompressible chunks instead of searching them.

    zlib at ``-9`` already emits *stored* blocks for data that does not shrink (PDF content streams,
    scans), but only after spending ~20 ms per MB looking for matches. Here probes decide per 128 KiB
    chunk: chunks that shrink go through the compressor (flushed with ``Z_FULL_FLUSH`` before a stored
    run, so no back-reference crosses it), the others are written as stored blocks. Any inflater reads
    the result (RFC 1951/1952: one member, one deflate stream); the output is deterministic and its
    size within a few bytes per stored chunk of ``gzip -9``'s on incompressible data.
    """

    def __init__(self, level: int = COMPRESS_LEVEL) -> None:
        self.out = io.BytesIO()
        self.out.write(_GZIP_HEADER)
        self.compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS, 9)
        # Probes reuse one fast compressor, flushed (history reset) after each: no set-up per probe.
        self.prober = zlib.compressobj(1, zlib.DEFLATED, -zlib.MAX_WBITS, 8)
        self.pending = False  # the compressor holds input not yet flushed
        self.crc = 0
        self.size = 0

    def write(self, data: bytes) -> None:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        view = memoryview(data)
        for start in range(0, len(view), _CHUNK):
            chunk = view[start : start + _CHUNK]
            if len(chunk) >= 2 * _PROBE and self._incompressible(chunk):
                self._store(chunk)
            else:
                self.out.write(self.compressor.compress(chunk))
                self.pending = True

    def _incompressible(self, chunk: memoryview) -> bool:
        """True when none of four 2 KiB samples spread over ``chunk`` shrinks (a scan, a JPEG, a PDF stream).

        One compressible sample is enough to send the whole chunk through the compressor: on real PDFs
        (fonts, raw images, zero padding between streams) the result stays within 0.3 % of ``gzip -9``.
        """
        step = (len(chunk) - _PROBE) // (_PROBES - 1)
        for n in range(_PROBES):
            sample = chunk[n * step : n * step + _PROBE]
            size = len(self.prober.compress(sample)) + len(self.prober.flush(zlib.Z_FULL_FLUSH))
            if size < _SHRINKS_BELOW * _PROBE:
                return False
        return True

    def _store(self, chunk: memoryview) -> None:
        if self.pending:  # byte-align and forget the history: the stored run starts a clean block
            self.out.write(self.compressor.flush(zlib.Z_FULL_FLUSH))
            self.pending = False
        for start in range(0, len(chunk), _STORED_MAX):
            block = chunk[start : start + _STORED_MAX]
            # BFINAL 0, BTYPE 00 (stored), padded to the byte; LEN and its one's complement.
            self.out.write(struct.pack("<BHH", 0, len(block), len(block) ^ 0xFFFF))
            self.out.write(block)

    def finish(self) -> bytes:
        self.out.write(self.compressor.flush(zlib.Z_FINISH))  # the final block (BFINAL 1)
        self.out.write(struct.pack("<II", self.crc, self.size & 0xFFFFFFFF))
        return self.out.getvalue()


def build_archive(
    members: Iterable[ArchiveMember], *, mtime: int = 0, max_size: int = MAX_ARCHIVE_SIZE
) -> bytes:
    """A gzip-compressed flat tar of ``members``, in the given order.

    Deterministic: same members and ``mtime`` give the same bytes (uid/gid 0, no owner names, mode 0644,
    gzip header without name nor time). The tar is GNU format, as ``tarfile`` writes it; the gzip
    stream is written in one pass (see :class:`_GzipWriter`).

    :raises ArchiveError: bad or duplicate name, or a result over ``max_size`` bytes.
    """
    gz = _GzipWriter()
    seen: set[str] = set()
    offset = 0
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
        header = info.tobuf(tarfile.GNU_FORMAT, "utf-8", "surrogateescape")
        padding = -len(member.data) % tarfile.BLOCKSIZE
        gz.write(header)
        gz.write(member.data)
        gz.write(tarfile.NUL * padding)
        offset += len(header) + len(member.data) + padding
    # End of archive: two zero blocks, then zeros up to a whole record (what tarfile.close() writes).
    end = 2 * tarfile.BLOCKSIZE
    end += -(offset + end) % tarfile.RECORDSIZE
    gz.write(tarfile.NUL * end)
    data = gz.finish()
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
