"""The ministry client over real TLS with the demo PKI: what is sent, pinning, errors and timeouts."""

import logging
import socket
import struct
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from bouquet.actes.transport import HttpsMinistryClient, TransportError, https
from tests.servers.dovecot import free_port
from tests.servers.https import ScriptedHttpsServer, Step, _Handler

ARCHIVE = "abc-EACT--210703385--20260101-1.tar.gz"
DATA = bytes(range(256)) * 400  # binary, with CR/LF and NUL: the multipart must not alter it


def server(pki, *steps: Step) -> ScriptedHttpsServer:
    return ScriptedHttpsServer(pki.server_cert, pki.server_key, pki.ca_chain, list(steps) or None)


@dataclass(frozen=True)
class Cut(Step):
    """Write ``sent`` (the start of an answer), then drop the connection (reset it with ``reset``)."""

    sent: bytes = b"HTTP/1.1 500 Oops\r\nContent-Length: 50\r\n\r\npartial"
    reset: bool = False


class _KeepAliveHandler(_Handler):
    """Answers without "Connection: close" (HTTP/1.1, or HTTP/1.0 when ``version`` says so)."""

    protocol_version = "HTTP/1.1"
    version = "HTTP/1.1"

    def _answer(self, step: Step) -> None:
        time.sleep(step.delay)
        if isinstance(step, Cut):
            self.wfile.write(step.sent)
            if step.reset:
                time.sleep(0.2)  # the client has read what was sent and waits for the rest
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                return  # closed by the server loop: a reset, with linger 0
        if step.close:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        data = f"{self.version} {step.status} Status\r\nContent-Length: {len(step.body)}\r\n\r\n".encode()
        data += step.body
        if self.version != "HTTP/1.1":
            self.close_connection = True
        size = 1 if step.drip else len(data)
        for i in range(0, len(data), size):
            self.wfile.write(data[i : i + size])
            time.sleep(step.drip)


def keepalive_server(
    pki, *steps: Step, idle: float | None = None, version: str = "HTTP/1.1"
) -> ScriptedHttpsServer:
    """A scripted server that keeps connections open, closing those idle for ``idle`` seconds."""
    srv = server(pki, *steps)
    srv._httpd.RequestHandlerClass = type(
        "Handler", (_KeepAliveHandler,), {"timeout": idle, "version": version}
    )
    return srv


def client(pki, url: str, **options) -> HttpsMinistryClient:
    options.setdefault("server_cert_pin", pki.server_cert)
    user = pki.users["valid_rgs"]
    return HttpsMinistryClient(url, client_cert=user.cert, client_key=user.key, **options)


def test_it_posts_one_file_part_named_after_the_archive(pki):
    with server(pki) as srv:
        client(pki, srv.url).send(ARCHIVE, DATA)
    [request] = srv.requests
    assert request.method == "POST" and request.path == "/actes/upload"
    [part] = request.parts
    assert part.field_name == ARCHIVE and part.filename == ARCHIVE
    assert part.content_type == "application/x-gzip"
    assert part.content == DATA
    assert request.client_subject["commonName"] == "Marie Durand"


def test_it_verifies_the_ca_and_host_name_without_a_pin(pki):
    with server(pki) as srv:
        client(
            pki, srv.url.replace("127.0.0.1", "localhost"), server_cert_pin=None, ca_file=pki.root_cert
        ).send(ARCHIVE, DATA)
    assert len(srv.requests) == 1


@pytest.mark.parametrize("status", [500, 503, 302, 408, 429])
def test_it_reports_a_retryable_error_for_non_200(pki, status):
    with server(pki, Step(status=status, body=b"<html>Erreur interne du simulateur</html>")) as srv:
        with pytest.raises(TransportError) as raised:
            client(pki, srv.url).send(ARCHIVE, DATA)
    assert raised.value.permanent is False
    assert raised.value.status == status
    assert f"HTTP {status}" in raised.value.message and "Erreur interne" in raised.value.message


@pytest.mark.parametrize("status", [400, 403, 413])
def test_it_reports_a_permanent_error_for_a_client_error(pki, status):
    with server(pki, Step(status=status)) as srv:
        with pytest.raises(TransportError) as raised:
            client(pki, srv.url).send(ARCHIVE, DATA)
    assert raised.value.permanent is True


def test_it_refuses_a_wrong_pinned_certificate_before_sending_anything(pki):
    with server(pki) as srv:
        with pytest.raises(TransportError) as raised:
            client(pki, srv.url, server_cert_pin=pki.users["valid_non_rgs"].cert).send(ARCHIVE, DATA)
        time.sleep(0.2)  # let the server thread notice the closed connection
    assert "épinglé" in raised.value.message and raised.value.permanent is False
    assert srv.connections == 1  # the TLS handshake happened…
    assert srv.requests == []  # …and not one byte of HTTP followed


