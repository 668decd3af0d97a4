"""The ministry client over real TLS with the demo PKI: what is sent, pinning, errors and timeouts."""

import socket
import time

import pytest

from bouquet.actes.transport import HttpsMinistryClient, TransportError
from tests.servers.dovecot import free_port
from tests.servers.https import ScriptedHttpsServer, Step

ARCHIVE = "abc-EACT--210703385--20260101-1.tar.gz"
DATA = bytes(range(256)) * 400  # binary, with CR/LF and NUL: the multipart must not alter it


def server(pki, *steps: Step) -> ScriptedHttpsServer:
    return ScriptedHttpsServer(pki.server_cert, pki.server_key, pki.ca_chain, list(steps) or None)


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
