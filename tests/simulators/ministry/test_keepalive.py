"""Kept-alive connections between the platform's client and the simulator: reuse, idle closes, restarts."""

import dataclasses
from concurrent.futures import ThreadPoolExecutor

import pytest

from bouquet.actes.transport import HttpsMinistryClient, https
from bouquet.simulators.ministry.server import Simulator
from tests.simulators.ministry.support import act_archive, wait_for


def ministry_client(pki, port: int) -> HttpsMinistryClient:
    user = pki.users["valid_rgs"]
    return HttpsMinistryClient(
        f"https://127.0.0.1:{port}/actes/upload",
        client_cert=user.cert,
        client_key=user.key,
        server_cert_pin=pki.server_cert,
    )


def archives(count: int) -> list:
    return [act_archive(f"D2025_{serial:03}", serial=serial) for serial in range(1, count + 1)]


def received(sim) -> dict[str, int]:
    return {row["name"]: row["times"] for row in sim.state.rows("SELECT name, times FROM archives")}


def assert_received_once(sim, sent: list) -> None:
    """Each archive recorded once (the 200 comes before the processing, which records it)."""
    expected = {archive.name: 1 for archive in sent}
    try:
        wait_for(lambda: received(sim) == expected, timeout=10)
    except AssertionError:
        assert received(sim) == expected


def test_one_connection_carries_several_uploads(simulator, pki):
    sent = archives(3)
    with ministry_client(pki, simulator.port) as ministry:
        for archive in sent:
            ministry.send(archive.name, archive.data)
    assert simulator.sim.server.connections == 1
    assert_received_once(simulator.sim, sent)


@pytest.mark.parametrize("noticed", [True, False], ids=["noticed-before-reuse", "found-on-write"])
def test_a_connection_closed_by_the_idle_timeout_is_replaced(simulator, pki, monkeypatch, noticed):
    if not noticed:  # as if the server closed it just after the client checked it
        monkeypatch.setattr(https, "_dropped", lambda sock: False)
    server = simulator.sim.server
    server.idle_timeout = 1
    first, second = archives(2)
    with ministry_client(pki, simulator.port) as ministry:
        ministry.send(first.name, first.data)
        wait_for(lambda: server.open_connections == 0)  # closed by the server after 1 s idle
        ministry.send(second.name, second.data)
    assert server.connections == 2
    assert_received_once(simulator.sim, [first, second])  # exactly one delivery each


@pytest.mark.parametrize("noticed", [True, False], ids=["noticed-before-reuse", "found-on-write"])
def test_a_restart_of_the_simulator_is_transparent(simulator, pki, monkeypatch, noticed):
    if not noticed:
        monkeypatch.setattr(https, "_dropped", lambda sock: False)
    first, second = archives(2)
    with ministry_client(pki, simulator.port) as ministry:
        ministry.send(first.name, first.data)
        old = simulator.sim
        old.stop()
        wait_for(lambda: old.server.open_connections == 0)  # the kept-alive connection was ended
        config = dataclasses.replace(old.config, listen=f"127.0.0.1:{old.port}", ui_listen=None)
        restarted = Simulator(config).start()
        try:
            ministry.send(second.name, second.data)
            assert restarted.server.connections == 1
            assert_received_once(restarted, [first, second])
        finally:
            restarted.stop()


def test_concurrent_uploads_from_four_threads_each_arrive_once(simulator, pki):
    sent = archives(8)
    with ministry_client(pki, simulator.port) as ministry, ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda archive: ministry.send(archive.name, archive.data), sent))
    assert 1 <= simulator.sim.server.connections <= 4
    assert_received_once(simulator.sim, sent)
