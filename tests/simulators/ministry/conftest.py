"""A running simulator per test (free loopback ports, demo PKI, a Maildir in tmp_path)."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from bouquet.pki.testing import demo_pki_for_tests
from bouquet.simulators.ministry.config import SimulatorConfig
from bouquet.simulators.ministry.server import Simulator
from tests.simulators.ministry.support import SIREN


@dataclass
class Running:
    sim: Simulator
    maildir: Path
    faults: Path
    state_dir: Path

    @property
    def port(self) -> int:
        return self.sim.port


@pytest.fixture(scope="session")
def pki():
    return demo_pki_for_tests()


@pytest.fixture
def client_cert(pki) -> tuple[str, str]:
    user = pki.users["valid_rgs"]
    return str(user.cert), str(user.key)


@pytest.fixture
def start_simulator(pki, tmp_path):
    started: list[Simulator] = []

    def start(**options) -> Running:
        maildir = tmp_path / "maildir"
        config = SimulatorConfig(
            cert=str(pki.server_cert), key=str(pki.server_key), client_ca=str(pki.ca_chain),
            deliver=options.pop("deliver", f"maildir://{maildir}"), state_dir=str(tmp_path / "state"),
            listen="127.0.0.1:0", ui_listen="127.0.0.1:0", authorities=(SIREN,),
            faults_file=str(tmp_path / "faults.json"), **options,
        )  # fmt: skip
        sim = Simulator(config).start()
        started.append(sim)
        return Running(sim, maildir, tmp_path / "faults.json", tmp_path / "state")

    yield start
    for sim in started:
        sim.stop()


@pytest.fixture
def simulator(start_simulator) -> Running:
    return start_simulator()
