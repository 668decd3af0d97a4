"""A scripted HTTPS server on 127.0.0.1 that requires a client certificate and records what it received.

Each request consumes the next :class:`Step` (the last one repeats): answer a status, sleep first,
drip the answer slowly, or close without answering. Used to test the ministry client over real TLS.
"""

import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

__all__ = ["FilePart", "Received", "ScriptedHttpsServer", "Step"]


@dataclass(frozen=True)
class Step:
    status: int = 200
    body: bytes = b"OK"
    delay: float = 0.0  # seconds before answering (after reading the request)
    drip: float = 0.0  # seconds between answer bytes: defeats per-socket timeouts, not total ones
    close: bool = False  # drop the connection without any answer


@dataclass(frozen=True)
class FilePart:
    field_name: str | None
    filename: str | None
    content_type: str
    content: bytes = field(repr=False)


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = field(repr=False)
    parts: list[FilePart]
    client_subject: dict[str, str]


def _parts(content_type: str, body: bytes) -> list[FilePart]:
    if not content_type.startswith("multipart/"):
        return []
    message = BytesParser(policy=policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    return [
        FilePart(
            part.get_param("name", header="content-disposition"),
            part.get_filename(),
            part.get_content_type(),
            part.get_payload(decode=True) or b"",
        )
        for part in message.iter_parts()
    ]


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, format: str, *args: object) -> None:  # quiet tests
        pass

    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        cert = self.connection.getpeercert() or {}
        subject = {k: v for rdn in cert.get("subject", ()) for k, v in rdn}
        self.server.owner.record(
            Received(
                "POST",
                self.path,
                dict(self.headers.items()),
                body,
                _parts(self.headers.get("Content-Type", ""), body),
                subject,
            )  # fmt: skip
        )
        self._answer(self.server.owner.next_step())

    do_GET = do_POST

    def _answer(self, step: Step) -> None:
        time.sleep(step.delay)
        if step.close:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        head = (
            f"HTTP/1.1 {step.status} Status\r\nContent-Length: {len(step.body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        data = head + step.body
        if not step.drip:
            self.wfile.write(data)
            return
        for i in range(len(data)):
            self.wfile.write(data[i : i + 1])
            self.wfile.flush()
            time.sleep(step.drip)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: "ScriptedHttpsServer"

    def finish_request(self, request: socket.socket, client_address: object) -> None:
        # The handshake runs in the request thread: a stalled client must not block accept().
        try:
            tls = self.owner.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            self.owner.handshake_errors.append(str(exc))
            return
        self.owner.connections += 1
        try:
            super().finish_request(tls, client_address)
        except (OSError, ssl.SSLError):
            pass  # the client went away: that is what several tests do on purpose
        finally:
            tls.close()


class ScriptedHttpsServer:
    """``with ScriptedHttpsServer(cert, key, client_ca, [Step(500), Step(200)]) as server: server.url``."""

    def __init__(
        self, cert: Path, key: Path, client_ca: Path | None, steps: list[Step] | None = None
    ) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(str(cert), str(key))
        if client_ca is not None:
            self.context.verify_mode = ssl.CERT_REQUIRED
            self.context.load_verify_locations(str(client_ca))
        self.steps = list(steps or [Step()])
        self.requests: list[Received] = []
        self.handshake_errors: list[str] = []
        self.connections = 0
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        self.url = f"https://127.0.0.1:{self.port}/actes/upload"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})

    def record(self, received: Received) -> None:
        with self._lock:
            self.requests.append(received)

    def next_step(self) -> Step:
        with self._lock:
            return self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]

    def __enter__(self) -> "ScriptedHttpsServer":
        self._thread.daemon = True
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
