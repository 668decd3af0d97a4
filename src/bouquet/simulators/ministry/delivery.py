"""How the ministry answers: one e-mail of loose attachments, delivered to a Maildir or over SMTP.

The recipient in the headers is the TdT address of the envelope; the mail always goes to the configured
destination (a test Maildir, a local SMTP sink), never to the real address.
"""

import mailbox
import smtplib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from email.header import Header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["Attachment", "Mailer", "build_mail", "DEFAULT_SENDER"]

DEFAULT_SENDER = "actes@simulateur-prefecture.test"
MAIL_DOMAIN = "simulateur-prefecture.test"


@dataclass(frozen=True)
class Attachment:
    """A loose file of the answer (envelope, message XML, PDF)."""

    name: str
    data: bytes

    @property
    def content_type(self) -> tuple[str, str]:
        return ("application", "pdf") if self.name.lower().endswith(".pdf") else ("application", "xml")


def build_mail(
    *,
    recipient: str,
    subject: str,
    body: str,
    attachments: Sequence[Attachment],
    sender: str = DEFAULT_SENDER,
) -> Message:
    """A multipart mail with an HTML body (S²LOW keeps it as ``message_body.html``) and the files.

    Built with the ``email.mime`` classes (base64 parts, RFC 2047 subject): the same MIME structure
    as ``EmailMessage`` gives, without re-parsing every header it sets.
    """
    mail = MIMEMultipart("mixed")
    mail["From"] = sender
    mail["To"] = recipient
    mail["Subject"] = subject if subject.isascii() else Header(subject, "utf-8")
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = f"<{uuid.uuid4().hex}@{MAIL_DOMAIN}>"  # short: a folded Message-ID reads badly
    mail.attach(MIMEText(f"<html><body><p>{escape(body)}</p></body></html>\n", "html", "utf-8"))
    for attachment in attachments:
        part = MIMEApplication(attachment.data, attachment.content_type[1])
        name = attachment.name if attachment.name.isascii() else ("utf-8", "", attachment.name)
        part.add_header("Content-Disposition", "attachment", filename=name)
        mail.attach(part)
    return mail


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

    def deliver(self, mail: Message, copies: int = 1) -> None:
        """Deliver ``copies`` identical copies (same bytes, same Message-ID)."""
        data = bytes(mail)
        for _ in range(copies):
            if self.scheme == "maildir":
                for sub in ("tmp", "new", "cur"):  # Maildir(create=True) skips an existing empty folder
                    (self.path / sub).mkdir(parents=True, exist_ok=True)
                box = mailbox.Maildir(self.path, create=False)  # the Maildir root is the INBOX
                box.add(data)  # the bytes as they are, into new/ (no parse and re-serialisation)
            else:
                with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
                    smtp.sendmail(str(mail["From"]), [str(mail["To"])], data)
