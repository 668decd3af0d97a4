"""Outbound ACTES transport: one multipart POST per archive, as S²LOW's ``ActesFileSender`` does.

Built on ``http.client`` + ``ssl`` rather than ``requests`` so that the ministry's pinned certificate
is compared right after the TLS handshake, before a single byte of the archive leaves the machine.
Connections are kept alive (HTTP/1.1) and reused by later POSTs: a small pool of idle connections,
each used by one thread at a time.
"""

import hashlib
import http.client
import logging
import re
import secrets
import select
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
# How a server shows it closed a connection: what a reused idle connection may raise when the server
# closed it while it sat in the pool (RemoteDisconnected, an empty status line, is a ConnectionResetError).
_PEER_CLOSED = (ConnectionError, ssl.SSLEOFError, ssl.SSLZeroReturnError)


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
    Each ``send`` makes one attempt: the caller retries, with :func:`backoff_delay`. (The one exception:
    a reused idle connection found closed by the server before any answer is replaced at once by a
    new one, see :meth:`send`.)

    Thread-safe: connections kept alive wait in a pool (at most ``max_idle``, none idle for more than
    ``idle_timeout`` seconds), and each is used by one ``send`` at a time. :meth:`close` (or leaving a
    ``with`` block) closes the idle ones.
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
        idle_timeout: float = 30,
        max_idle: int = 8,
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
        # Shorter than the usual server-side keep-alive timeouts (the simulator's is 60 s); a server
        # that closes sooner is noticed before reuse (_dropped) or, in a race, by the resend in send().
        self.idle_timeout = idle_timeout
        self.max_idle = max_idle
        self.pin = load_certificate_der(server_cert_pin) if server_cert_pin else None
        self.context = self._context(client_cert, client_key, client_key_password, ca_file)
        if parts.scheme == "http":
            self.context = None
        # The TLS session of the last exchange that went through: the next connection resumes it
        # (no new key exchange nor certificate signatures, on either side). The pin is checked on
        # every connection all the same: a resumed session still carries the peer's certificate.
        self._session: ssl.SSLSession | None = None
        # Idle connections with the time they were put back, most recent last (reused first).
        self._idle: list[tuple[http.client.HTTPConnection, float]] = []
        self._lock = threading.Lock()
        self._closed = False

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

    def __enter__(self) -> "HttpsMinistryClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the idle connections; later sends still work, each on a connection of its own."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for connection, _ in idle:
            connection.close()

    def send(self, archive_name: str, data: bytes) -> None:
        """One attempt to deliver ``data``; returns only on HTTP 200.

        :raises TransportError: refused, unreachable, timed out or unexpected answer.
        """
        if not _ARCHIVE_NAME.match(archive_name):
            raise ValueError(f"Nom d'archive invalide : {archive_name!r}")
        body, content_type = _multipart(archive_name, data)
        started = time.monotonic()
        connection, reused = self._checkout()
        watchdog = _Watchdog(self.total_timeout)  # bounds the whole send, resend included
        reusable = False
        try:
            try:
                status, excerpt, reusable = self._exchange(connection, reused, body, content_type, watchdog)
            except _StaleConnection as stale:
                # The server closed this idle connection (its keep-alive timeout, a restart) while it
                # sat in the pool, and not one status line came back: resend once, at once, on a new
                # connection, as browsers and urllib3 do. This cannot transmit more than the caller's
                # own retries already may. Mostly the server closed the connection before our request
                # reached it: it never saw it. Otherwise (it read the request, then dropped the
                # connection without a status line) this is exactly the failure that, on a new
                # connection, the caller already retries (and ``recover_stale_sends`` after a crash)
                # with the same bytes under the same archive name, the idempotence key; the resend
                # only comes sooner. The simulator ignores an archive received again with the same
                # name and SHA-256 (``Processor.receive``: counted, not processed nor answered again);
                # the platform already relies on the ministry doing the same. Never done on a new
                # connection, after a status line was read, nor after the total timeout fired.
                log.info(
                    "ACTES %s : connexion inactive fermée par le ministère (%s), nouvel envoi sur une "
                    "nouvelle connexion",
                    archive_name,
                    _describe(stale.cause),
                )
                connection.close()
                connection, reused = self._new_connection(), False
                status, excerpt, reusable = self._exchange(connection, reused, body, content_type, watchdog)
        except TransportError:
            raise
        except (OSError, http.client.HTTPException) as exc:
            if watchdog.expired:
                raise TransportError(
                    f"Délai total de {self.total_timeout:g} s dépassé pour l'envoi au ministère.",
                    permanent=False,
                ) from exc
            raise TransportError(
                f"Envoi au ministère impossible : {_describe(exc)}", permanent=False
            ) from exc
        finally:
            # After stop() the watchdog can no longer touch the socket: safe to pool it.
            if watchdog.stop() or not reusable:
                connection.close()
            else:
                self._checkin(connection)
        elapsed = time.monotonic() - started
        log.info("ACTES %s (%d octets) → HTTP %s en %.1f s", archive_name, len(data), status, elapsed)
        if status != 200:
            permanent = 400 <= status < 500 and status not in _RETRYABLE_4XX
            raise TransportError(
                f"Le ministère a répondu HTTP {status} : {excerpt}", permanent=permanent, status=status
            )

    def _checkout(self) -> tuple[http.client.HTTPConnection, bool]:
        """The most recently used idle connection still open, else a new (unconnected) one."""
        now = time.monotonic()
        while True:
            with self._lock:
                if not self._idle:
                    break
                connection, since = self._idle.pop()
            if now - since < self.idle_timeout and not _dropped(connection.sock):
                return connection, True
            connection.close()  # too old to trust, or already closed (or written to) by the server
        return self._new_connection(), False

    def _checkin(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            if not self._closed and len(self._idle) < self.max_idle:
                self._idle.append((connection, time.monotonic()))
                return
        connection.close()

    def _new_connection(self) -> http.client.HTTPConnection:
        if self.context is None:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=self.connect_timeout)
        else:
            connection = http.client.HTTPSConnection(
                self.host, self.port, timeout=self.connect_timeout, context=self.context
            )
        connection.auto_open = 0  # never reconnect behind our back (that would skip the pin check)
        connection.response_class = _Response
        return connection

    def _connect(self, connection: http.client.HTTPConnection) -> None:
        """TCP + TLS handshake, bounded by connect_timeout; resumes the last session when there is one."""
        if self.context is None:
            connection.connect()
            return
        sock = socket.create_connection((self.host, self.port), self.connect_timeout)
        try:
            # As http.client does: a small last segment of the request is not held back (Nagle) for
            # the server's delayed ACK, which a kept-alive connection would pay on every POST.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            connection.sock = self.context.wrap_socket(sock, server_hostname=self.host, session=self._session)
        except BaseException:
            sock.close()
            raise

    def _exchange(
        self,
        connection: http.client.HTTPConnection,
        reused: bool,
        body: bytes,
        content_type: str,
        watchdog: "_Watchdog",
    ) -> tuple[int, str, bool]:
        """POST on ``connection`` (connected and pin-checked first when new): status, excerpt, reusable.

        :raises _StaleConnection: ``reused`` and the server had closed it (no answer at all).
        """
        if not reused:
            self._connect(connection)
            if self.pin is not None:  # a reused connection was checked when it was opened
                peer = connection.sock.getpeercert(binary_form=True)
                if peer != self.pin:
                    raise TransportError(
                        "Le certificat présenté par le ministère ne correspond pas au certificat épinglé "
                        f"(SHA-256 reçu {_fingerprint(peer)}, attendu {_fingerprint(self.pin)}) : "
                        "archive non envoyée.",
                        permanent=False,  # a certificate renewal: the archive is fine, retry once re-pinned
                    )
        tls = connection.sock
        watchdog.watch(tls)
        tls.settimeout(self.total_timeout)  # the watchdog bounds the sum of all operations
        try:
            connection.request("POST", self.path, body=body, headers={"Content-Type": content_type})
        except _PEER_CLOSED as exc:
            if reused and not watchdog.expired:
                raise _StaleConnection(exc) from exc
            raise
        try:
            response = connection.getresponse()
        except _PEER_CLOSED as exc:
            if reused and not watchdog.expired and getattr(exc, "_before_status_line", False):
                raise _StaleConnection(exc) from exc
            raise
        # TLS 1.3 tickets arrive after the handshake, before the answer: take the session now, while
        # the socket is open (it closes with the last byte of the answer when the server closes).
        session = tls.session if isinstance(tls, ssl.SSLSocket) else None
        text = response.read(64 * 1024).decode("utf-8", "replace")
        if session is not None:
            self._session = session
        # Reusable only when the answer was read to its end and the server keeps the connection open
        # (no "Connection: close", not an HTTP/1.0 answer without keep-alive).
        reusable = response.isclosed() and not response.will_close and connection.sock is not None
        return response.status, " ".join(text.split())[:_EXCERPT], reusable


