"""The pieces of the ACTES end-to-end tests: the ministry simulator as a real process, the platform's
side (an authority, its agent, our HTTPS client and inbox) and a bounded wait for the mails.

Nothing here is faked: the simulator is ``python -m bouquet.simulators.ministry.server`` on a free
loopback port (TLS with client certificates from the demo PKI), its answers are mails delivered into a
Maildir that our ``MaildirInbox`` reads, or that a real Dovecot serves to our ``ImapInbox``.
"""

import datetime as dt
import json
import os
import pwd
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.db import connection
from django.utils import timezone

from bouquet.actes import tasks
from bouquet.actes.demo import ensure_classification
from bouquet.actes.models import Transaction
from bouquet.actes.services.common import Document
from bouquet.actes.services.create_act import create_act
from bouquet.actes.transport import HttpsMinistryClient, ImapInbox, MaildirInbox
from bouquet.core.audit import Actor
from bouquet.core.choices import Access, ModuleCode, OperatorRole, Role
from bouquet.core.models import OperatorStaff, Subscription
from bouquet.simulators.ministry.state import State
from bouquet.test import make_authority, make_modules, make_operator, make_user

SIREN = "210100012"  # Luhn-valid, as in bouquet.test.BaseTestCase
DEPARTEMENT = "021"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WAIT_SECONDS = 20.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment of a platform subprocess: same settings, same var/, the *test* database."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = os.environ.get("DJANGO_SETTINGS_MODULE", "bouquet.config.settings")
    env["DATABASE_URL"] = database_url()
    env.update(extra)
    return env


def database_url() -> str:
    """A DATABASE_URL naming the test database this process uses (file SQLite or PostgreSQL)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(s["NAME"])
        assert not connection.is_in_memory_db(), (
            "the e2e tests need the file test database (tests/conftest.py)"
        )
        return f"sqlite:///{name}"  # absolute path: sqlite:////tmp/…
    user = quote(s["USER"] or "", safe="")
    password = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    return f"postgres://{user}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Ministry:
    """``python -m bouquet.simulators.ministry.server`` in its own process, with the demo PKI."""

    def __init__(self, pki, work: Path, maildir: Path, *extra: str) -> None:
        self.pki, self.work, self.maildir = pki, work, maildir
        self.state_dir = work / "ministry-state"
        self.faults_file = work / "faults.json"
        self.port = free_port()
        self.log = work / "ministry.log"
        self.args = [
            sys.executable, "-m", "bouquet.simulators.ministry.server",
            "--listen", f"127.0.0.1:{self.port}", "--ui-listen", "",
            "--cert", str(pki.server_cert), "--key", str(pki.server_key), "--client-ca", str(pki.ca_chain),
            "--deliver", self.deliver, "--state-dir", str(self.state_dir),
            "--authority", SIREN, "--faults", str(self.faults_file), *extra,
        ]  # fmt: skip
        self.process: subprocess.Popen | None = None

    @property
    def deliver(self) -> str:
        return f"maildir://{self.maildir}"

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}/actes/upload"

    def start(self) -> "Ministry":
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT)
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
        """Switch fault modes live (the simulator rereads the file on every request)."""
        self.faults_file.write_text(json.dumps(values), encoding="utf-8")

    def cli(self, *args: str) -> str:
        """Play the préfecture: ``python -m bouquet.simulators.ministry.cli … <args>``."""
        result = subprocess.run(
            [sys.executable, "-m", "bouquet.simulators.ministry.cli", "--state-dir", str(self.state_dir),
             "--deliver", self.deliver, *args],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    @property
    def state(self) -> State:
        return State(self.state_dir)

    def rows(self, sql: str, params=()) -> list[dict]:
        return self.state.rows(sql, params)

    def wait_rows(self, sql: str, expected: list[dict], params=(), timeout: float = WAIT_SECONDS) -> None:
        """Wait until the query gives ``expected`` (the simulator processes an upload after its 200)."""
        deadline = time.monotonic() + timeout
        while (found := self.rows(sql, params)) != expected:
            assert time.monotonic() < deadline, f"{found} != {expected}"
            time.sleep(0.02)


def make_client(pki, ministry: Ministry) -> HttpsMinistryClient:
    """Our real client: the platform certificate, the simulator's certificate pinned."""
    return HttpsMinistryClient(
        ministry.url,
        client_cert=pki.platform_cert,
        client_key=pki.platform_key,
        server_cert_pin=pki.server_cert,
        connect_timeout=5,
        total_timeout=30,
    )