def test_it_refuses_a_server_of_an_unknown_ca_without_a_pin(pki):
    with server(pki) as srv:
        with pytest.raises(TransportError) as raised:
            client(pki, srv.url, server_cert_pin=None, ca_file=pki.unknown_ca_cert).send(ARCHIVE, DATA)
    assert "certificat du serveur refusé" in raised.value.message
    assert srv.requests == []


def test_it_reports_a_refused_connection_as_retryable(pki):
    with pytest.raises(TransportError) as raised:
        client(pki, f"https://127.0.0.1:{free_port()}/actes").send(ARCHIVE, DATA)
    assert raised.value.permanent is False and "connexion refusée" in raised.value.message


def test_it_reports_a_dropped_connection_as_retryable(pki):
    with server(pki, Step(close=True)) as srv:
        with pytest.raises(TransportError) as raised:
            client(pki, srv.url).send(ARCHIVE, DATA)
    assert raised.value.permanent is False
    assert len(srv.requests) == 1


def test_it_honours_the_connect_timeout(pki):
    with socket.socket() as silent:  # accepts TCP (kernel backlog) but never speaks TLS
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        started = time.monotonic()
        with pytest.raises(TransportError) as raised:
            client(pki, f"https://127.0.0.1:{silent.getsockname()[1]}/", connect_timeout=0.5).send(
                ARCHIVE, DATA
            )
    assert 0.4 < time.monotonic() - started < 2
    assert raised.value.permanent is False and "délai" in raised.value.message


def test_it_honours_the_total_timeout_even_when_each_read_is_quick(pki):
    with server(pki, Step(drip=0.1)) as srv:  # ~70 bytes, one every 0.1 s: no single read times out
        started = time.monotonic()
        with pytest.raises(TransportError) as raised:
            client(pki, srv.url, connect_timeout=0.5, total_timeout=1).send(ARCHIVE, DATA)
        elapsed = time.monotonic() - started
    assert 0.9 < elapsed < 2
    assert "Délai total" in raised.value.message and raised.value.permanent is False


def test_it_rejects_an_archive_name_that_would_break_the_form():
    ministry = HttpsMinistryClient("http://127.0.0.1:1/", client_cert=None, client_key=None)
    with pytest.raises(ValueError):
        ministry.send('a"b.tar.gz', b"x")


def test_it_resumes_the_tls_session_and_still_checks_the_pin(pki):
    with server(pki) as srv:
        ministry = client(pki, srv.url)
        resumed = []
        wrap = ministry.context.wrap_socket

        def spy(*args, **kwargs):
            sock = wrap(*args, **kwargs)
            resumed.append(sock.session_reused)
            return sock

        ministry.context.wrap_socket = spy
        ministry.send(ARCHIVE, DATA)
        ministry.send(ARCHIVE, DATA)
        assert resumed == [False, True]  # no second full handshake
        ministry.pin = pki.users["valid_non_rgs"].cert.read_bytes()  # as if the pinned certificate changed
        with pytest.raises(TransportError, match="épinglé"):
            ministry.send(ARCHIVE, DATA)
    assert len(srv.requests) == 2
    assert [request.parts[0].content for request in srv.requests] == [DATA, DATA]


def test_several_sends_share_one_connection(pki):
    with keepalive_server(pki) as srv, client(pki, srv.url) as ministry:
        for _ in range(5):
            ministry.send(ARCHIVE, DATA)
        assert srv.connections == 1
    assert [request.parts[0].content for request in srv.requests] == [DATA] * 5
    assert all("Connection" not in request.headers for request in srv.requests)


@pytest.mark.parametrize(
    "srv",
    [
        lambda pki: server(pki),  # answers "Connection: close"
        lambda pki: keepalive_server(pki, version="HTTP/1.0"),
        lambda pki: keepalive_server(pki, Step(body=b"x" * 70_000)),  # more than the excerpt read
    ],
    ids=["connection-close", "http-1.0", "unread-answer"],
)
def test_a_connection_is_not_reused_when_the_server_closes_it_or_the_answer_was_not_read(pki, srv):
    with srv(pki) as srv, client(pki, srv.url) as ministry:
        for _ in range(3):
            ministry.send(ARCHIVE, DATA)
        assert ministry._idle == []
    assert srv.connections == 3 and len(srv.requests) == 3


def test_an_idle_connection_older_than_the_bound_is_not_reused(pki):
    with keepalive_server(pki) as srv, client(pki, srv.url, idle_timeout=0.2) as ministry:
        ministry.send(ARCHIVE, DATA)
        time.sleep(0.4)
        ministry.send(ARCHIVE, DATA)
    assert srv.connections == 2 and len(srv.requests) == 2


