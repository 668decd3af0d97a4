"""The archive POST as S²LOW sends it: multipart/form-data, one file part named after the archive.

The body is split on its boundary with ``bytes.find`` (one pass in C over the archive), by offsets: the
file is copied once, out of the body. Feeding the whole 1 MB+ body to ``email`` (as the ``cgi`` module
used to) costs tens of milliseconds per archive, line by line.

The few header lines of a part are read with ``email.message.Message``'s own parameter functions
(``get_param``, ``get_filename``: quoting, RFC 2231), on the raw values when the lines are plain
(ASCII, unfolded, no quoted-pair, encoded word or comment: what every client sends), else through the
``email`` header parser with the HTTP policy. On plain lines both give the same values; the parser's
structured headers only cost ten times more.
"""

import base64
import binascii
import quopri
import re
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser

from bouquet.actes.protocol import ActesError, parse_archive_name

__all__ = ["UploadError", "parse_upload"]

_MAX_PARTS = 16
_MAX_PART_HEADERS = 16 * 1024
#: Header lines read without the ``email`` parser: a field name (RFC 5322: printable ASCII but ``:``)
#: and printable ASCII, without quoted-pairs, encoded words, comments or RFC 2231 parameters;
#: Content-Disposition and Content-Type as ``value; key=token; key="quoted"``, Content-Transfer-Encoding
#: a token. Anything else goes through the parser.
_PLAIN_LINE = re.compile(r"([\x21-\x39\x3b-\x7e]+):[ \t]*([\x20-\x7e\t]*)")
_NOT_PLAIN = re.compile(r"[\\()*<>]|=\?")
_TOKEN = r"[!#$%&+\-.^_`|~0-9A-Za-z]+"
_PLAIN_VALUES = {
    "content-disposition": re.compile(
        rf'{_TOKEN}(?:/{_TOKEN})?(?:;[ \t]*{_TOKEN}=(?:{_TOKEN}|"[^"]*"))*[ \t]*'
    ),
    "content-transfer-encoding": re.compile(rf"{_TOKEN}[ \t]*"),
}
_PLAIN_VALUES["content-type"] = _PLAIN_VALUES["content-disposition"]


class UploadError(ValueError):
    """Not a valid upload (answered 400); the message is French, for the log and the response body."""


@dataclass(frozen=True)
class _Part:
    """A part of the body: its headers, its file name, and where its content lies in the body."""

    headers: Message
    filename: str | None  # ``get_filename``: Content-Disposition ``filename``, else Content-Type ``name``
    start: int
    end: int


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


def _split(body: bytes, boundary: bytes) -> list[tuple[int, int]]:
    """Where the parts lie between the delimiters (RFC 2046 §5.1.1: preamble and epilogue ignored)."""
    delimiter = b"--" + boundary
    separator = b"\r\n" + delimiter
    if body.startswith(delimiter):
        position = len(delimiter)
    else:
        found = body.find(separator)
        if found < 0:
            raise UploadError("Envoi refusé : corps multipart illisible.")
        position = found + len(separator)
    parts: list[tuple[int, int]] = []
    while not body.startswith(b"--", position):  # "--" after a delimiter closes the body
        line_end = body.find(b"\r\n", position)
        if line_end < 0 or body[position:line_end].strip(b" \t"):
            raise UploadError("Envoi refusé : corps multipart illisible.")
        start = line_end + 2
        end = body.find(separator, start)
        if end < 0 or len(parts) >= _MAX_PARTS:
            raise UploadError("Envoi refusé : corps multipart illisible (fin absente).")
        parts.append((start, end))
        position = end + len(separator)
    return parts


def _plain_headers(block: bytes) -> Message | None:
    """The header lines as a compat32 message holding the raw values, or None when not plain."""
    if not block.isascii():
        return None
    headers = Message()
    for line in block.decode("ascii").split("\r\n"):
        found = _PLAIN_LINE.fullmatch(line)
        if found is None or _NOT_PLAIN.search(line):
            return None
        name, value = found.groups()  # the value as the HTTP policy keeps it (header_source_parse)
        syntax = _PLAIN_VALUES.get(name.lower())
        if syntax is not None and not syntax.fullmatch(value):
            return None
        headers[name] = value
    return headers


def _part(body: bytes, start: int, end: int) -> _Part:
    """The part's headers and where its content starts."""
    if body.startswith(b"\r\n", start, end):
        return _Part(Message(), None, start + 2, end)
    stop = body.find(b"\r\n\r\n", start, min(end, start + _MAX_PART_HEADERS))
    if stop < 0:
        raise UploadError("Envoi refusé : en-têtes de partie multipart illisibles.")
    headers = _plain_headers(body[start:stop])
    if headers is None:
        headers = BytesHeaderParser(policy=policy.HTTP).parsebytes(body[start : stop + 4])
    return _Part(headers, headers.get_filename(), stop + 4, end)


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
    parts = [_part(body, start, end) for start, end in _split(body, _boundary(content_type))]
    if not parts:
        raise UploadError("Envoi refusé : corps multipart illisible.")
    files = [p for p in parts if p.filename is not None] or parts
    if len(files) != 1:
        raise UploadError(f"Envoi refusé : un seul fichier attendu, {len(files)} reçu(s).")
    part = files[0]
    field = part.headers.get_param("name", header="content-disposition")
    candidates = [field if isinstance(field, str) else None, part.filename]
    name = next((c for c in candidates if _valid_name(c)), None)
    if name is None:
        raise UploadError(
            f"Envoi refusé : nom d'archive invalide ({candidates[0]!r}), "
            "attendu <trigramme>-EACT--<SIREN>--<AAAAMMJJ>-<n>.tar.gz."
        )
    data = _decode(part.headers, body[part.start : part.end])
    if not data:
        raise UploadError("Envoi refusé : fichier vide.")
    return name, data
