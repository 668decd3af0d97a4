"""Fault modes, switched live through the JSON file (reread on every request)."""

import socket
import ssl
import time

import pytest
import requests

from tests.simulators.ministry.support import act_archive, mails, post, set_faults, wait_for, wait_mails


def test_http_500_for_the_next_upload_then_200(simulator, client_cert, pki):
    set_faults(simulator.faults, http_500=1)
    archive = act_archive()
    assert post(simulator, archive.name, archive.data, cert=client_cert, pki=pki).status_code == 500
    assert post(simulator, archive.name, archive.data, cert=client_cert, pki=pki).status_code == 200
    assert len(wait_mails(simulator.maildir, 1)) == 1
    assert '"http_500": 0' in simulator.faults.read_text()


def test_http_500_from_the_command_line_counts_down(start_simulator, client_cert, pki):
    from bouquet.simulators.ministry.faults import FaultConfig

    running = start_simulator(faults=FaultConfig(http_500=2))
    archive = act_archive()
    codes = [
        post(running, archive.name, archive.data, cert=client_cert, pki=pki).status_code for _ in range(3)
    ]
    assert codes == [500, 500, 200]


def test_dropped_answers(simulator, client_cert, pki):
    set_faults(simulator.faults, drop_answers=True)
    archive = act_archive()
    assert post(simulator, archive.name, archive.data, cert=client_cert, pki=pki).status_code == 200
    state = simulator.sim.state
    wait_for(lambda: state.row("SELECT copies FROM mails") is not None)
    assert state.row("SELECT copies FROM mails")["copies"] == 0
    assert mails(simulator.maildir) == []


def test_duplicated_answers_have_the_same_message_id(simulator, client_cert, pki):
    set_faults(simulator.faults, duplicate_answers=True)
    archive = act_archive()
    assert post(simulator, archive.name, archive.data, cert=client_cert, pki=pki).status_code == 200
    first, second = wait_mails(simulator.maildir, 2)
    assert first["Message-ID"] == second["Message-ID"]
    assert first.as_bytes() == second.as_bytes()


def test_delay_before_answering(simulator, client_cert, pki):
    set_faults(simulator.faults, delay=0.6)
    archive = act_archive()
    started = time.monotonic()
    assert post(simulator, archive.name, archive.data, cert=client_cert, pki=pki).status_code == 200
    assert time.monotonic() - started >= 0.6


def test_timeout_never_answers(simulator, client_cert, pki):
    set_faults(simulator.faults, timeout=True, timeout_hold=2)
    archive = act_archive()
    with pytest.raises(requests.exceptions.ReadTimeout):
        post(simulator, archive.name, archive.data, cert=client_cert, pki=pki, timeout=0.5)
    set_faults(simulator.faults)
    assert post(simulator, archive.name, archive.data, cert=client_cert, pki=pki).status_code == 200
    wait_mails(simulator.maildir, 1)


def test_timeout_closes_the_kept_alive_connection_without_an_answer(simulator, client_cert, pki):
    set_faults(simulator.faults, timeout=True, timeout_hold=0.5)
    context = ssl.create_default_context(cafile=str(pki.ca_chain))
    context.load_cert_chain(*client_cert)
    raw = socket.create_connection(("127.0.0.1", simulator.port), timeout=5)
    with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        tls.sendall(b"POST /actes/upload HTTP/1.1\r\nHost: ministere\r\nContent-Length: 3\r\n\r\nabc")
        started = time.monotonic()
        assert tls.recv(65536) == b""  # closed, not a byte of answer (a TimeoutError if left open)
    assert 0.4 < time.monotonic() - started < 3


def test_refused_tls_then_back(simulator, client_cert, pki):
    set_faults(simulator.faults, refuse_tls=True)
    archive = act_archive()
    with pytest.raises(requests.exceptions.ConnectionError):
        post(simulator, archive.name, archive.data, cert=client_cert, pki=pki)
    simulator.faults.unlink()
    assert post(simulator, archive.name, archive.data, cert=client_cert, pki=pki).status_code == 200


def test_refused_tls_also_ends_a_kept_alive_connection(simulator, pki):
    from bouquet.actes.transport import HttpsMinistryClient, TransportError

    user = pki.users["valid_rgs"]
    url = f"https://127.0.0.1:{simulator.port}/actes/upload"
    first, second = act_archive(serial=1), act_archive("D2025_002", serial=2)
    with HttpsMinistryClient(
        url, client_cert=user.cert, client_key=user.key, server_cert_pin=pki.server_cert
    ) as ministry:
        ministry.send(first.name, first.data)
        set_faults(simulator.faults, refuse_tls=True)
        with pytest.raises(TransportError) as raised:
            ministry.send(second.name, second.data)  # the kept-alive connection, then a new one
        assert raised.value.permanent is False
        simulator.faults.unlink()
        ministry.send(second.name, second.data)
    state = simulator.sim.state
    wait_for(lambda: len(state.rows("SELECT name FROM archives")) == 2)
    assert [row["times"] for row in state.rows("SELECT times FROM archives")] == [1, 1]
