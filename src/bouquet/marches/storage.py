"""Safe storage of the DCE documents.

The content goes to the default storage under ``marches/dce/<sha256>``: the name a user gave never
reaches the file system (no path traversal possible), and is only kept, cleaned, for display and
for the zip. Accepted formats are recognised from their first bytes, not trusted from the name.
"""

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage

from bouquet.marches.errors import FileRejected

__all__ = ["Sniffed", "clean_name", "read_bytes", "sniff", "store_upload"]

CHUNK = 1024 * 1024
MAX_NAME = 180


@dataclass(frozen=True)
class Sniffed:
    mime_type: str
    label: str  # shown to companies: "PDF", "Word", "Tableur"…


#: extension → (label, mime type, family of magic numbers it must show).
FORMATS: dict[str, tuple[str, str, str]] = {
    "pdf": ("PDF", "application/pdf", "pdf"),
    "docx": ("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "zip"),
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "zip"),
    "pptx": (
        "PowerPoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "zip",
    ),
    "odt": ("Texte OpenDocument", "application/vnd.oasis.opendocument.text", "zip"),
    "ods": ("Tableur OpenDocument", "application/vnd.oasis.opendocument.spreadsheet", "zip"),
    "odg": ("Dessin OpenDocument", "application/vnd.oasis.opendocument.graphics", "zip"),
    "doc": ("Word 97", "application/msword", "ole"),
    "xls": ("Excel 97", "application/vnd.ms-excel", "ole"),
    "zip": ("Archive ZIP", "application/zip", "zip"),
    "jpg": ("Image JPEG", "image/jpeg", "jpeg"),
    "jpeg": ("Image JPEG", "image/jpeg", "jpeg"),
    "png": ("Image PNG", "image/png", "png"),
    "dwg": ("Plan DWG", "image/vnd.dwg", "dwg"),
    "dxf": ("Plan DXF", "image/vnd.dxf", "text"),
    "xml": ("XML", "application/xml", "xml"),
    "json": ("JSON", "application/json", "text"),
    "txt": ("Texte", "text/plain", "text"),
    "csv": ("CSV", "text/csv", "text"),
    "rtf": ("RTF", "application/rtf", "rtf"),
}

MAGIC = {
    "pdf": (b"%PDF-",),
    "zip": (b"PK\x03\x04", b"PK\x05\x06"),
    "ole": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "dwg": (b"AC10",),
    "rtf": (b"{\\rtf",),
}
#: First bytes of programs: never accepted, whatever the name says.
EXECUTABLE = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


def clean_name(raw: str) -> str:
    """A display name safe everywhere: no directory part, no control or reserved characters.

    :raises FileRejected: nothing usable is left.
    """
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*\x00]', "_", name).strip().strip(".").strip()
    name = re.sub(r"\s+", " ", name)
    if not name or name in {".", ".."}:
        raise FileRejected("Le nom du fichier n'est pas utilisable ; renommez-le puis déposez-le à nouveau.")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:MAX_NAME]
    return name


def _extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def _looks_textual(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a cut multi-byte character at the end is fine
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return b"\x00" not in head


def sniff(name: str, head: bytes) -> Sniffed:
    """The format of a document from its name and first bytes, which must agree.

    :raises FileRejected: a program, an unknown format, or content that is not what the name says.
    """
    if head.startswith(EXECUTABLE):
        raise FileRejected(f"« {name} » est un programme : ce type de fichier n'est pas accepté.")
    ext = _extension(name)
    if ext not in FORMATS:
        accepted = ", ".join(sorted({e.upper() for e in FORMATS}))
        raise FileRejected(f"Le format de « {name} » n'est pas accepté. Formats acceptés : {accepted}.")
    label, mime, family = FORMATS[ext]
    if family == "text":
        ok = _looks_textual(head)
    elif family == "xml":
        ok = _looks_textual(head) and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    else:
        ok = head.startswith(MAGIC[family])
    if not ok:
        raise FileRejected(
            f"Le contenu de « {name} » ne correspond pas à un fichier {label} : "
            "vérifiez le fichier ou son extension."
        )
    return Sniffed(mime, label)


def _path(digest: str) -> str:
    return f"marches/dce/{digest[:2]}/{digest}"


@dataclass(frozen=True)
class Stored:
    name: str
    sha256: str
    size: int
    path: str
    sniffed: Sniffed


def store_upload(upload, name: str | None = None) -> Stored:
    """Check and store an uploaded file (a Django ``UploadedFile`` or any binary file object).

    :raises FileRejected: empty, too big, bad name or refused format (nothing is stored then).
    """
    name = clean_name(name or getattr(upload, "name", ""))
    size = getattr(upload, "size", None)
    limit = settings.MARCHES_DCE_MAX_FILE_BYTES
    if size is not None and size > limit:
        raise FileRejected(f"« {name} » dépasse la taille maximale de {limit // (1024 * 1024)} Mo.")
    upload.seek(0)
    head = upload.read(8192)
    if not head:
        raise FileRejected(f"« {name} » est vide.")
    sniffed = sniff(name, head)
    upload.seek(0)
    digest, size = _hash(upload, limit, name)
    if sniffed.label in {"Word", "Excel", "PowerPoint"} or sniffed.mime_type.startswith(
        "application/vnd.oasis"
    ):
        _check_zip(upload, name)
    path = _path(digest)
    if not default_storage.exists(path):
        upload.seek(0)
        saved = default_storage.save(path, File(upload))
        if saved != path:  # pragma: no cover - a concurrent writer got there first
            default_storage.delete(saved)
    return Stored(name, digest, size, path, sniffed)


def _hash(upload, limit: int, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := upload.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise FileRejected(f"« {name} » dépasse la taille maximale de {limit // (1024 * 1024)} Mo.")
        digest.update(chunk)
    return digest.hexdigest(), size


def _check_zip(upload, name: str) -> None:
    """Office documents are zips: refuse one that is not readable as such."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRejected(f"« {name} » est endommagé : il ne s'ouvre pas.") from exc


def read_bytes(path: str, sha256: str) -> bytes:
    """The content, checked against its hash (a silently altered file is an error, not data)."""
    with default_storage.open(path, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise OSError(f"Fichier altéré dans le stockage : {path}")
    return data
