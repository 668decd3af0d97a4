"""A Maildir inbox: the embedded default (the local MTA delivers the ministry's mails into it).

Same contract as :class:`~.imap.ImapInbox`: mails stay in the inbox until marked; marking renames
the file into the ``.Traites`` or ``.Erreurs`` sub-folder (one atomic ``rename``: never lost, never twice).
"""

import contextlib
import fcntl
import hashlib
import logging
import mailbox
import os
from collections.abc import Iterator
from pathlib import Path

from .base import InboundMail, TransportError, mail_key

__all__ = ["MaildirInbox"]

log = logging.getLogger(__name__)


class MaildirInbox:
    """Reads the Maildir at ``path`` (created if missing) and files handled mails in sub-folders."""

    def __init__(self, path: Path | str, *, processed: str = "Traites", errors: str = "Erreurs") -> None:
        self.path = Path(path)
        self.processed, self.errors = processed, errors
        self._folders: set[str] = set()  # sub-folders known to exist

    def _inbox(self) -> mailbox.Maildir:
        try:
            # Maildir(create=True) makes only the last folder, and nothing in a folder that exists: the
            # parents may not exist yet, and the MTA may be making the sub-folders at this very moment.
            for sub in ("tmp", "new", "cur"):
                (self.path / sub).mkdir(parents=True, exist_ok=True)
            return mailbox.Maildir(self.path, factory=None, create=True)
        except OSError as exc:
            raise TransportError(f"Maildir {self.path} illisible : {exc}", permanent=False) from exc

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[bool]:
        """Hold the inbox for one pass, without waiting: True when this poller has it.

        Workers running side by side take turns instead of reading the same mails at the same time
        (which would be safe, each mail being applied once, but wasted work). A non-blocking
        ``flock`` on ``.bouquet-poll.lock``, released by the kernel if the worker dies.
        """
        self._inbox()
        try:
            handle = open(self.path / ".bouquet-poll.lock", "a+b")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise TransportError(f"Maildir {self.path} non modifiable : {exc}", permanent=False) from exc
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def fetch(self) -> Iterator[InboundMail]:
        """Every mail of the inbox (``new`` and ``cur``), oldest key first; ``tmp`` is still being written."""
        inbox = self._inbox()
        try:
            keys = sorted(inbox.keys())
        except OSError as exc:
            raise TransportError(f"Maildir {self.path} illisible : {exc}", permanent=False) from exc
        for key in keys:
            try:
                raw = inbox.get_bytes(key)
            except KeyError:
                continue  # moved by a concurrent worker
            except OSError as exc:
                raise TransportError(f"Lecture de {key} impossible : {exc}", permanent=False) from exc
            digest = hashlib.sha256(raw).hexdigest()
            yield InboundMail(key=mail_key(raw, digest), uid=key, raw=raw, sha256=digest)

    def mark_processed(self, mail: InboundMail) -> None:
        """Move the mail to ``.Traites``; call it after committing its effect."""
        self._move(mail, self.processed)

    def mark_error(self, mail: InboundMail, reason: str) -> None:
        """Move the mail to ``.Erreurs`` (the caller stores the reason)."""
        log.warning("Courriel ACTES %s mis en erreur : %s", mail.key, reason)
        self._move(mail, self.errors)

    def _move(self, mail: InboundMail, folder: str) -> None:
        try:
            if folder not in self._folders:  # checked once per inbox object, not once per mail
                self._inbox().add_folder(folder)  # idempotent; Maildir++ names the folder ".<name>"
                self._folders.add(folder)
            target = self.path / f".{folder}"
            source = self._locate(mail.uid)
            if source is None:
                raise TransportError(f"Courriel {mail.uid} absent de la boîte.", permanent=True)
            os.rename(source, target / source.parent.name / source.name)
        except OSError as exc:
            self._folders.clear()  # a folder removed meanwhile is made again on the next try
            raise TransportError(f"Déplacement de {mail.uid} impossible : {exc}", permanent=False) from exc

    def _locate(self, key: str) -> Path | None:
        if not key or "/" in key or key.startswith("."):
            return None
        fresh = self.path / "new" / key  # where a mail never read by a mail client stays
        if fresh.exists():
            return fresh
        for sub in ("new", "cur"):
            for entry in os.scandir(self.path / sub):
                if entry.name == key or entry.name.startswith(key + ":"):
                    return Path(entry.path)
        return None
