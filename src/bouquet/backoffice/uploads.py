"""Convention files: accepted only as real PDFs under a size limit, stored under names we choose.

The name the user's browser sent is kept for display only (cleaned, without any path); the file
itself goes to ``backoffice/conventions/<authority id>/<random>.pdf`` in the default storage.
"""

import hashlib
import io
import re
import unicodedata
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from pypdf import PdfReader

from bouquet.backoffice.errors import UploadError

__all__ = ["CheckedPdf", "check_pdf", "clean_name", "read_stored", "store_pdf"]

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class CheckedPdf:
    name: str
    data: bytes
    sha256: str


def _limit_label(limit: int) -> str:
    return f"{limit / (1024 * 1024):.0f} Mo" if limit >= 1024 * 1024 else f"{limit} octets"


def clean_name(raw: str) -> str:
    """The display name: NFC, no control character, at most 150 characters, ending in ``.pdf``.

    :raises UploadError: the name holds a path (``/``, ``\\``, ``..``) or nothing usable.
    """
    name = unicodedata.normalize("NFC", raw or "").strip()
    if "/" in name or "\\" in name or ".." in name:
        raise UploadError(
            "Le nom du fichier ne doit pas contenir de chemin (« / », « \\ » ou « .. »). Renommez le fichier."
        )
    name = CONTROL.sub("", name).strip(" .")
    if not name:
        raise UploadError("Le fichier n'a pas de nom : renommez-le puis déposez-le de nouveau.")
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    return stem[:146] + ".pdf"


def check_pdf(uploaded) -> CheckedPdf:
    """Read an uploaded file and make sure it is a readable PDF within the size limit.

    :raises UploadError: too large, not a PDF, unreadable PDF, or a name with a path.
    """
    limit = settings.BACKOFFICE_UPLOAD_MAX_BYTES
    name = clean_name(getattr(uploaded, "name", ""))
    if uploaded.size is not None and uploaded.size > limit:
        raise UploadError(f"Le fichier dépasse la taille maximale de {_limit_label(limit)}.")
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise UploadError(f"Le fichier dépasse la taille maximale de {_limit_label(limit)}.")
    if not data.startswith(b"%PDF-"):
        raise UploadError("Ce fichier n'est pas un PDF. Déposez la convention au format PDF.")
    try:
        if len(PdfReader(io.BytesIO(data)).pages) < 1:
            raise ValueError("no page")
    except Exception as exc:  # noqa: BLE001 - any parser failure means an unusable file
        raise UploadError(
            "Ce PDF est illisible ou endommagé : enregistrez-le de nouveau puis déposez-le."
        ) from exc
    return CheckedPdf(name, data, hashlib.sha256(data).hexdigest())


def store_pdf(checked: CheckedPdf, authority_id: int) -> str:
    """Write the content under a fresh random name; return its storage path."""
    path = f"backoffice/conventions/{int(authority_id)}/{uuid.uuid4().hex}.pdf"
    return default_storage.save(path, ContentFile(checked.data))


def read_stored(path: str, sha256: str) -> bytes:
    """The stored content, checked against its hash (an altered file is an error, not data)."""
    with default_storage.open(path, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise OSError(f"Fichier altéré dans le stockage : {path}")
    return data
