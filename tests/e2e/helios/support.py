"""The pieces of the HELIOS end-to-end tests: the DGFiP simulator as a real process (FTP on a free
loopback port), the platform's side (an authority with its P_DEST, its agent, our FTP client) and a
bounded wait for the simulator's answers.

Nothing is faked: our ``FtpDgfipClient`` speaks FTP with the three SITE commands to
``python -m bouquet.simulators.dgfip``, which writes real PES_ACQUIT and PES_Retour files into
``sortie/``, which the platform polls.
"""

import datetime as dt
import json
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bouquet.core.audit import Actor
from bouquet.core.choices import Access, ModuleCode, OperatorRole, Role
from bouquet.core.models import OperatorStaff, Subscription
from bouquet.helios import tasks
from bouquet.helios.models import HeliosParameters, Transaction
from bouquet.helios.services.upload_pes import upload_pes
from bouquet.helios.transport import FtpDgfipClient, client_from_url
from bouquet.test import make_authority, make_modules, make_operator, make_user

SIREN = "210100012"
WAIT_SECONDS = 20.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Dgfip:
    """``python -m bouquet.simulators.dgfip`` in its own process, its root, fault file and state log."""

    def __init__(self, work: Path) -> None:
        self.root = work / "dgfip"
        self.faults_file = work / "dgfip-faults.json"
        self.state_file = work / "dgfip-state.sqlite3"
        self.log = work / "dgfip.log"
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        # delete=1: the simulator's sortie/ may only be read and emptied (S²LOW's simulator mode).
        return f"ftp://tdt:tdt@127.0.0.1:{self.port}/?delete=1"

    def start(self) -> "Dgfip":
        args = [
            sys.executable, "-m", "bouquet.simulators.dgfip", "--listen", f"127.0.0.1:{self.port}",
            "--root", str(self.root), "--faults", str(self.faults_file), "--state", str(self.state_file),
        ]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"le simulateur s'est arrêté :\n{self.log.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"le simulateur n'écoute pas :\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def faults(self, **values) -> None:
        """Switch fault modes live (the simulator rereads the file at each connection)."""
        self.faults_file.write_text(json.dumps(values), encoding="utf-8")

    def retour(self, siret: str, cod_col: str = "400") -> str:
        """Play the DGFiP: drop a PES_Retour for ``siret`` into sortie/ with the simulator's CLI."""
        result = subprocess.run(
            [sys.executable, "-m", "bouquet.simulators.dgfip", "retour", "--root", str(self.root),
             "--idcoll", siret, "--codcol", cod_col],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stderr

    def received(self) -> list[dict]:
        """The simulator's log of received files (name, sha256, SITE values, verdict)."""
        if not self.state_file.exists():
            return []
        with sqlite3.connect(self.state_file) as db:
            db.row_factory = sqlite3.Row
            return [dict(row) for row in db.execute("SELECT * FROM received ORDER BY id")]

    def entree(self) -> list[Path]:
        return sorted((self.root / "entree").iterdir())


@dataclass
class Platform:
    """The authority (with its P_DEST), its agent, the operator's staff, and the FTP client."""

    authority: object
    actor: Actor
    client: FtpDgfipClient
    dgfip: Dgfip

    @classmethod
    def build(cls, dgfip: Dgfip) -> "Platform":
        operator = make_operator()
        modules = make_modules()
        authority = make_authority(operator, "Commune E2E", SIREN)
        for module in modules.values():
            Subscription.objects.create(authority=authority, module=module, start_date=dt.date(2024, 1, 1))
        HeliosParameters.objects.create(authority=authority, p_dest="VHPCE11")
        full = {ModuleCode.HELIOS: (Access.WRITE, True, True)}
        user = make_user("agent@e2e.example.test", authority, Role.ADMIN, full)
        staff = make_user("olga@operateur.example.test")
        OperatorStaff.objects.create(user=staff, operator=operator, role=OperatorRole.ADMIN)
        client = client_from_url(dgfip.url, timeout=10)
        return cls(authority, Actor.of_user(user), client, dgfip)

    def upload(self, data: bytes, name: str = "pes.xml") -> Transaction:
        return upload_pes(authority=self.authority, actor=self.actor, filename=name, data=data)

    def step(self) -> dict:
        """One pass of every worker job, as ``bouquet helios worker`` does."""
        return {
            "process": tasks.process_posted.call(),
            "send": tasks.send_pending.call(client=self.client),
            "poll": tasks.poll_incoming.call(client=self.client),
        }

    def run_until(self, done: Callable[[], bool], timeout: float = WAIT_SECONDS) -> None:
        """Run the jobs until ``done()`` (the simulator answers after the upload: acquits come later)."""
        deadline = time.monotonic() + timeout
        while True:
            self.step()
            if done():
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"délai de {timeout:g} s dépassé\n{self.dgfip.log.read_text()[-3000:]}")
            time.sleep(0.1)

    def reach(self, transaction: Transaction, status: int, timeout: float = WAIT_SECONDS) -> Transaction:
        def done() -> bool:
            transaction.refresh_from_db()
            return transaction.status == status

        self.run_until(done, timeout)
        return transaction
