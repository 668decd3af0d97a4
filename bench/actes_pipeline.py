"""ACTES pipeline bench: N acts (1 MB PDF + two annexes) through the whole platform, end to end.

Each act is created through the service layer (the main process, standing for the web application),
checked and archived, sent over HTTPS with our client certificate to the REAL ministry simulator (a
separate process), acknowledged by mail (simulator → Maildir → poll) until every act is in status 4.
The checking, sending and polling are done by ``BENCH_WORKERS`` processes (default: 1 on SQLite,
2 on PostgreSQL, see ``DEFAULT_WORKERS``) running the real ``bouquet actes worker`` loop, while the
acts are being created, as in production: the main process, the workers and the simulator then use
the two cores together; ``BENCH_WORKERS=0`` runs the same passes in the main process after the
creations.
On a fresh SQLite file database, and on PostgreSQL when ``BENCH_DATABASE_URL`` is set (a fresh
database is created on that server) or a local PostgreSQL 15 can be started (initdb in a temporary
folder, like ``.ci/run``).

A few warm-up acts go through the whole pipeline before the clock starts (imports, template engine,
schema, TLS contexts: a long-running worker pays them once, not per act).

Figures, one per line: acts/s end to end; CPU ms per act of the platform (the main process plus the
workers), of the simulator and, on PostgreSQL, of the database server processes serving them (the
same two cores), read from ``/proc/<pid>/stat`` over the timed window only; and, in the
same run, the CPU cost of only building the same archives with the protocol library (tar.gz + schema
validation), so that ``actes pipeline overhead ratio`` = platform CPU per act / archive-only CPU per
act, and ``end-to-end time vs archive-only ratio`` = wall time per act / archive-only time per act.

``BENCH_ACTS`` sets N (default 200), ``BENCH_RUNS`` the runs per database (default 3, the median
reported). Each run is its own child process (fresh settings) on a fresh database.
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

from bench import _postgres as postgres

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ACTS = 200
#: Each database with the worker count recommended for it on 2 cores: SQLite has one writer at a
#: time, so one worker; on PostgreSQL two overlap each other's waits (``bouquet run --actes-workers``).
DEFAULT_WORKERS = {"sqlite": 1, "postgresql": 2}
#: Runs per database; the median is reported (this virtual machine's figures move by 10–25 % from run
#: to run, mostly with the kernel's page cache), with the slowest and fastest.
DEFAULT_RUNS = 3
WARMUP_ACTS = 4
SIREN = "210100012"
MAIN_SIZE, ANNEX_SIZE = 1_000_000, 100_000
WORKER_IDLE_SECONDS = "0.2"


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a live process, all threads (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- the child: one database, one full pipeline ------------------------------------------------------


def _database_backends(connection) -> list[int]:
    """PostgreSQL server processes serving this database (the main process's and the workers'), whose
    CPU is spent on the same two cores; none for SQLite, which runs inside our processes."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        pids = [pid for (pid,) in cursor.fetchall()]
    return [pid for pid in pids if Path(f"/proc/{pid}/stat").exists()]


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
    port = postgres.free_port()
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


def _start_workers(count: int, work: Path, env: dict[str, str]) -> list[subprocess.Popen]:
    command = [sys.executable, "-c", "from bouquet.cli import main; main()", "actes", "worker",
               "--interval", WORKER_IDLE_SECONDS]  # fmt: skip
    return [
        subprocess.Popen(
            command,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=(work / f"worker-{n}.log").open("wb"),
        )  # fmt: skip
        for n in range(count)
    ]


def _archive_only(count: int, base: bytes, today) -> float:
    """CPU seconds to build the same archives with the protocol library alone (contents prepared
    outside the measure, as the pipeline's uploads are)."""
    import datetime as dt

    from bouquet.actes.protocol import EnvelopeName, MessageName, build_transmission
    from bouquet.actes.protocol.messages import IDCL, Acte, EnveloppeCLMISILL, SignedFile

    spent = 0.0
    for n in range(count):
        documents = _documents(base, n)
        start = time.process_time()
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
            documents=list(zip(names, documents, strict=True)),
        )
        spent += time.process_time() - start
    return spent


