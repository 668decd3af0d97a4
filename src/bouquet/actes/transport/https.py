"""Outbound ACTES transport: one multipart POST per archive, as S²LOW's ``ActesFileSender`` does.

Built on ``http.client`` + ``ssl`` rather than ``requests`` so that the ministry's pinned certificate
is compared right after the TLS handshake, before a single byte of the archive leaves the machine.
"""

import hashlib
import http.client
import logging
import re
import secrets
import socket
import ssl
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from .base import TransportError

__all__ = ["HttpsMinistryClient", "load_certificate_der"]

log = logging.getLogger(__name__)

_ARCHIVE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$")
_EXCERPT = 200
# 4xx means "this request is wrong": the same archive will get the same answer, and retrying it
# for days would hide the problem and eat the transmission window. 408 (timeout), 425 (too early)
# and 429 (rate limit) say "later" instead. S²LOW retries everything; we stop and let an operator
# re-send once the cause (archive, account, URL) is fixed.
_RETRYABLE_4XX = {408, 425, 429}


def load_certificate_der(path: Path) -> bytes:
    """The first certificate of a PEM or DER file, as DER."""
    data = Path(path).read_bytes()
    if b"-----BEGIN CERTIFICATE-----" in data:
        start = data.index(b"-----BEGIN CERTIFICATE-----")
        end = data.index(b"-----END CERTIFICATE-----", start) + len(b"-----END CERTIFICATE-----")
        return ssl.PEM_cert_to_DER_cert(data[start:end].decode("ascii"))
    return data