def make_imap_inbox(dovecot) -> ImapInbox:
    return ImapInbox("127.0.0.1", dovecot.port, dovecot.user, dovecot.password, timeout=10)


def dovecot_maildir(dovecot) -> Path:
    """The INBOX of the Dovecot user, made writable by Dovecot's mail processes (``nobody`` as root).

    The simulator (this uid) drops files into ``new/``; Dovecot renames them and creates its folders.
    """
    maildir = dovecot.dir / "home" / dovecot.user / "Maildir"
    for sub in ("", "tmp", "new", "cur"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(maildir / sub, nobody.pw_uid, nobody.pw_gid)
    return maildir


@dataclass
class Platform:
    """The authority, its agent, the operator's staff, and the transports of one test."""

    authority: object
    actor: Actor
    client: HttpsMinistryClient
    inbox: MaildirInbox | ImapInbox
    ministry: Ministry

    @classmethod
    def build(cls, client, inbox, ministry) -> "Platform":
        operator = make_operator()
        modules = make_modules()
        authority = make_authority(operator, "Commune E2E", SIREN, departement=DEPARTEMENT)
        for module in modules.values():
            Subscription.objects.create(authority=authority, module=module, start_date=dt.date(2024, 1, 1))
        full = {ModuleCode.ACTES: (Access.WRITE, True, True)}
        user = make_user("agent@e2e.example.test", authority, Role.ADMIN, full)
        staff = make_user("olga@operateur.example.test")
        OperatorStaff.objects.create(user=staff, operator=operator, role=OperatorRole.ADMIN)
        ensure_classification(authority)
        return cls(authority, Actor.of_user(user), client, inbox, ministry)

    def create(self, number: str, nature: int = 1, classification: str = "3.2", **changes) -> Transaction:
        from bouquet.actes.protocol.constants import DEFAULT_TYPOLOGIES

        values = {
            "nature": nature,
            "number": number,
            "subject": f"Acte {number} transmis de bout en bout",
            "decision_date": timezone.localdate() - dt.timedelta(days=1),
            "classification": classification,
            "document": Document(f"{number}.pdf", PDF, DEFAULT_TYPOLOGIES[nature]),
            "annexes": (Document("annexe.pdf", PDF + b"% annexe\n", DEFAULT_TYPOLOGIES[nature]),),
        }
        values.update(changes)
        return create_act(authority=self.authority, actor=self.actor, **values)

    def step(self) -> dict:
        """One pass of every worker job, as ``bouquet actes worker`` does."""
        return {
            "process": tasks.process_posted.call(),
            "send": tasks.send_pending.call(client=self.client),
            "poll": tasks.poll_inbox.call(inbox=self.inbox),
        }

    def run_until(self, done: Callable[[], bool], timeout: float = WAIT_SECONDS) -> None:
        """Run the jobs until ``done()`` (the simulator answers after its 200: mails come later)."""
        deadline = time.monotonic() + timeout
        while True:
            self.step()
            if done():
                return
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"délai de {timeout:g} s dépassé\n{self.ministry.log.read_text()[-3000:]}"
                )
            time.sleep(0.05)

    def reach(self, transaction: Transaction, status: int, timeout: float = WAIT_SECONDS) -> Transaction:
        def done() -> bool:
            transaction.refresh_from_db()
            return transaction.status == status

        self.run_until(done, timeout)
        return transaction
