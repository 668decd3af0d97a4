"""The IMAP inbox where the ministry's answers arrive (S²LOW's ``ActesImapRetrieve``, made crash-safe).

S²LOW deletes each mail once saved to disk; here a mail is read with ``BODY.PEEK[]`` (nothing is
flagged) and moved away only when the caller says its effect is committed. A crash in between leaves
the mail in the inbox, to be fetched again and recognised by its key.
"""

import hashlib
import imaplib
import logging
import re
import ssl
from collections.abc import Iterator

from .base import InboundMail, TransportError, mail_key

__all__ = ["ImapInbox"]

log = logging.getLogger(__name__)

_FOLDER = re.compile(r"^[A-Za-z0-9 ._-]{1,100}$")  # plain ASCII: no modified UTF-7 to get wrong
_ERRORS = (imaplib.IMAP4.error, OSError, EOFError)  # IMAP4.abort derives from IMAP4.error


def _quote(folder: str) -> str:
    return '"' + folder + '"'


class ImapInbox:
    """Reads ``folder`` and moves handled mails to ``processed`` or ``errors`` (created on first use)."""

    def __init__(
        self,
        host: str,
        port: int,
        user: str,
        password: str,
        *,
        folder: str = "INBOX",
        processed: str = "Traites",
        errors: str = "Erreurs",
        use_ssl: bool = False,
        starttls: bool = False,
        timeout: float = 30,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        for name in (folder, processed, errors):
            if not _FOLDER.match(name):
                raise ValueError(f"Nom de dossier IMAP non pris en charge : {name!r}")
        self.host, self.port, self.user, self.password = host, port, user, password
        self.folder, self.processed, self.errors = folder, processed, errors
        self.use_ssl, self.starttls, self.timeout = use_ssl, starttls, timeout
        self.ssl_context = ssl_context or ssl.create_default_context()
        self._conn: imaplib.IMAP4 | None = None
        self._uidvalidity: bytes | None = None
        self._created: set[str] = set()

    def fetch(self) -> Iterator[InboundMail]:
        """Every mail of the folder, oldest UID first, on a fresh connection.

        Mark each mail while iterating (the same connection is reused) or afterwards (a new one).

        :raises TransportError: connection lost or refused (permanent=False); nothing has moved.
        """
        self.close()
        try:
            conn = self._connect()
            typ, data = conn.uid("SEARCH", "ALL")
            self._check(typ, data, "SEARCH")
            uids = [uid.decode() for uid in (data[0] or b"").split()]
        except _ERRORS as exc:
            self.close()
            raise self._lost(exc) from exc
        try:
            for uid in uids:
                mail = self._fetch_one(uid)
                if mail is not None:
                    yield mail
        finally:
            self.close()

    def mark_processed(self, mail: InboundMail) -> None:
        """Move the mail to the processed folder; call it after committing its effect."""
        self._move(mail, self.processed)

    def mark_error(self, mail: InboundMail, reason: str) -> None:
        """Move the mail to the error folder (the reason is for the log: the caller stores it)."""
        log.warning("Courriel ACTES %s mis en erreur : %s", mail.key, reason)
        self._move(mail, self.errors)

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.logout()
            except (*_ERRORS, ssl.SSLError):
                pass

    # --- internals -------------------------------------------------------------------------------

    def _connect(self) -> imaplib.IMAP4:
        if self.use_ssl:
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                self.host, self.port, ssl_context=self.ssl_context, timeout=self.timeout
            )
        else:
            conn = imaplib.IMAP4(self.host, self.port, timeout=self.timeout)
            if self.starttls:
                conn.starttls(self.ssl_context)
        self._conn = conn
        conn.login(self.user, self.password)
        typ, data = conn.select(_quote(self.folder))
        self._check(typ, data, "SELECT")
        values = conn.response("UIDVALIDITY")[1]  # imaplib keeps the [UIDVALIDITY n] code of SELECT
        uidvalidity = values[-1] if values and isinstance(values[-1], bytes) else None
        if self._uidvalidity is not None and uidvalidity != self._uidvalidity:
            log.warning("UIDVALIDITY de %s a changé : UID précédents invalides", self.folder)
        self._uidvalidity = uidvalidity
        self._created.clear()
        return conn

    def _fetch_one(self, uid: str) -> InboundMail | None:
        try:
            if self._conn is None:
                raise imaplib.IMAP4.abort("connexion fermée pendant la lecture")
            typ, data = self._conn.uid("FETCH", uid, "(BODY.PEEK[])")
            self._check(typ, data, "FETCH")
        except _ERRORS as exc:
            self.close()
            raise self._lost(exc) from exc
        raw = next((item[1] for item in data if isinstance(item, tuple)), None)
        if raw is None:
            return None  # expunged by someone else meanwhile
        digest = hashlib.sha256(raw).hexdigest()
        return InboundMail(key=mail_key(raw, digest), uid=uid, raw=raw, sha256=digest)

    def _move(self, mail: InboundMail, target: str) -> None:
        try:
            previous = self._uidvalidity
            conn = self._conn or self._connect()
            if previous is not None and self._uidvalidity != previous:
                raise TransportError("UIDVALIDITY a changé : courriel laissé en place.", permanent=False)
            self._ensure(conn, target)
            capabilities = self._capabilities(conn)
            if "MOVE" in capabilities:
                self._check(*conn.uid("MOVE", mail.uid, _quote(target)), "MOVE")
            else:  # RFC 3501 fallback; UID EXPUNGE (UIDPLUS) spares other mails flagged \Deleted
                self._check(*conn.uid("COPY", mail.uid, _quote(target)), "COPY")
                self._check(*conn.uid("STORE", mail.uid, "+FLAGS.SILENT", r"(\Deleted)"), "STORE")
                if "UIDPLUS" in capabilities:
                    self._check(*conn.uid("EXPUNGE", mail.uid), "EXPUNGE")
                else:
                    self._check(*conn.expunge(), "EXPUNGE")
        except _ERRORS as exc:
            self.close()
            raise self._lost(exc) from exc

    def _ensure(self, conn: imaplib.IMAP4, folder: str) -> None:
        if folder in self._created:
            return
        typ, data = conn.create(_quote(folder))
        if typ != "OK" and b"ALREADYEXISTS" not in b" ".join(d for d in data if isinstance(d, bytes)):
            typ, data = conn.list("", _quote(folder))  # servers without RFC 5530 codes
            if not any(isinstance(d, bytes) for d in data):
                raise TransportError(f"Création du dossier IMAP {folder!r} impossible.", permanent=False)
        self._created.add(folder)

    @staticmethod
    def _capabilities(conn: imaplib.IMAP4) -> set[str]:
        # Pre-login capabilities lack MOVE on most servers: ask again once authenticated.
        typ, data = conn.capability()
        return {c.upper() for c in (data[0] or b"").decode().split()} if typ == "OK" else set()

    @staticmethod
    def _check(typ: str, data: list, command: str) -> None:
        if typ != "OK":
            detail = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
            raise imaplib.IMAP4.error(f"{command}: {typ} {detail}")

    def _lost(self, exc: BaseException) -> TransportError:
        reason = "délai dépassé" if isinstance(exc, TimeoutError) else str(exc) or type(exc).__name__
        return TransportError(f"Boîte IMAP {self.host}:{self.port} : {reason}", permanent=False)
