"""The archive POST as S²LOW sends it: multipart/form-data, one file part named after the archive.

Parsed with the stdlib ``email`` package (the ``cgi`` module is gone since Python 3.13).
"""

from email import policy
from email.parser import BytesParser

from bouquet.actes.protocol import ActesError, parse_archive_name

__all__ = ["UploadError", "parse_upload"]


class UploadError(ValueError):
    """Not a valid upload (answered 400); the message is French, for the log and the response body."""


def _valid_name(value: str | None) -> bool:
    if not value:
        return False
    try:
        parse_archive_name(value)
    except ActesError:
        return False
    return True


def parse_upload(content_type: str, body: bytes) -> tuple[str, bytes]:
    """The archive name (the field name, else the file name) and its bytes.

    :raises UploadError: not multipart/form-data, not exactly one file part, no valid archive name, empty.
    """
    if not content_type.lower().startswith("multipart/form-data") or "boundary=" not in content_type:
        raise UploadError("Envoi refusé : multipart/form-data attendu.")
    header = b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n"
    message = BytesParser(policy=policy.HTTP).parsebytes(header + body)
    if not message.is_multipart():
        raise UploadError("Envoi refusé : corps multipart illisible.")
    parts = list(message.iter_parts())
    files = [part for part in parts if part.get_filename() is not None] or parts
    if len(files) != 1:
        raise UploadError(f"Envoi refusé : un seul fichier attendu, {len(files)} reçu(s).")
    part = files[0]
    field = part.get_param("name", header="content-disposition")
    candidates = [field if isinstance(field, str) else None, part.get_filename()]
    name = next((c for c in candidates if _valid_name(c)), None)
    if name is None:
        raise UploadError(
            f"Envoi refusé : nom d'archive invalide ({candidates[0]!r}), "
            "attendu <trigramme>-EACT--<SIREN>--<AAAAMMJJ>-<n>.tar.gz."
        )
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes) or not data:
        raise UploadError("Envoi refusé : fichier vide.")
    return name, data
