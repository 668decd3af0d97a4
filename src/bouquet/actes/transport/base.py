"""The transport interfaces of ACTES: one outbound client (HTTPS to the ministry), one inbox (e-mail back).

Plain Python. Errors say whether a retry can help (healthchecks' ``TransportError``); the retry loop
itself belongs to the task layer, which uses :func:`backoff_delay`.
"""

import hashlib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesHeaderParser
from typing import Protocol, runtime_checkable

__all__ = [
    "InboundMail",
    "Inbox",
    "MinistryClient",
    "TransportError",
    "backoff_delay",
    "mail_key",
]

_MAX_MESSAGE_ID = 250  # longer Message-IDs are replaced by the content hash, so keys fit a DB column


class TransportError(Exception):
    """A transfer failed; ``permanent`` tells the caller that retrying the same thing cannot succeed."""

    def __init__(self, message: str, *, permanent: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.status = status  # HTTP status when the server answered, else None


@runtime_checkable
class MinistryClient(Protocol):
    """Sends one ACTES archive to the ministry; returns only once the ministry accepted it."""

    def send(self, archive_name: str, data: bytes) -> None: ...


@dataclass(frozen=True)
class InboundMail:
    """One mail of the inbox, untouched until the caller marks it.

    ``key`` is the Message-ID (or ``sha256:<hex>`` of the raw bytes without one): the caller stores it
    to apply a mail once even if it is fetched again after a crash. ``uid`` locates the mail in its
    inbox (IMAP UID or Maildir key).
    """

    key: str
    uid: str
    raw: bytes = field(repr=False)
    sha256: str


@runtime_checkable
class Inbox(Protocol):
    """A mailbox read by the worker. Mails stay in place until ``mark_processed``/``mark_error``.

    The caller commits the mail's effect first, then marks it: a crash in between makes the mail
    come back, and its ``key`` lets the caller recognise it.
    """

    def fetch(self) -> Iterator[InboundMail]: ...

    def mark_processed(self, mail: InboundMail) -> None: ...

    def mark_error(self, mail: InboundMail, reason: str) -> None: ...


def mail_key(raw: bytes, sha256: str | None = None) -> str:
    """The Message-ID of ``raw``, or ``sha256:<hex>`` of the bytes when it is absent or unusable."""
    digest = sha256 or hashlib.sha256(raw).hexdigest()
    headers = BytesHeaderParser(policy=policy.default).parsebytes(raw)
    try:
        message_id = str(headers.get("Message-ID") or "").strip()
    except (ValueError, TypeError, IndexError):  # a malformed header must not stop the inbox
        message_id = ""
    if not message_id or len(message_id) > _MAX_MESSAGE_ID:
        return f"sha256:{digest}"
    return message_id


def backoff_delay(
    attempt: int, *, base: float = 30, cap: float = 3600, jitter: Callable[[], float] = random.random
) -> float:
    """Seconds to wait before retry number ``attempt`` (1, 2, …): exponential, capped, "equal jitter".

    The delay lies in ``[d/2, d]`` with ``d = min(cap, base * 2**(attempt-1))``: half is kept so the
    delay still grows, half is random so many failed transmissions do not retry in one burst.
    """
    if attempt < 1:
        raise ValueError("attempt starts at 1")
    ceiling = min(cap, base * 2 ** min(attempt - 1, 64))
    return ceiling / 2 + ceiling / 2 * min(max(jitter(), 0.0), 1.0)