def child(count: int, workers: int) -> dict:
    """Run inside a process whose DATABASE_URL and BOUQUET_VAR_DIR are already set."""
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from bouquet.actes import tasks
    from bouquet.actes.choices import Status
    from bouquet.actes.demo import ensure_classification
    from bouquet.actes.models import Transaction
    from bouquet.actes.services.common import Document
    from bouquet.actes.services.create_act import create_act
    from bouquet.actes.transport import HttpsMinistryClient, MaildirInbox
    from bouquet.backoffice.choices import ConventionKind, ConventionModule, ConventionStatus
    from bouquet.backoffice.models import Convention
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
    Convention.objects.create(  # acts reach the préfecture only under a signed convention in force
        authority=authority, module=ConventionModule.ACTES, kind=ConventionKind.CONVENTION,
        subject="Télétransmission des actes", status=ConventionStatus.SIGNED,
        signed_on=dt.date(2024, 1, 1), effective_from=dt.date(2024, 1, 1),
    )  # fmt: skip
    actor = Actor.of_user(user)

    maildir = work / "actes-inbox"
    simulator, port = _start_simulator(pki, work, maildir)
    url = f"https://127.0.0.1:{port}/actes/upload"
    client = HttpsMinistryClient(
        url, client_cert=pki.platform_cert, client_key=pki.platform_key, server_cert_pin=pki.server_cert,
        connect_timeout=10, total_timeout=60,
    )  # fmt: skip
    inbox = MaildirInbox(maildir)
    processes = _start_workers(workers, work, {
        "MINISTRY_ACTES_URL": url, "MINISTRY_CLIENT_CERT": str(pki.platform_cert),
        "MINISTRY_CLIENT_KEY": str(pki.platform_key), "MINISTRY_SERVER_CERT": str(pki.server_cert),
        "ACTES_INBOX_URL": f"maildir://{maildir}",
    })  # fmt: skip
    base = os.urandom(MAIN_SIZE)
    today = timezone.localdate()
    decided = today - dt.timedelta(days=1)

    def create(number: str, main: bytes, annexes: list[bytes]) -> None:
        create_act(
            authority=authority, actor=actor, nature=1, number=number,
            subject=f"Acte de performance {number}", decision_date=decided, classification="3.2",
            document=Document("acte.pdf", main, "99_DE"),
            annexes=[Document(f"annexe{k}.pdf", a, "99_DE") for k, a in enumerate(annexes, 1)],
        )  # fmt: skip

    def finish(deadline: float) -> int:
        """Wait until every act is acknowledged (the workers), or drive the passes here (no worker)."""
        passes = 0
        while Transaction.objects.acts().exclude(status=Status.ACQUITTEMENT_RECU).exists():
            if time.monotonic() > deadline:
                counts = dict(Transaction.objects.acts().values_list("status").annotate(Count("id")))
                logs = "".join(p.read_text()[-2000:] for p in sorted(work.glob("worker-*.log")))
                raise RuntimeError(f"bench: délai dépassé avant le statut 4 des actes ({counts})\n{logs}")
            if any(p.poll() is not None for p in processes):
                raise RuntimeError((work / "worker-0.log").read_text()[-4000:])
            if workers:
                time.sleep(0.1)
                continue
            tasks.process_posted.call()
            tasks.send_pending.call(client=client)
            if not tasks.poll_inbox.call(inbox=inbox):
                time.sleep(0.01)
            passes += 1
        return passes

    try:
        for n in range(WARMUP_ACTS):
            main, *annexes = _documents(base, 10**6 + n)
            create(f"2026_W{n:05d}", main, annexes)
        finish(time.monotonic() + 180)
        contents = [_documents(base, n) for n in range(count)]  # prepared before the clock, like uploads
        others = [simulator.pid] + [p.pid for p in processes] + _database_backends(connection)
        cpu_before = [_cpu_seconds(pid) for pid in others]
        wall, cpu = time.perf_counter(), time.process_time()
        for n, (main, *annexes) in enumerate(contents):
            create(f"2026_B{n:05d}", main, annexes)
        passes = finish(time.monotonic() + 300)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        cpu_after = [_cpu_seconds(pid) for pid in others]
    finally:
        for process in [*processes, simulator]:
            process.terminate()
        for process in [*processes, simulator]:
            process.wait(30)
    spent = [b - a for a, b in zip(cpu_before, cpu_after, strict=True)]
    workers_spent = spent[1 : 1 + len(processes)]
    return {
        "vendor": connection.vendor,
        "acts": count,
        "workers": workers,
        "seconds": wall,
        "cpu": cpu + sum(workers_spent),
        "database_cpu": sum(spent[1 + len(processes) :]),
        "main_cpu": cpu,
        "simulator_cpu": spent[0],
        "archive_cpu": _archive_only(count, base, today),
        "passes": passes,
    }


