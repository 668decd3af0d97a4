"""Reading the ministry's mails: their attachments (the loose @ctes files) and the multi-channel notice.

Attachments are returned as the exact decoded bytes: XML keeps its own encoding declaration and the
protocol parser handles it (S²LOW converted UTF-8 to ISO-8859-1 here; we do not re-encode).
"""

import html
import re
from dataclasses import dataclass, field
from email import policy
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser

from .base import TransportError

__all__ = [
    "MAX_ATTACHMENTS_BYTES",
    "MULTICHANNEL_NOTICE",
    "Attachment",
    "MailError",
    "extract_attachments",
    "is_multichannel_notice",
    "read_mail",
    "safe_filename",
]

MAX_ATTACHMENTS_BYTES = 200 * 1024 * 1024  # above S²LOW's 150 MiB archive limit, below memory trouble
MULTICHANNEL_NOTICE = (
    "Notre service de contrôle de légalité a identifié qu'il s'agit d'un acte dont la transmission "
    "est effectuée en multi canal."
)
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f]")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_BEFORE_PUNCTUATION = re.compile(r" ([.,;:!?])")


class MailError(TransportError):
    """The mail itself cannot be read: it will never succeed, so it goes to the error folder."""

    def __init__(self, message: str) -> None:
        super().__init__(message, permanent=True)


@dataclass(frozen=True)
class Attachment:
    """One attached file: a safe base name, its decoded bytes and its declared MIME type."""

    filename: str
    content: bytes = field(repr=False)
    content_type: str


def safe_filename(name: str | None) -> str:
    """The base name of an attachment, or :class:`MailError` for a name that tries to leave its folder."""
    name = (name or "").strip()
    if not name:
        raise MailError("Pièce jointe sans nom de fichier.")
    if _FORBIDDEN.search(name):
        raise MailError(f"Nom de pièce jointe avec des caractères de contrôle : {name!r}.")
    parts = re.split(r"[/\\]", name)
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise MailError(f"Nom de pièce jointe absolu refusé : {name!r}.")
    if ".." in parts:
        raise MailError(f"Nom de pièce jointe remontant l'arborescence refusé : {name!r}.")
    base = parts[-1]
    if base in ("", "."):
        raise MailError(f"Nom de pièce jointe vide : {name!r}.")
    return base


def _parse(raw: bytes) -> Message:
    # compat32: headers stay strings, parsed only when asked. policy.default re-parses a structured
    # header object on every access (a few ms per mail); what we read is done by hand below.
    return BytesParser(policy=policy.compat32).parsebytes(raw)


def _filename(part: Message) -> str | None:
    """The part's file name: RFC 2231 (``filename*=``) decoded by ``get_filename``, RFC 2047 here."""
    name = part.get_filename()
    if name and "=?" in name:
        try:
            name = str(make_header(decode_header(name)))
        except (LookupError, UnicodeDecodeError, HeaderParseError):
            pass  # kept as written: safe_filename still checks it
    return name


def _text(part: Message) -> str:
    """A text body decoded with its charset (unknown charset: Latin-1; never fails)."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    try:
        return payload.decode(part.get_content_charset() or "us-ascii", errors="replace")
    except LookupError:
        return payload.decode("latin-1")


def extract_attachments(raw: bytes, *, max_total_bytes: int = MAX_ATTACHMENTS_BYTES) -> list[Attachment]:
    """Every part of the mail that carries a file name (or is marked ``attachment``), in mail order.

    :raises MailError: unsafe, missing or duplicate name; total size above ``max_total_bytes``.
    """
    return _attachments(_parse(raw), max_total_bytes)


def read_mail(raw: bytes, *, max_total_bytes: int = MAX_ATTACHMENTS_BYTES) -> tuple[list[Attachment], bool]:
    """:func:`extract_attachments` and :func:`is_multichannel_notice` from one parse of the mail.

    The attachments are read only when the mail is not a multi-channel notice (then they are ignored).
    :raises MailError: as :func:`extract_attachments`.
    """
    message = _parse(raw)
    if _multichannel(message):
        return [], True
    return _attachments(message, max_total_bytes), False


def _attachments(message: Message, max_total_bytes: int) -> list[Attachment]:
    attachments: list[Attachment] = []
    total = 0
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = _filename(part)
        if filename is None and part.get_content_disposition() != "attachment":
            continue  # a body (text or HTML), not a file
        name = safe_filename(filename)
        if any(a.filename == name for a in attachments):
            raise MailError(f"Deux pièces jointes portent le même nom : {name!r}.")
        content = part.get_payload(decode=True)
        content = content if isinstance(content, bytes) else b""
        total += len(content)
        if total > max_total_bytes:
            raise MailError(f"Pièces jointes trop volumineuses (plus de {max_total_bytes} octets).")
        attachments.append(Attachment(name, content, part.get_content_type()))
    return attachments


def _normalise(text: str) -> str:
    text = html.unescape(_TAG.sub(" ", text)).replace("\u2019", "'").replace("\xa0", " ")
    text = _SPACE.sub(" ", text).strip().casefold()
    return _BEFORE_PUNCTUATION.sub(r"\1", text)  # "<b>canal</b>." became "canal ." above


def is_multichannel_notice(raw: bytes) -> bool:
    """True when a text body carries the ministry's multi-channel sentence (S²LOW ignores such mails)."""
    return _multichannel(_parse(raw))


def _multichannel(message: Message) -> bool:
    needle = _normalise(MULTICHANNEL_NOTICE)
    for part in message.walk():
        if part.get_content_maintype() != "text" or part.get_filename():
            continue
        if needle in _normalise(_text(part)):
            return True
    return False
