"""How the ministry answers: one e-mail of loose attachments, delivered to a Maildir or over SMTP.

The recipient in the headers is the TdT address of the envelope; the mail always goes to the configured
destination (a test Maildir, a local SMTP sink), never to the real address.

The mail is written out as bytes directly, in the layout the ``email.mime`` classes and the compat32
generator give (same headers in the same order, same folding, base64 in 76-character lines), which
costs a fraction of a generator flatten. Only the subject differs when it is not ASCII: RFC 2047 words
of at most one line each, instead of the generator's character-by-character search for the shortest
encoding.
"""

import base64
import mailbox
import re
import secrets
import smtplib
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from email import policy
from email.utils import formatdate, quote
from html import escape
from pathlib import Path
from urllib.parse import quote as percent_encode
from urllib.parse import urlsplit

__all__ = ["Attachment", "Mail", "Mailer", "build_mail", "DEFAULT_SENDER"]

DEFAULT_SENDER = "actes@simulateur-prefecture.test"
MAIL_DOMAIN = "simulateur-prefecture.test"

_MAX_LINE = 78  # what the compat32 generator folds at
#: A header value written as is when it fits on its line: printable ASCII words, single spaces.
_PLAIN = re.compile(r"[\x21-\x7e]+(?: [\x21-\x7e]+)*")
_WORD = re.compile(r"[\x21-\x7e]+")
#: RFC 2047 "Q" encoding of one byte (what ``email.quoprimime`` writes in headers).
_Q_SAFE = b"-!*+/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_Q = [chr(b) if b in _Q_SAFE else f"={b:02X}" for b in range(256)]
_Q[ord(" ")] = "_"
_Q_WORD = "=?utf-8?q?{}?="
_BOUNDARY_DIGITS = len(repr(sys.maxsize - 1))  # as email.generator.Generator._make_boundary


@dataclass(frozen=True)
class Attachment:
    """A loose file of the answer (envelope, message XML, PDF)."""

    name: str
    data: bytes

    @property
    def content_type(self) -> tuple[str, str]:
        return ("application", "pdf") if self.name.lower().endswith(".pdf") else ("application", "xml")


@dataclass(frozen=True)
class Mail:
    """A mail ready to go: its envelope addresses, its Message-ID and its bytes (LF line ends)."""

    sender: str
    recipient: str
    message_id: str
    data: bytes = field(repr=False)

    def __bytes__(self) -> bytes:
        return self.data


def _header(name: str, value: str) -> str:
    """``name: value`` folded at 78 characters as the compat32 generator does."""
    if len(name) + 2 + len(value) <= _MAX_LINE and _PLAIN.fullmatch(value):
        return f"{name}: {value}\n"
    head, separator, tail = value.partition("; ")
    if (
        separator
        and len(name) + 3 + len(head) <= _MAX_LINE
        and len(tail) < _MAX_LINE
        and _WORD.fullmatch(head)
        and _WORD.fullmatch(tail)
    ):  # the generator's fold for "attachment; filename=…": after the semicolon
        return f"{name}: {head};\n {tail}\n"
    # Long or unusual values: the generator's own folding (RFC 2047 for non-ASCII, as it did).
    return policy.compat32.fold_binary(name, value).decode("ascii", "surrogateescape")


def _subject(subject: str) -> str:
    """The Subject header: as is when ASCII, else RFC 2047 "Q" words in UTF-8, one per line."""
    if subject.isascii():
        return _header("Subject", subject)
    words: list[str] = []
    current: list[str] = []
    size, budget = 0, _MAX_LINE - len("Subject: ") - len(_Q_WORD.format(""))
    for character in subject:
        encoded = "".join(_Q[b] for b in character.encode("utf-8"))
        if current and size + len(encoded) > budget:
            words.append(_Q_WORD.format("".join(current)))
            current, size, budget = [], 0, _MAX_LINE - 1 - len(_Q_WORD.format(""))
        current.append(encoded)
        size += len(encoded)
    words.append(_Q_WORD.format("".join(current)))
    return "Subject: " + "\n ".join(words) + "\n"


