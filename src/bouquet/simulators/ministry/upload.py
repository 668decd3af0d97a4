"""The archive POST as S²LOW sends it: multipart/form-data, one file part named after the archive.

The body is split on its boundary with ``bytes.find`` (one pass in C over the archive); only the small
header block of each part goes through the stdlib ``email`` parser. Feeding the whole 1 MB+ body to
``email`` (as the ``cgi`` module used to) costs tens of milliseconds per archive, line by line.
"""

import base64
import binascii
import quopri
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser

from bouquet.actes.protocol import ActesError, parse_archive_name

__all__ = ["UploadError", "parse_upload"]

_MAX_PARTS = 16
_MAX_PART_HEADERS = 16 * 1024


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


def _boundary(content_type: str) -> bytes:
    header = Message()
    header["Content-Type"] = content_type
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not 1 <= len(boundary) <= 70 or not boundary.isascii():
        raise UploadError("Envoi refusé : corps multipart illisible.")
    return boundary.encode("ascii")


def _split(body: bytes, boundary: bytes) -> list[bytes]:
    """The parts between the delimiters (RFC 2046 §5.1.1: preamble and epilogue ignored)."""
    delimiter = b"--" + boundary
    separator = b"\r\n" + delimiter
    if body.startswith(delimiter):
        position = len(delimiter)
    else:
        found = body.find(separator)
        if found < 0:
            raise UploadError("Envoi refusé : corps multipart illisible.")
        position = found + len(separator)
    parts: list[bytes] = []
    while not body.startswith(b"--", position):  # "--" after a delimiter closes the body
        line_end = body.find(b"\r\n", position)
        if line_end < 0 or body[position:line_end].strip(b" \t"):
            raise UploadError("Envoi refusé : corps multipart illisible.")
        start = line_end + 2
        end = body.find(separator, start)
        if end < 0 or len(parts) >= _MAX_PARTS:
            raise UploadError("Envoi refusé : corps multipart illisible (fin absente).")
        parts.append(body[start:end])
        position = end + len(separator)
    return parts


def _headers(part: bytes) -> tuple[Message, int]:
    """The part's headers and where its content starts."""
    if part.startswith(b"\r\n"):
        return Message(), 2
    end = part.find(b"\r\n\r\n", 0, _MAX_PART_HEADERS)
    if end < 0:
        raise UploadError("Envoi refusé : en-têtes de partie multipart illisibles.")
    return BytesHeaderParser(policy=policy.HTTP).parsebytes(part[: end + 4]), end + 4


def _decode(headers: Message, content: bytes) -> bytes:
    encoding = str(headers.get("Content-Transfer-Encoding", "")).strip().lower()
    try:
        if encoding == "base64":
            return base64.b64decode(content)
        if encoding == "quoted-printable":
            return quopri.decodestring(content)
    except (binascii.Error, ValueError):
        raise UploadError("Envoi refusé : contenu de la partie illisible.") from None
    return content


def parse_upload(content_type: str, body: bytes) -> tuple[str, bytes]:
    """The archive name (the field name, else the file name) and its bytes.

    :raises UploadError: not multipart/form-data, not exactly one file part, no valid archive name, empty.
    """
    if not content_type.lower().startswith("multipart/form-data") or "boundary=" not in content_type:
        raise UploadError("Envoi refusé : multipart/form-data attendu.")
    parts = [(*_headers(part), part) for part in _split(body, _boundary(content_type))]
    if not parts:
        raise UploadError("Envoi refusé : corps multipart illisible.")
    files = [p for p in parts if p[0].get_filename() is not None] or parts
    if len(files) != 1:
        raise UploadError(f"Envoi refusé : un seul fichier attendu, {len(files)} reçu(s).")
    headers, start, part = files[0]
    field = headers.get_param("name", header="content-disposition")
    candidates = [field if isinstance(field, str) else None, headers.get_filename()]
    name = next((c for c in candidates if _valid_name(c)), None)
    if name is None:
        raise UploadError(
            f"Envoi refusé : nom d'archive invalide ({candidates[0]!r}), "
            "attendu <trigramme>-EACT--<SIREN>--<AAAAMMJJ>-<n>.tar.gz."
        )
    data = _decode(headers, part[start:])
    if not data:
        raise UploadError("Envoi refusé : fichier vide.")
    return name, data
