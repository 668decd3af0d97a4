"""ACTES pipeline bench: N acts (1 MB PDF + two annexes) through the whole platform, end to end.

Each act is created through the service layer, checked and archived (``process_posted``), sent over
HTTPS with our client certificate to the REAL ministry simulator (a separate process), acknowledged by
mail (simulator → Maildir → ``poll_inbox``) until every act is in status 4. On a fresh SQLite file
database, and on PostgreSQL when ``BENCH_DATABASE_URL`` is set (a fresh database is created on that
server) or a local PostgreSQL 15 can be started (initdb in a temporary folder, like ``.ci/run``).

Figures, one per line: acts/s end to end; CPU ms per act of our process (``time.process_time``) and
of the simulator (``getrusage(RUSAGE_CHILDREN)`` once it has exited); and, in the same run, the CPU
cost of only building the same archives with the protocol library (tar.gz + schema validation), so
that ``actes pipeline overhead ratio`` = our CPU per act / archive-only CPU per act.

``BENCH_ACTS`` sets N (default 200). Each database runs in its own child process (fresh settings).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ACTS = 200
SIREN = "210100012"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
MAIN_SIZE, ANNEX_SIZE = 1_000_000, 100_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the child: one database, one full pipeline ------------------------------------------------------


def _documents(base: bytes, n: int) -> list[bytes]:
    """Distinct, incompressible contents per act (a scanned act does not compress; the platform's
    content-addressed storage must not be allowed to deduplicate them)."""
    tag = n.to_bytes(8, "big")
    main = b"%PDF-1.7\n" + tag + base[: MAIN_SIZE - 17]
    annexes = [
        b"%PDF-1.7\n" + tag + bytes([k]) + base[k * ANNEX_SIZE : (k + 1) * ANNEX_SIZE - 18] for k in (1, 2)
    ]
    return [main, *annexes]


def _start_simulator(pki, work: Path, maildir: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bouquet.simulators.ministry.server", "--listen", f"127.0.0.1:{port}",
         "--ui-listen", "", "--cert", str(pki.server_cert), "--key", str(pki.server_key),
         "--client-ca", str(pki.ca_chain), "--deliver", f"maildir://{maildir}",
         "--state-dir", str(work / "ministry"), "--authority", SIREN],
        stdout=subprocess.DEVNULL, stderr=(work / "ministry.log").open("wb"),
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.05)
    raise RuntimeError((work / "ministry.log").read_text())


def _archive_only(count: int, base: bytes, today) -> float:
    """CPU seconds to build the same archives with the protocol library alone."""
    import datetime as dt

    from bouquet.actes.protocol import EnvelopeName, MessageName, build_transmission
    from bouquet.actes.protocol.messages import IDCL, Acte, EnveloppeCLMISILL, SignedFile

    start = time.process_time()
    for n in range(count):
        number = f"2026_B{n:05d}"
        date = today - dt.timedelta(days=1)
        message = MessageName("021", SIREN, date, number, "DE", "1-1")
        names = [message.document(k, "pdf", "99_DE") for k in (1, 2, 3)]
        acte = Acte(
            date=date, numero_interne=number, code_nature_acte=1, codes_matiere=(3, 2),
            objet=f"Acte de performance {number}", classification_date_version=dt.date(2024, 1, 1),
            document=SignedFile(str(names[0])), annexes=tuple(SignedFile(str(x)) for x in names[1:]),
        )  # fmt: skip
        envelope = EnveloppeCLMISILL(
            idcl=IDCL(SIREN, "021", "1", "32"),
            adresses_retour=("actes@tdt.bouquet.test", "agent@bench.example.test"),
            formulaires=(SignedFile(str(message)),),
        )
        build_transmission(
            trigramme="BQT",
            envelope_name=EnvelopeName(siren=SIREN, date=today, serial=n + 1),
            envelope=envelope,
            messages=[(message, acte)],
            documents=list(zip(names, _documents(base, n), strict=True)),
        )
    return time.process_time() - start


def child(count: int) -> dict:
    """Run inside a process whose DATABASE_URL and BOUQUET_VAR_DIR are already set."""
    import resource

    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bouquet.actes import tasks
    from bouquet.actes.choices import Status
    from bouquet.actes.demo import ensure_classification
    from bouquet.actes.models import Transaction
    from bouquet.actes.services.common import Document
    from bouquet.actes.services.create_act import create_act
    from bouquet.actes.transport import HttpsMinistryClient, MaildirInbox
    from bouquet.core.audit import Actor
    from bouquet.core.choices import Access, ModuleCode, Role
    from bouquet.core.models import Subscription
    from bouquet.pki.demo_pki import generate_demo_pki
    from bouquet.test import make_authority, make_modules, make_operator, make_user

    call_command("migrate", verbosity=0)
    work = Path(os.environ["BOUQUET_VAR_DIR"])
    pki = generate_demo_pki(work / "pki")
    operator = make_operator()
    authority = make_authority(operator, "Commune du bench", SIREN)
    for module in make_modules().values():
        Subscription.objects.create(authority=authority, module=module, start_date=dt.date(2024, 1, 1))
    user = make_user(
        "agent@bench.example.test", authority, Role.ADMIN, {ModuleCode.ACTES: (Access.WRITE, True, True)}
    )
    ensure_classification(authority)
    actor = Actor.of_user(user)

    maildir = work / "actes-inbox"
    simulator, port = _start_simulator(pki, work, maildir)
    client = HttpsMinistryClient(
        f"https://127.0.0.1:{port}/actes/upload",
        client_cert=pki.platform_cert,
        client_key=pki.platform_key,
        server_cert_pin=pki.server_cert,
        connect_timeout=10,
        total_timeout=60,
    )
    inbox = MaildirInbox(maildir)
    base = os.urandom(MAIN_SIZE)
    today = timezone.localdate()
    decided = today - dt.timedelta(days=1)
    contents = [_documents(base, n) for n in range(count)]  # prepared before the clock, like uploads

    wall, cpu = time.perf_counter(), time.process_time()
    for n, (main, *annexes) in enumerate(contents):
        create_act(
            authority=authority, actor=actor, nature=1, number=f"2026_B{n:05d}",
            subject=f"Acte de performance 2026_B{n:05d}", decision_date=decided, classification="3.2",
            document=Document("acte.pdf", main, "99_DE"),
            annexes=[Document(f"annexe{k}.pdf", a, "99_DE") for k, a in enumerate(annexes, 1)],
        )  # fmt: skip
    passes = 0
    deadline = time.monotonic() + 150
    while Transaction.objects.acts().exclude(status=Status.ACQUITTEMENT_RECU).exists():
        if time.monotonic() > deadline:
            raise RuntimeError("bench: délai dépassé avant le statut 4 de tous les actes")
        tasks.process_posted.call()
        tasks.send_pending.call(client=client)
        if not tasks.poll_inbox.call(inbox=inbox):
            time.sleep(0.01)
        passes += 1
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu

    simulator.terminate()
    simulator.wait(30)
    simulator_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    archive_cpu = _archive_only(count, base, today)
    return {
        "vendor": connection.vendor,
        "acts": count,
        "seconds": wall,
        "cpu": cpu,
        "simulator_cpu": simulator_cpu.ru_utime + simulator_cpu.ru_stime,
        "archive_cpu": archive_cpu,
        "passes": passes,
    }


# --- the parent: databases, children, figures ------------------------------------------------------


def _run_child(database_url: str, count: int) -> dict:
    var = Path(tempfile.mkdtemp(prefix="bouquet-bench-"))
    try:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="bouquet.config.settings",
            BOUQUET_VAR_DIR=str(var),
            SECRET_KEY="bench-only-secret-key",
            DATABASE_URL=database_url.replace("{var}", str(var)),
            PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]),
        )
        env.pop("TRUSTED_PROXY_SECRET", None)
        result = subprocess.run(
            [sys.executable, "-m", "bench.actes_pipeline", "--child", str(count)],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(result.stderr[-4000:])
        return json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(var, ignore_errors=True)


def _as_postgres(*args: str, **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        args = ("runuser", "-u", "postgres", "--", *args)
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


class _LocalPostgres:
    """A throwaway PostgreSQL 15 cluster in a temporary folder (fsync off: a bench, not a server)."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="bouquet-bench-pg-"))
        self.port = _free_port()

    def start(self) -> str:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        _as_postgres(str(PG_BIN / "initdb"), "-D", str(self.dir / "data"), "-U", "postgres",
                     "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        options = f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off -c synchronous_commit=off"
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.dir / "log"),
                     "-w", "-o", options, "start")  # fmt: skip
        _as_postgres(
            str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "bench"
        )
        return f"postgres://postgres@127.0.0.1:{self.port}/bench"

    def stop(self) -> None:
        try:
            _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop")
        except (subprocess.CalledProcessError, OSError):
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def _fresh_database(server_url: str) -> tuple[str, callable]:
    """A new database on the server of ``server_url`` (dropped afterwards)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = f"bouquet_bench_{os.getpid()}"
    parts = urlsplit(server_url)
    admin = urlunsplit(parts._replace(scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def _print(label: str, r: dict) -> None:
    n = r["acts"]
    ours = 1000 * r["cpu"] / n
    archive = 1000 * r["archive_cpu"] / n
    print(f"actes pipeline {label}: {n / r['seconds']:.1f} acts/s")
    print(f"actes pipeline {label} platform cpu: {ours:.1f} ms/act")
    print(f"actes pipeline {label} simulator cpu: {1000 * r['simulator_cpu'] / n:.1f} ms/act")
    print(f"actes pipeline {label} archive-only cpu: {archive:.1f} ms/act")
    print(f"actes pipeline {label} overhead ratio: {ours / archive:.2f}")


def run() -> None:
    count = int(os.environ.get("BENCH_ACTS", DEFAULT_ACTS))
    _print("sqlite", _run_child("sqlite:///{var}/bench.sqlite3", count))
    local = None
    drop = None
    try:
        server = os.environ.get("BENCH_DATABASE_URL")
        if not server and (PG_BIN / "initdb").exists():
            local = _LocalPostgres()
            server = local.start()
        if not server:
            print("actes pipeline postgresql: skipped (no BENCH_DATABASE_URL, no PostgreSQL 15)")
            return
        url, drop = _fresh_database(server) if local is None else (server, None)
        _print("postgresql", _run_child(url, count))
    finally:
        if drop:
            drop()
        if local:
            local.stop()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]))))
    else:
        run()