def build_mail(
    *,
    recipient: str,
    subject: str,
    body: str,
    attachments: Sequence[Attachment],
    sender: str = DEFAULT_SENDER,
) -> Mail:
    """A multipart mail with an HTML body (S²LOW keeps it as ``message_body.html``) and the files.

    ``multipart/mixed``: a base64 ``text/html`` UTF-8 body, then each file base64 with its name in
    ``Content-Disposition`` (RFC 2231 ``filename*=`` when not ASCII). The boundary cannot occur in
    the parts: every line of them is a header or base64, and base64 has no ``-``.
    """
    boundary = "=" * 15 + f"{secrets.randbelow(sys.maxsize):0{_BOUNDARY_DIGITS}d}" + "=="
    message_id = f"<{uuid.uuid4().hex}@{MAIL_DOMAIN}>"  # short: a folded Message-ID reads badly
    head = "".join(
        (
            _header("Content-Type", f'multipart/mixed; boundary="{boundary}"'),
            "MIME-Version: 1.0\n",
            _header("From", sender),
            _header("To", recipient),
            _subject(subject),
            _header("Date", formatdate(localtime=True)),
            _header("Message-ID", message_id),
            f"\n--{boundary}\n",
            'Content-Type: text/html; charset="utf-8"\nMIME-Version: 1.0\n',
            "Content-Transfer-Encoding: base64\n\n",
        )
    )
    html = f"<html><body><p>{escape(body)}</p></body></html>\n".encode()
    chunks = [head.encode("ascii", "surrogateescape"), base64.encodebytes(html)]
    for attachment in attachments:
        name = attachment.name
        if not name:
            disposition = "attachment; filename"  # email.message._formatparam on an empty value
        elif name.isascii():
            disposition = f'attachment; filename="{quote(name)}"'
        else:
            disposition = f"attachment; filename*=utf-8''{percent_encode(name, safe='', encoding='utf-8')}"
        part = "".join(
            (
                f"\n--{boundary}\n",
                f"Content-Type: {'/'.join(attachment.content_type)}\n",
                "MIME-Version: 1.0\nContent-Transfer-Encoding: base64\n",
                _header("Content-Disposition", disposition),
                "\n",
            )
        )
        chunks += (part.encode("ascii", "surrogateescape"), base64.encodebytes(attachment.data))
    chunks.append(f"\n--{boundary}--\n".encode("ascii"))
    return Mail(sender, recipient, message_id, b"".join(chunks))


class Mailer:
    """Delivers mails to ``maildir:///absolute/path`` or ``smtp://host:port``."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.url = url
        self.scheme = parts.scheme
        if parts.scheme == "maildir":
            if not parts.path.startswith("/"):
                raise ValueError(f"Chemin de Maildir absolu attendu : {url!r}")
            self.path = Path(parts.path)
        elif parts.scheme == "smtp":
            if not parts.hostname:
                raise ValueError(f"Hôte SMTP manquant : {url!r}")
            self.host, self.port = parts.hostname, parts.port or 25
        else:
            raise ValueError(f"Destination inconnue : {url!r} (maildir:///chemin ou smtp://hôte:port)")

    def deliver(self, mail: Mail, copies: int = 1) -> None:
        """Deliver ``copies`` identical copies (same bytes, same Message-ID)."""
        for _ in range(copies):
            if self.scheme == "maildir":
                for sub in ("tmp", "new", "cur"):  # Maildir(create=True) skips an existing empty folder
                    (self.path / sub).mkdir(parents=True, exist_ok=True)
                box = mailbox.Maildir(self.path, create=False)  # the Maildir root is the INBOX
                box.add(mail.data)  # the bytes as they are, into new/ (no parse and re-serialisation)
            else:
                with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
                    smtp.sendmail(mail.sender, [mail.recipient], mail.data)