@pytest.mark.parametrize("noticed", [True, False], ids=["noticed-before-reuse", "found-on-write"])
def test_a_connection_the_server_closed_while_idle_is_replaced_transparently(
    pki, monkeypatch, caplog, noticed
):
    if not noticed:  # the server closes it just as we reuse it: the write or the status line fails
        monkeypatch.setattr(https, "_dropped", lambda sock: False)
    with keepalive_server(pki, idle=0.5) as srv, client(pki, srv.url) as ministry:
        ministry.send(ARCHIVE, DATA)
        time.sleep(1)  # the server closed the idle connection
        with caplog.at_level(logging.INFO, logger="bouquet.actes.transport.https"):
            ministry.send(ARCHIVE, DATA)
        assert srv.connections == 2
    assert len(srv.requests) == 2  # each archive once
    resent = [r for r in caplog.records if "connexion inactive" in r.getMessage()]
    assert len(resent) == (0 if noticed else 1)


def test_a_reused_connection_dropped_without_answer_is_resent_once_only(pki):
    # The server reads the request and drops the connection without a word, twice: the resend is on a
    # new connection, whose failure is reported as any other.
    with keepalive_server(pki, Step(), Step(close=True)) as srv, client(pki, srv.url) as ministry:
        ministry.send(ARCHIVE, DATA)
        with pytest.raises(TransportError) as raised:
            ministry.send(ARCHIVE, DATA)
        assert srv.connections == 2
    assert raised.value.permanent is False and "Envoi au ministère impossible" in raised.value.message
    assert len(srv.requests) == 3


def test_a_reused_connection_dropped_after_the_status_line_is_not_resent(pki):
    with keepalive_server(pki, Step(), Cut(close=True), Step()) as srv, client(pki, srv.url) as ministry:
        ministry.send(ARCHIVE, DATA)
        with pytest.raises(TransportError) as raised:
            ministry.send(ARCHIVE, DATA)
        assert raised.value.status == 500 and srv.connections == 1
        assert len(srv.requests) == 2  # not resent
        ministry.send(ARCHIVE, DATA)  # the broken connection was discarded
        assert srv.connections == 2


def test_a_reused_connection_reset_before_any_answer_is_resent_on_a_new_one(pki):
    # The server got the request this time: the resend reaches it twice, as a retry of the caller
    # would (the ministry ignores an archive received again with the same name and content).
    cut = Cut(sent=b"", reset=True)
    with keepalive_server(pki, Step(), cut, Step()) as srv, client(pki, srv.url) as ministry:
        ministry.send(ARCHIVE, DATA)
        ministry.send(ARCHIVE, DATA)
        assert len(srv.requests) == 3 and srv.connections == 2


def test_a_reused_connection_reset_within_the_headers_is_not_resent(pki):
    cut = Cut(sent=b"HTTP/1.1 200 OK\r\nContent-Type: text/pl", reset=True)
    with keepalive_server(pki, Step(), cut, Step()) as srv, client(pki, srv.url) as ministry:
        ministry.send(ARCHIVE, DATA)
        with pytest.raises(TransportError) as raised:
            ministry.send(ARCHIVE, DATA)
        assert "ConnectionResetError" in raised.value.message and raised.value.permanent is False
        assert len(srv.requests) == 2 and srv.connections == 1  # not resent


def test_the_total_timeout_holds_on_a_reused_connection(pki):
    steps = Step(), Step(drip=0.1), Step()
    with (
        keepalive_server(pki, *steps) as srv,
        client(pki, srv.url, connect_timeout=0.5, total_timeout=1) as ministry,
    ):
        ministry.send(ARCHIVE, DATA)
        started = time.monotonic()
        with pytest.raises(TransportError) as raised:
            ministry.send(ARCHIVE, DATA)
        assert 0.9 < time.monotonic() - started < 2
        assert "Délai total" in raised.value.message and raised.value.permanent is False
        assert srv.connections == 1
        ministry.send(ARCHIVE, DATA)  # on a new connection: the one cut by the watchdog is gone
        assert srv.connections == 2
    assert len(srv.requests) == 3


def test_concurrent_sends_each_use_a_connection_of_their_own(pki):
    names = [f"abc-EACT--210703385--20260101-{i}.tar.gz" for i in range(1, 41)]
    with keepalive_server(pki, Step(delay=0.01)) as srv, client(pki, srv.url) as ministry:
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda name: ministry.send(name, name.encode() * 100), names))
        assert 1 <= srv.connections <= 4
        assert len(ministry._idle) == srv.connections
    received = sorted(request.parts[0].field_name for request in srv.requests)
    assert received == sorted(names)  # each once
    assert all(r.parts[0].content == r.parts[0].field_name.encode() * 100 for r in srv.requests)


def test_close_closes_the_idle_connections_and_later_sends_still_work(pki):
    with keepalive_server(pki) as srv:
        ministry = client(pki, srv.url)
        ministry.send(ARCHIVE, DATA)
        [(connection, _)] = ministry._idle
        ministry.close()
        assert ministry._idle == [] and connection.sock is None
        ministry.send(ARCHIVE, DATA)
        assert ministry._idle == [] and srv.connections == 2