class HttpsMinistryClient:
    """POSTs archives to the ministry's @ctes endpoint with a client certificate.

    With ``server_cert_pin`` the peer's leaf certificate must equal that file (host name not checked,
    chain checked only if ``ca_file`` is also given), as S²LOW pins the ministry's certificate.
    Without a pin, the usual CA and host name verification applies (``ca_file`` or the system store).
    Each ``send`` makes one attempt: the caller retries, with :func:`backoff_delay`.
    """

    def __init__(
        self,
        url: str,
        *,
        client_cert: Path | None,
        client_key: Path | None,
        server_cert_pin: Path | None = None,
        ca_file: Path | None = None,
        client_key_password: str | None = None,
        connect_timeout: float = 60,
        total_timeout: float = 180,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError(f"URL du ministère invalide : {url!r}")
        if parts.scheme == "http" and (server_cert_pin or client_cert):
            raise ValueError("Un certificat (client ou épinglé) exige une URL https.")
        self.url = url
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.connect_timeout = connect_timeout
        self.total_timeout = max(total_timeout, connect_timeout)
        self.pin = load_certificate_der(server_cert_pin) if server_cert_pin else None
        self.context = self._context(client_cert, client_key, client_key_password, ca_file)
        if parts.scheme == "http":
            self.context = None
        # The TLS session of the last exchange that went through: the next connection resumes it
        # (no new key exchange nor certificate signatures, on either side). The pin is checked on
        # every connection all the same: a resumed session still carries the peer's certificate.
        self._session: ssl.SSLSession | None = None

    def _context(
        self, cert: Path | None, key: Path | None, password: str | None, ca_file: Path | None
    ) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        if self.pin is not None:
            context.check_hostname = False  # the pin identifies the server better than its name
            if ca_file is None:
                context.verify_mode = ssl.CERT_NONE  # the pin is the whole check
        if cert:
            context.load_cert_chain(str(cert), str(key) if key else None, password=password)
        return context

    def send(self, archive_name: str, data: bytes) -> None:
        """One attempt to deliver ``data``; returns only on HTTP 200.

        :raises TransportError: refused, unreachable, timed out or unexpected answer.
        """
        if not _ARCHIVE_NAME.match(archive_name):
            raise ValueError(f"Nom d'archive invalide : {archive_name!r}")
        body, content_type = _multipart(archive_name, data)
        started = time.monotonic()
        connection = self._connection()
        expired = threading.Event()
        timer = threading.Timer(self.total_timeout, _abort, args=(connection, expired))
        timer.daemon = True
        timer.start()
        try:
            status, excerpt = self._exchange(connection, body, content_type)
        except TransportError:
            raise
        except (OSError, http.client.HTTPException) as exc:
            if expired.is_set():
                raise TransportError(
                    f"Délai total de {self.total_timeout:g} s dépassé pour l'envoi au ministère.",
                    permanent=False,
                ) from exc
            raise TransportError(
                f"Envoi au ministère impossible : {_describe(exc)}", permanent=False
            ) from exc
        finally:
            timer.cancel()
            connection.close()
        elapsed = time.monotonic() - started
        log.info("ACTES %s (%d octets) → HTTP %s en %.1f s", archive_name, len(data), status, elapsed)
        if status != 200:
            permanent = 400 <= status < 500 and status not in _RETRYABLE_4XX
            raise TransportError(
                f"Le ministère a répondu HTTP {status} : {excerpt}", permanent=permanent, status=status
            )

    def _connection(self) -> http.client.HTTPConnection:
        if self.context is None:
            return http.client.HTTPConnection(self.host, self.port, timeout=self.connect_timeout)
        return http.client.HTTPSConnection(
            self.host, self.port, timeout=self.connect_timeout, context=self.context
        )

    def _connect(self, connection: http.client.HTTPConnection) -> None:
        """TCP + TLS handshake, bounded by connect_timeout; resumes the last session when there is one."""
        if self.context is None:
            connection.connect()
            return
        sock = socket.create_connection((self.host, self.port), self.connect_timeout)
        try:
            connection.sock = self.context.wrap_socket(sock, server_hostname=self.host, session=self._session)
        except BaseException:
            sock.close()
            raise

    def _exchange(
        self, connection: http.client.HTTPConnection, body: bytes, content_type: str
    ) -> tuple[int, str]:
        self._connect(connection)
        tls = connection.sock
        if self.pin is not None:
            peer = connection.sock.getpeercert(binary_form=True)
            if peer != self.pin:
                raise TransportError(
                    "Le certificat présenté par le ministère ne correspond pas au certificat épinglé "
                    f"(SHA-256 reçu {_fingerprint(peer)}, attendu {_fingerprint(self.pin)}) : "
                    "archive non envoyée.",
                    permanent=False,  # a certificate renewal: the archive is fine, retry once re-pinned
                )
        connection.sock.settimeout(self.total_timeout)  # the watchdog bounds the sum of all operations
        connection.request(
            "POST", self.path, body=body, headers={"Content-Type": content_type, "Connection": "close"}
        )
        response = connection.getresponse()
        # TLS 1.3 tickets arrive after the handshake, before the answer: take the session now, while
        # the socket is open (it closes with the last byte of the answer).
        session = tls.session if isinstance(tls, ssl.SSLSocket) else None
        text = response.read(64 * 1024).decode("utf-8", "replace")
        if session is not None:
            self._session = session
        return response.status, " ".join(text.split())[:_EXCERPT]


def _multipart(archive_name: str, data: bytes) -> tuple[bytes, str]:
    """One file part whose field name and file name are both the archive name (what @ctes expects)."""
    boundary = "bouquet-" + secrets.token_hex(16)
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="{archive_name}"; filename="{archive_name}"\r\n'
        "Content-Type: application/x-gzip\r\n\r\n"
    ).encode("ascii")
    return head + data + f"\r\n--{boundary}--\r\n".encode(
        "ascii"
    ), f"multipart/form-data; boundary={boundary}"


def _abort(connection: http.client.HTTPConnection, expired: threading.Event) -> None:
    """Watchdog of the total timeout: shutting the socket down unblocks any pending read or write."""
    expired.set()
    sock = connection.sock
    if sock is not None:
        try:
            socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the raw socket, not SSLSocket's own state
        except OSError:
            pass


def _fingerprint(der: bytes | None) -> str:
    return hashlib.sha256(der or b"").hexdigest()[:16]


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connexion refusée"
    if isinstance(exc, TimeoutError):
        return "délai de connexion dépassé"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"certificat du serveur refusé ({exc.verify_message})"
    return f"{type(exc).__name__}: {exc}"
