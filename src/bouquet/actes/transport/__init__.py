"""ACTES transports: HTTPS to the ministry, e-mail (IMAP or Maildir) back from it.

Plain Python behind small interfaces (:mod:`.base`); only :func:`from_settings` reads Django settings.
The task layer calls ``client.send`` and iterates ``inbox.fetch()``; retries use :func:`backoff_delay`.
"""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .base import InboundMail, Inbox, MinistryClient, TransportError, backoff_delay, mail_key
from .https import HttpsMinistryClient
from .imap import ImapInbox
from .mail import (
    MULTICHANNEL_NOTICE,
    Attachment,
    MailError,
    extract_attachments,
    is_multichannel_notice,
    read_mail,
    safe_filename,
)
from .maildir import MaildirInbox
from .windows import WindowBudget

__all__ = [
    "MULTICHANNEL_NOTICE",
    "Attachment",
    "HttpsMinistryClient",
    "ImapInbox",
    "InboundMail",
    "Inbox",
    "MailError",
    "MaildirInbox",
    "MinistryClient",
    "TransportError",
    "Transports",
    "WindowBudget",
    "backoff_delay",
    "extract_attachments",
    "from_settings",
    "inbox_from_url",
    "is_multichannel_notice",
    "mail_key",
    "ministry_client_from_settings",
    "read_mail",
    "safe_filename",
]


@dataclass(frozen=True)
class Transports:
    """What the ACTES workers need, built once from the settings."""

    client: MinistryClient
    inbox: Inbox
    window: WindowBudget
    tdt_mail_address: str  # first of the envelope's AdressesRetour (spec 5.2)


def inbox_from_url(url: str) -> Inbox:
    """``maildir:///path``, ``imap://user:password@host:port/INBOX`` or ``imaps://…``.

    IMAP options as query parameters: ``starttls=1``, ``processed=Traites``, ``errors=Erreurs``,
    ``timeout=30``.
    """
    if url.startswith("maildir://"):
        path = unquote(url[len("maildir://") :])
        if not path:
            raise ValueError("ACTES_INBOX_URL : chemin Maildir manquant.")
        return MaildirInbox(Path(path))
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise ValueError(f"ACTES_INBOX_URL non prise en charge : {parts.scheme}://…")
    options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    return ImapInbox(
        parts.hostname,
        parts.port or (993 if parts.scheme == "imaps" else 143),
        unquote(parts.username or ""),
        unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
        processed=options.get("processed", "Traites"),
        errors=options.get("errors", "Erreurs"),
        use_ssl=parts.scheme == "imaps",
        starttls=options.get("starttls", "") in ("1", "true", "yes"),
        timeout=float(options.get("timeout", "30")),
    )


def _path(value: str) -> Path | None:
    return Path(value) if value else None


def ministry_client_from_settings() -> HttpsMinistryClient:
    from django.conf import settings

    return HttpsMinistryClient(
        settings.MINISTRY_ACTES_URL,
        client_cert=_path(settings.MINISTRY_CLIENT_CERT),
        client_key=_path(settings.MINISTRY_CLIENT_KEY),
        client_key_password=settings.MINISTRY_CLIENT_KEY_PASSWORD or None,
        server_cert_pin=_path(settings.MINISTRY_SERVER_CERT),
        ca_file=_path(settings.MINISTRY_CA_FILE),
        connect_timeout=settings.ACTES_SEND_CONNECT_TIMEOUT,
        total_timeout=settings.ACTES_SEND_TOTAL_TIMEOUT,
    )


def from_settings() -> Transports:
    """The client, the inbox and the window of this installation (reads ``django.conf.settings``)."""
    from django.conf import settings

    return Transports(
        client=ministry_client_from_settings(),
        inbox=inbox_from_url(settings.ACTES_INBOX_URL),
        window=WindowBudget(settings.ACTES_WINDOW_BYTES_PER_HOUR),
        tdt_mail_address=settings.ACTES_TDT_MAIL_ADDRESS,
    )