class _StaleConnection(Exception):
    """A reused idle connection turned out closed by the server before any answer."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


class _Response(http.client.HTTPResponse):
    """Marks a connection failure met while waiting for the first status line (nothing read yet)."""

    _status_lines = 0

    def _read_status(self) -> tuple[str, int, str]:  # http.client's own (private) step
        try:
            return super()._read_status()
        except _PEER_CLOSED as exc:
            if self._status_lines == 0:
                exc._before_status_line = True  # read by HttpsMinistryClient._exchange
            raise
        finally:
            self._status_lines += 1


class _Watchdog:
    """Total timeout of one send: when it fires, it shuts the watched socket down, which unblocks any
    pending read or write. :meth:`stop` guarantees it will not touch the socket afterwards."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._stopped = False
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sock = sock
            if self.expired:
                _shutdown(sock)

    def _fire(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self.expired = True
            if self._sock is not None:
                _shutdown(self._sock)

    def stop(self) -> bool:
        """Disarm; True if it had fired (the socket is then unusable)."""
        self._timer.cancel()
        with self._lock:
            self._stopped = True
            return self.expired


def _shutdown(sock: socket.socket) -> None:
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the raw socket, not SSLSocket's own state
    except OSError:
        pass


def _dropped(sock: socket.socket | None) -> bool:
    """Whether an idle connection can no longer be used: readable means the server closed it (or sent
    something unasked for). A connection checked here may still be closed by the server an instant
    later: :meth:`HttpsMinistryClient.send` handles that race."""
    if sock is None:
        return True
    try:
        if isinstance(sock, ssl.SSLSocket) and sock.pending():
            return True
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))
    except (OSError, ValueError):
        return True


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
