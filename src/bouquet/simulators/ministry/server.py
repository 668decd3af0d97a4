"""The simulated @ctes endpoint: HTTPS with client certificates, the archive POST, answers by mail.

``python -m bouquet.simulators.ministry.server --listen 127.0.0.1:8444 --cert … --key … --client-ca …``
(or ``bouquet simulate-ministry``). Stops cleanly on SIGTERM / Ctrl-C.
"""

import logging
import signal
import socket
import ssl
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bouquet.actes.protocol.constants import MAX_ARCHIVE_SIZE

from .config import SimulatorConfig, build_parser, parse_hostport
from .delivery import Mailer
from .faults import Faults
from .outbox import Outbox
from .processing import Processor
from .state import State
from .upload import UploadError, parse_upload

__all__ = ["MinistryServer", "Simulator", "main"]

log = logging.getLogger("bouquet.simulators.ministry")

#: Multipart overhead allowed on top of the largest archive.
_MAX_BODY = MAX_ARCHIVE_SIZE + 1024 * 1024


class UploadHandler(BaseHTTPRequestHandler):
    """``POST <any path>``: one archive; 200 when accepted for processing, then the processing.

    HTTP/1.1: a connection carries several uploads, one after the other (each is processed before
    the next request of the same connection is read). Every answer has a Content-Length; the
    connection is closed after an answer to a request whose body was not read (bad Content-Length,
    GET), after the "timeout" fault, without an answer under the "refuse_tls" fault (as a new
    connection would be), and when it stays idle for ``MinistryServer.idle_timeout``.
    """

    server: "MinistryServer"
    server_version = "SimulateurActes/1.0"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.info("%s %s", self.client_address[0], format % args)

    def log_error(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if not self.raw_requestline and args and isinstance(args[0], TimeoutError):
            # No request began within idle_timeout: a kept-alive connection left idle, closed as
            # planned (not an error worth a line during a demo).
            log.debug("%s connexion inactive fermée", self.client_address[0])
            return
        super().log_error(format, *args)

    def handle_one_request(self) -> None:
        self.raw_requestline = b""  # stays empty if the wait for the next request times out
        super().handle_one_request()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # The access log: DEBUG for accepted uploads (each archive has its own INFO line, its
        # processing outcome), INFO for a refusal, the only trace of it. Formatted only if shown.
        level = logging.DEBUG if str(code) == "200" else logging.INFO
        log.log(level, '%s "%s" %s', self.client_address[0], self.requestline, str(code))

    def _reply(self, code: int, text: str, *, close: bool = False) -> None:
        body = (text + "\n").encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")  # also sets self.close_connection
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        # Closed after the answer: a body the GET might carry was not read.
        self._reply(405, "Méthode non autorisée : envoyer l'archive en POST.", close=True)

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        faults = self.server.faults.current()
        if faults.refuse_tls:  # switched on while this connection was kept alive: end it unanswered
            log.info("%s panne « refus TLS » : connexion fermée", self.client_address[0])
            self.close_connection = True
            return
        lengths = self.headers.get_all("Content-Length") or []
        length = (
            int(lengths[0]) if len(lengths) == 1 and lengths[0].isascii() and lengths[0].isdigit() else -1
        )
        if length < 0 or length > _MAX_BODY or "Transfer-Encoding" in self.headers:
            # The body is left unread: the rest of the connection cannot be told apart from it.
            self._reply(400, "Envoi refusé : Content-Length absent ou trop grand.", close=True)
            return
        body = self.rfile.read(length)
        if len(body) < length:  # the client went away mid-upload (or the simulator is stopping)
            self.close_connection = True
            return
        if faults.timeout:
            log.info("panne « timeout » : pas de réponse pendant %ss", faults.timeout_hold)
            self.server.stopping.wait(faults.timeout_hold)
            self.close_connection = True
            return
        if self.server.faults.take_http_500():
            self._reply(500, "Erreur interne simulée.")
            return
        try:
            name, data = parse_upload(self.headers.get("Content-Type", ""), body)
        except UploadError as exc:
            self._reply(400, str(exc))
            return
        if faults.delay > 0:
            time.sleep(faults.delay)
        self._reply(200, f"Archive {name} reçue.")
        outcome = self.server.processor.receive(name, data, copies=faults.copies)
        log.info("archive %s : %s", name, outcome)


class MinistryServer(ThreadingHTTPServer):
    """Accepts in the main loop, does the TLS handshake (client certificate required) in the thread.

    One thread per connection, kept alive for several requests. A connection silent for
    ``idle_timeout`` seconds (while waiting for a request, or within one) is closed by the server:
    the socket timeout, which also bounds the TLS handshake. The platform's client drops its idle
    connections sooner (30 s by default), so it rarely finds one closed.
    """

    daemon_threads = True
    idle_timeout: float = 60

    def __init__(
        self, address: tuple[str, int], context: ssl.SSLContext, processor: Processor, faults: Faults
    ) -> None:
        super().__init__(address, UploadHandler)
        self.context, self.processor, self.faults = context, processor, faults
        self.stopping = threading.Event()
        #: TLS connections accepted since the start (handshake done): tests check the reuse with it.
        self.connections = 0
        self._open: set[ssl.SSLSocket] = set()
        self._open_lock = threading.Lock()

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        if self.faults.current().refuse_tls:
            log.info("%s panne « refus TLS » : connexion fermée", client_address[0])
            self.shutdown_request(request)
            return
        request.settimeout(self.idle_timeout)
        # Each answer is written in two parts (head, body): without this, the second waits for the
        # client's delayed ACK of the first, on every request of a kept-alive connection.
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            log.info("%s TLS refusé : %s", client_address[0], exc)
            self.shutdown_request(request)
            return
        with self._open_lock:
            self.connections += 1
            self._open.add(tls)
        try:
            super().process_request_thread(tls, client_address)
        finally:
            with self._open_lock:
                self._open.discard(tls)

    @property
    def open_connections(self) -> int:
        """Connections currently open (kept alive or serving a request)."""
        with self._open_lock:
            return len(self._open)

    def server_close(self) -> None:
        """Stop listening, and end the kept-alive connections: those waiting for a request close at
        once; an upload already read is still answered (and processed), then its connection closes."""
        super().server_close()
        with self._open_lock:
            connections = list(self._open)
        for tls in connections:
            try:
                socket.socket.shutdown(tls, socket.SHUT_RD)  # the raw socket: the TLS state is kept
            except OSError:
                pass


def tls_context(cert: str, key: str, client_ca: str) -> ssl.SSLContext:
    """Server context demanding a client certificate that chains to ``client_ca``."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    context.load_verify_locations(client_ca)
    context.verify_mode = ssl.CERT_REQUIRED
    return context


class Simulator:
    """Both servers (upload endpoint and préfecture UI), running in background threads."""

    def __init__(self, config: SimulatorConfig) -> None:
        from .ui import PrefectureUI  # the UI module imports the processing stack too

        self.config = config
        self.state = State(config.state_dir)
        for siren in config.authorities:
            self.state.register(siren)
        self.outbox = Outbox(self.state, Mailer(config.deliver))
        self.faults = Faults(config.faults, config.faults_file)
        self.processor = Processor(
            self.state,
            self.outbox,
            auto_answer_replies=config.auto_answer_replies,
            hold_cancellations=config.hold_cancellations,
        )
        context = tls_context(config.cert, config.key, config.client_ca)
        self.server = MinistryServer(parse_hostport(config.listen), context, self.processor, self.faults)
        self.ui = (
            PrefectureUI(parse_hostport(config.ui_listen), self.state, self.outbox)
            if config.ui_listen
            else None
        )
        self._threads: list[threading.Thread] = []

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def ui_port(self) -> int | None:
        return int(self.ui.server_address[1]) if self.ui else None

    def start(self) -> "Simulator":
        for server in (self.server, self.ui):
            if server is not None:
                thread = threading.Thread(
                    target=server.serve_forever, args=(0.1,), daemon=True, name="ministere"
                )
                thread.start()
                self._threads.append(thread)
        log.info("simulateur du ministère : https://%s:%s/", self.server.server_address[0], self.port)
        if self.ui:
            log.info("interface préfecture : http://%s:%s/", self.ui.server_address[0], self.ui_port)
        return self

    def stop(self) -> None:
        self.server.stopping.set()
        for server in (self.server, self.ui):
            if server is not None:
                server.shutdown()
                server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)


def main(argv: Sequence[str] | None = None, *, config: SimulatorConfig | None = None) -> int:
    """Run until SIGTERM / SIGINT; 0 on a clean stop."""
    if config is None:
        config = SimulatorConfig.from_options(build_parser().parse_args(argv))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s [ministère] %(message)s")
    simulator = Simulator(config).start()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    while not stop.wait(0.5):
        pass
    log.info("arrêt du simulateur")
    simulator.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
