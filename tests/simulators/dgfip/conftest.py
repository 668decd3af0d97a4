"""A DGFiP simulator in a thread on a free loopback port, and an ftplib client speaking like S²LOW."""

from __future__ import annotations

import ftplib
import io
import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bouquet.simulators.dgfip import Config, Simulator

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pes"
S2LOW = FIXTURES / "s2low/test/PHPUnit/helios/fixtures"
GLANEUR = FIXTURES / "pastell/test/PHPUnit/connecteur/glaneur-local/fixtures"
#: A real signed flow (LiberSign / i-Parapheur): one signed bordereau, two PJ.
SIGNED = GLANEUR / "pes_depot_vrac/PESALR2_49101169800000_171227_2045.xml"
#: Routing of the samples above (EnTetePES: CodCol 123, IdPost 034000, CodBud 12).
P_MSG = "PES#123#034000#12"


class Harness:
    """The running simulator plus helpers to talk to it and to wait for its answers."""

    def __init__(self, simulator: Simulator, faults_file: Path) -> None:
        self.simulator = simulator
        self.faults_file = faults_file
        self.host, self.port = simulator.address

    @property
    def sortie(self) -> Path:
        return self.simulator.sortie

    def set_faults(self, **faults: Any) -> None:
        self.faults_file.write_text(json.dumps(faults), encoding="utf-8")

    def connect(self) -> ftplib.FTP:
        ftp = ftplib.FTP()
        ftp.connect(self.host, self.port, timeout=10)
        ftp.login("tdt", "secret")
        return ftp

    def send(self, data: bytes, name: str, p_msg: str | None = P_MSG) -> None:
        """Send one file the way S²LOW's GATEWAY mode does: three SITE commands, then STOR in /entree/."""
        ftp = self.connect()
        try:
            ftp.sendcmd("SITE P_DEST VHPCE11")
            ftp.sendcmd("SITE P_APPLI GHELPES2")
            if p_msg is not None:
                ftp.sendcmd(f"SITE P_MSG {p_msg}")
            ftp.cwd("/entree/")
            ftp.storbinary(f"STOR {name}", io.BytesIO(data))
        finally:
            ftp.close()

    def entries(self) -> list[dict[str, Any]]:
        return self.simulator.state.entries()

    def settled(self, count: int = 1, timeout: float = 10) -> list[dict[str, Any]]:
        """Wait until ``count`` received files have a final verdict."""
        wait_until(lambda: sum(e["verdict"] != "pending" for e in self.entries()) >= count, timeout)
        return self.entries()


def wait_until(predicate: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


@pytest.fixture
def dgfip(tmp_path: Path) -> Iterator[Harness]:
    faults = tmp_path / "faults.json"
    simulator = Simulator(Config(root=tmp_path / "root", port=0, password="secret", faults=faults))
    thread = threading.Thread(target=simulator.serve_forever, daemon=True)
    thread.start()
    try:
        yield Harness(simulator, faults)
    finally:
        simulator.stop()
        thread.join(timeout=10)