# --- the parent: databases, children, figures ------------------------------------------------------


def _settle() -> bool:
    """Start each run from the same state: the last run's ~0.5 GB of files written to the disk (else
    the kernel writes them back during this run, on the same two cores), and, when allowed (root),
    the kernel's caches dropped. On this virtual machine the cost of writing new files grows with
    the page cache, and runs move by ±25 % without this. Returns whether the caches were dropped."""
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def _run_child(database_url: str, count: int, workers: int) -> dict:
    dropped = _settle()
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
        # Stored files not flushed to the disk, as the PostgreSQL cluster (fsync=off): a bench, not a
        # server. BENCH_STORAGE_FSYNC=1 measures the production default.
        env["STORAGE_FSYNC"] = os.environ.get("BENCH_STORAGE_FSYNC", "0")
        env.pop("TRUSTED_PROXY_SECRET", None)
        result = subprocess.run(
            [sys.executable, "-m", "bench.actes_pipeline", "--child", str(count), str(workers)],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(result.stderr[-4000:])
        return {**json.loads(result.stdout.strip().splitlines()[-1]), "caches_dropped": dropped}
    finally:
        shutil.rmtree(var, ignore_errors=True)


def _print(label: str, runs: list[dict]) -> None:
    """The figures of the median run (by acts/s), then the slowest and fastest runs."""
    speeds = sorted(r["acts"] / r["seconds"] for r in runs)
    r = sorted(runs, key=lambda r: r["acts"] / r["seconds"])[len(runs) // 2]
    n = r["acts"]
    ours = 1000 * r["cpu"] / n
    simulator = 1000 * r["simulator_cpu"] / n
    archive = 1000 * r["archive_cpu"] / n
    print(f"actes pipeline {label}: {n / r['seconds']:.1f} acts/s")
    print(f"actes pipeline {label} runs: {len(runs)} (median shown)")
    print(f"actes pipeline {label} slowest run: {speeds[0]:.1f} acts/s")
    print(f"actes pipeline {label} fastest run: {speeds[-1]:.1f} acts/s")
    print(f"actes pipeline {label} workers: {r['workers']} processes")
    print(f"actes pipeline {label} caches dropped before each run: {'yes' if r['caches_dropped'] else 'no'}")
    print(f"actes pipeline {label} platform cpu: {ours:.1f} ms/act")
    print(f"actes pipeline {label} simulator cpu: {simulator:.1f} ms/act")
    database = 1000 * r["database_cpu"] / n
    if database:
        print(f"actes pipeline {label} database server cpu: {database:.1f} ms/act")
    print(f"actes pipeline {label} total cpu: {ours + simulator + database:.1f} ms/act")
    print(f"actes pipeline {label} archive-only cpu: {archive:.1f} ms/act")
    print(f"actes pipeline {label} overhead ratio: {ours / archive:.2f}")
    per_act = 1000 * r["seconds"] / n
    print(f"actes pipeline {label} end-to-end time vs archive-only ratio: {per_act / archive:.2f}")


def run() -> None:
    """SQLite and PostgreSQL runs alternate, so that both meet the machine in the same state."""
    count = int(os.environ.get("BENCH_ACTS", DEFAULT_ACTS))
    runs = int(os.environ.get("BENCH_RUNS", DEFAULT_RUNS))
    chosen = os.environ.get("BENCH_WORKERS")
    workers = {db: int(chosen) if chosen else n for db, n in DEFAULT_WORKERS.items()}
    results: dict[str, list[dict]] = {"sqlite": [], "postgresql": []}
    with postgres.server() as server:
        for _ in range(runs):
            results["sqlite"].append(_run_child("sqlite:///{var}/bench.sqlite3", count, workers["sqlite"]))
            if server:
                with postgres.database(server) as url:
                    results["postgresql"].append(_run_child(url, count, workers["postgresql"]))
    _print("sqlite", results["sqlite"])
    if results["postgresql"]:
        _print("postgresql", results["postgresql"])
    else:
        print("actes pipeline postgresql: skipped (no BENCH_DATABASE_URL, no PostgreSQL 15)")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        run()
