"""Deposit bench: N companies each deposit a file of M MB in the last minute before a deadline.

The real application is served by gunicorn (as ``bouquet run`` does) on a fresh SQLite database (or
the PostgreSQL of ``BENCH_DATABASE_URL``, a fresh database being created on that server); N client
threads speak the upload protocol of ``deposit.js`` over HTTP: start, pieces of
``MARCHES_BIDS_CHUNK_SIZE`` with their offset and SHA-256 (retried or resumed as the script does),
then the final step. The deadline is set one minute after the first start; the starts are spread over
``BENCH_SPREAD`` seconds.

Figures: deposits acknowledged, lost (a client's file missing or different in the database), on
time; the time from the last byte received to the acknowledgement, on the server's own clock
(``ack_sent_at - last_byte_at``, p50/p99) and the round trip of the last piece, which carries the
final step as deposit.js sends it (upload of the piece, validation, acknowledgement); wall time and
throughput; pieces retried.

Environment: ``BENCH_DEPOSITS`` (N, default 200), ``BENCH_DEPOSIT_MB`` (M, default 20),
``BENCH_WORKERS`` (gunicorn processes, default 4), ``BENCH_SPREAD`` (seconds, default 30).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import _postgres as postgres

ROOT = Path(__file__).resolve().parents[1]
SIREN = "210100012"


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


# --- child: one fresh platform, N clients -----------------------------------------------------------


def _setup(count: int) -> tuple[int, list[dict]]:
    """The consultation, N companies with a logged-in session each (cookies for the clients)."""
    from datetime import date, timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.middleware.csrf import _get_new_csrf_string
    from django.utils import timezone

    from bouquet.core.choices import ModuleCode
    from bouquet.core.models import Subscription, User
    from bouquet.core.validators import luhn_ok
    from bouquet.marches.choices import Kind, Procedure, Status
    from bouquet.marches.models import Company, CompanyMembership, Consultation
    from bouquet.test import make_authority, make_modules, make_operator

    call_command("migrate", verbosity=0)
    operator = make_operator()
    modules = make_modules()
    authority = make_authority(operator, "Commune du banc d'essai", SIREN)
    Subscription.objects.create(
        authority=authority, module=modules[ModuleCode.MARCHES], start_date=date(2024, 1, 1)
    )
    siret = next(SIREN + "0001" + str(d) for d in range(10) if luhn_ok(SIREN + "0001" + str(d)))
    consultation = Consultation.objects.create(
        authority=authority,
        buyer_siret=siret,
        reference="BENCH-2026",
        object="Banc d'essai des dépôts",
        procedure=Procedure.OPEN,
        kind=Kind.WORKS,
        cpv_main="45233140-2",
        execution_place="Dijon",
        estimated_amount=1_000_000,
        status=Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=30),
        bid_deadline=timezone.now() + timedelta(days=1),
        version=1,
    )
    clients = []
    for n in range(count):
        stem = f"9{n:07d}00001"
        company_siret = next(stem + str(d) for d in range(10) if luhn_ok(stem + str(d)))
        company = Company.objects.create(
            siret=company_siret,
            name=f"Entreprise {n:03d}",
            address="1 rue du Banc",
            postal_code="21000",
            city="Dijon",
            email=f"depot{n}@bench.example.test",
        )
        user = User(email=f"depot{n}@bench.example.test", first_name="Dépôt", last_name=f"{n:03d}")
        user.set_unusable_password()
        user.save()
        CompanyMembership.objects.create(user=user, company=company)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        clients.append({"n": n, "session": session.session_key, "csrf": _get_new_csrf_string()})
    return consultation.pk, clients


def _serve(port: int, workers: int, log: Path) -> subprocess.Popen:
    threads = ["--threads", os.environ["BENCH_THREADS"]] if os.environ.get("BENCH_THREADS") else []
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "bouquet.config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    argv += ["--workers", str(workers), "--timeout", "300", "--backlog", "2048", "--error-logfile", "-"]
    argv += ["--no-control-socket", *threads]
    process = subprocess.Popen(
        argv,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    raise RuntimeError(log.read_text()[-3000:])


class _Client:
    """One company speaking the protocol of deposit.js with requests."""

    def __init__(self, base: str, consultation: int, info: dict, size: int, pattern: bytes) -> None:
        import requests

        self.base, self.consultation, self.info, self.size, self.pattern = (
            base,
            consultation,
            info,
            size,
            pattern,
        )
        self.http = requests.Session()
        cookie = f"sessionid={info['session']}; csrftoken={info['csrf']}"
        self.headers = {"X-CSRFToken": info["csrf"], "Cookie": cookie}
        self.retries = 0

    def piece(self, offset: int, length: int) -> bytes:
        """Distinct, incompressible content per company: a shared random block tagged with the company."""
        tag = f"{self.info['n']:08d}{offset:016d}".encode()
        body = self.pattern[:length]
        return tag[:length] + body[len(tag[:length]) :]

    def run(self) -> dict:
        timeout = 600
        manifest = {
            "files": [{"slot": "offre", "name": f"offre-{self.info['n']:03d}.pdf", "size": self.size}]
        }
        started = self.http.post(
            f"{self.base}/depots/{self.consultation}/deposer/",
            json=manifest,
            headers=self.headers,
            timeout=timeout,
        )
        started.raise_for_status()
        body = started.json()
        entry, chunk = body["files"][0], body["chunk_size"]
        digest, offset, committed, final_ms = hashlib.sha256(), 0, None, 0.0
        while offset < self.size:
            data = self.piece(offset, min(chunk, self.size - offset))
            headers = {
                **self.headers,
                "X-Upload-Offset": str(offset),
                "X-Chunk-Sha256": hashlib.sha256(data).hexdigest(),
                "Content-Type": "application/octet-stream",
            }
            if offset + len(data) == self.size:
                headers["X-Deposit-Commit"] = "1"  # the final step rides on the last piece, as in deposit.js
            sent = time.monotonic()
            try:
                response = self.http.post(
                    self.base + entry["url"], data=data, headers=headers, timeout=timeout
                )
            except OSError:
                response = None
            if response is not None and response.status_code == 200:
                digest.update(data)
                answer = response.json()
                offset, committed = answer["received"], answer.get("commit")
                final_ms = (time.monotonic() - sent) * 1000
                continue
            self.retries += 1
            time.sleep(1)
            if response is not None and response.status_code == 409:
                offset = response.json()["received"]
                digest = self._rehash(offset, chunk)
        if committed is None:  # the answer to the last piece was lost: the explicit final step
            response = self.http.post(self.base + body["commit_url"], headers=self.headers, timeout=timeout)
            response.raise_for_status()
            committed = response.json()
        return {
            "n": self.info["n"],
            "uuid": body["deposit"],
            "sha256": digest.hexdigest(),
            "final_ms": final_ms,
            "late": committed["late"],
            "retries": self.retries,
        }

    def _rehash(self, upto: int, chunk: int):
        digest, offset = hashlib.sha256(), 0
        while offset < upto:
            digest.update(self.piece(offset, min(chunk, upto - offset)))
            offset += chunk
        return digest


def _warm_up(base: str, workers: int) -> None:
    """Wait until every worker has loaded the application (not part of the figures)."""
    import requests

    with ThreadPoolExecutor(max_workers=workers * 2) as pool:
        list(pool.map(lambda _: requests.get(base + "/depots/heure/", timeout=120), range(workers * 4)))


def _verify(results: list[dict]) -> dict:
    from bouquet.marches.bids.choices import DepositStatus
    from bouquet.marches.bids.models import Deposit, DepositFile
    from bouquet.marches.bids.services.evidence import verify_evidence

    received = {str(d.uuid): d for d in Deposit.objects.filter(status=DepositStatus.RECEIVED)}
    hashes = {
        str(f.envelope.deposit.uuid): f.sha256
        for f in DepositFile.objects.select_related("envelope__deposit")
    }
    lost = [r for r in results if r.get("uuid") not in received or hashes.get(r["uuid"]) != r.get("sha256")]
    server_ms = [
        (d.ack_sent_at - d.last_byte_at).total_seconds() * 1000 for d in received.values() if d.ack_sent_at
    ]
    chains = sum(1 for d in received.values() if verify_evidence(d))
    return {
        "received": len(received),
        "acknowledged": sum(1 for d in received.values() if d.ack_sha256),
        "lost": len(lost),
        "late": sum(1 for d in received.values() if d.is_late),
        "server_ms": server_ms,
        "chains_ok": chains,
    }


def child() -> None:
    import django

    django.setup()
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from bouquet.marches.models import Consultation

    count = int(os.environ.get("BENCH_DEPOSITS", "200"))
    size = int(float(os.environ.get("BENCH_DEPOSIT_MB", "20")) * 1024 * 1024)
    workers = int(os.environ.get("BENCH_WORKERS", "4"))
    spread = float(os.environ.get("BENCH_SPREAD", "30"))
    consultation, infos = _setup(count)
    connection.close()
    port = postgres.free_port()
    server = _serve(port, workers, Path(os.environ["BOUQUET_VAR_DIR"]) / "gunicorn.log")
    pattern = os.urandom(8 * 1024 * 1024)
    _warm_up(f"http://127.0.0.1:{port}", workers)
    try:
        deadline = timezone.now() + timedelta(seconds=60)
        Consultation.objects.filter(pk=consultation).update(bid_deadline=deadline)
        base = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        errors: list[str] = []
        lock = threading.Lock()

        def one(info: dict) -> dict:
            time.sleep(spread * info["n"] / max(1, count))
            try:
                return _Client(base, consultation, info, size, pattern).run()
            except Exception as exc:  # noqa: BLE001 - counted as lost
                with lock:
                    errors.append(f"{info['n']}: {exc}")
                return {"n": info["n"], "error": str(exc)}

        with ThreadPoolExecutor(max_workers=count) as pool:
            results = list(pool.map(one, infos))
        wall = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(30)
    checked = _verify(results)
    final_ms = [r["final_ms"] for r in results if "final_ms" in r]
    print(
        json.dumps(
            {
                "count": count,
                "size_mb": size / 1024 / 1024,
                "workers": workers,
                "wall_s": wall,
                "retries": sum(r.get("retries", 0) for r in results),
                "client_errors": errors[:5],
                "final_ms": final_ms,
                **checked,
            }
        )
    )


# --- parent ------------------------------------------------------------------------------------------


def _run_child() -> dict:
    work = Path(tempfile.mkdtemp(prefix="bench-deposits-"))
    env = {
        **os.environ,
        "BOUQUET_VAR_DIR": str(work),
        "SECRET_KEY": "bench-only",
        "DJANGO_SETTINGS_MODULE": "bouquet.config.settings",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{work}/bench.sqlite3"),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("TRUSTED_PROXY_SECRET", None)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.marches_deposits", "--child"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-4000:])
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run() -> None:
    result = _run_child()
    name = "marches deposits"
    total_mb = result["count"] * result["size_mb"]
    print(f"{name} companies: {result['count']} deposits")
    print(f"{name} file size: {result['size_mb']:.0f} MB")
    print(f"{name} gunicorn workers: {result['workers']} processes")
    print(f"{name} acknowledged: {result['acknowledged']} deposits")
    print(f"{name} lost: {result['lost']} deposits")
    print(f"{name} late: {result['late']} deposits")
    print(f"{name} evidence chains intact: {result['chains_ok']} deposits")
    print(f"{name} ack after last byte p50: {_percentile(result['server_ms'], 0.5):.0f} ms")
    print(f"{name} ack after last byte p99: {_percentile(result['server_ms'], 0.99):.0f} ms")
    print(f"{name} last piece with final step round trip p50: {_percentile(result['final_ms'], 0.5):.0f} ms")
    print(f"{name} last piece with final step round trip p99: {_percentile(result['final_ms'], 0.99):.0f} ms")
    print(f"{name} wall time: {result['wall_s']:.1f} s")
    print(f"{name} throughput: {total_mb / result['wall_s']:.1f} MB/s")
    print(f"{name} pieces retried: {result['retries']} pieces")
    print(f"{name} acknowledged ratio: {result['acknowledged'] / max(1, result['count']):.3f}")
    for error in result["client_errors"]:
        print(f"# client error: {error}")


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.path.insert(0, str(ROOT / "src"))
        child()
    else:
        sys.path.insert(0, str(ROOT))
        run()
