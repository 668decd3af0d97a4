"""The zip of all current DCE documents, produced while it is sent (never whole in memory)."""

import zipfile
from collections.abc import Iterable, Iterator

from django.utils import timezone

from bouquet.marches.models import DceFile

__all__ = ["stream_zip", "zip_names"]

CHUNK = 256 * 1024


class _Sink:
    """A write-only, non-seekable file: zipfile then writes data descriptors, as streaming needs."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.offset = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self.offset

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def zip_names(files: Iterable[DceFile]) -> list[tuple[str, DceFile]]:
    """Unique names inside the zip (two documents may not share one)."""
    seen: set[str] = set()
    result = []
    for dce_file in files:
        name, n = dce_file.name, 1
        while name.lower() in seen:
            n += 1
            stem, dot, ext = dce_file.name.rpartition(".")
            name = f"{stem} ({n}){dot}{ext}" if dot else f"{dce_file.name} ({n})"
        seen.add(name.lower())
        result.append((name, dce_file))
    return result


def stream_zip(files: Iterable[DceFile]) -> Iterator[bytes]:
    """Yield the zip's bytes, document after document (already-compressed formats are stored)."""
    sink = _Sink()
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(sink, mode="w", allowZip64=True) as archive:
        for name, dce_file in zip_names(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if _compressed(dce_file) else zipfile.ZIP_DEFLATED
            with (
                dce_file.open() as source,
                archive.open(info, mode="w", force_zip64=dce_file.size > 2**31) as target,
            ):
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    if sink.offset and len(sink.parts) > 4:
                        yield sink.take()
            yield sink.take()
    yield sink.take()


def _compressed(dce_file: DceFile) -> bool:
    return (
        dce_file.mime_type in {"application/zip", "image/jpeg", "image/png"}
        or "openxml" in dce_file.mime_type
    )
