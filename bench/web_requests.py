"""Web requests bench: an agent's pages served by gunicorn, with the database connection kept by each
web process between requests (``DATABASE_CONN_MAX_AGE``, 60 s by default) against one connection
per request (``DATABASE_CONN_MAX_AGE=0``, Django's default and ours before), in the same run.

The real application is served by gunicorn with 2 sync workers (as ``bouquet run`` does) on a fresh
database: SQLite, and PostgreSQL when ``BENCH_DATABASE_URL`` is set or a local PostgreSQL 15 can be
started (as in ``actes_pipeline``). A logged-in agent's ACTES list page (50 acts) is fetched
``BENCH_REQUESTS`` times (default 1,000) by 4 client threads. Figures: requests/s and the machine's
CPU per request (every process, from ``/proc/stat``: gunicorn, the database server processes,
started per connection on PostgreSQL, and the client, the same in both modes).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import _postgres as postgres
from bench.marches_deposits import _serve

ROOT = Path(__file__).resolve().parents[1]
SIREN = "210100012"
DEFAULT_REQUESTS = 1000
CLIENTS = 4
WEB_WORKERS = 2
ACTS = 50


def _machine_cpu() -> float:
    """Seconds of CPU spent by the whole machine (all cores, every state but idle and iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    busy = sum(fields) - fields[3] - fields[4]
    return busy / os.sysconf("SC_CLK_TCK")


def _setup() -> str:
    """An authority with 50 acts and its agent, logged in: the session cookie's value."""
    import datetime as dt

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from bouquet.actes.choices import Status, TransactionType
    from bouquet.actes.models import Transaction
    from bouquet.core.choices import Access, ModuleCode, Role
    from bouquet.core.models import Subscription
    from bouquet.test import make_authority, make_modules, make_operator, make_user

    call_command("migrate", verbosity=0)
    authority = make_authority(make_operator(), "Commune du banc d'essai", SIREN)
    for module in make_modules().values():
        Subscription.objects.create(authority=authority, module=module, start_date=dt.date(2024, 1, 1))
    user = make_user(
        "agent@bench.example.test", authority, Role.ADMIN, {ModuleCode.ACTES: (Access.WRITE, True, True)}
    )
    Transaction.objects.bulk_create(
        Transaction(
            authority=authority,
            type=TransactionType.ACTE,
            status=Status.ACQUITTEMENT_RECU,
            nature=1,
            number=f"2026_{n:04d}",
            subject=f"Délibération {n}",
            decision_date=dt.date(2026, 1, 5),
            classification="3.2",
            created_by=user,
        )
        for n in range(ACTS)
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def child(count: int) -> dict:
    """Run inside a process whose DATABASE_URL, BOUQUET_VAR_DIR and DATABASE_CONN_MAX_AGE are set."""
    import django

    django.setup()
    import requests
    from django.conf import settings
    from django.db import connection

    cookie = {settings.SESSION_COOKIE_NAME: _setup()}
    connection.close()
    port = postgres.free_port()
    server = _serve(port, WEB_WORKERS, Path(os.environ["BOUQUET_VAR_DIR"]) / "gunicorn.log")
    url = f"http://127.0.0.1:{port}/actes/"
    local = threading.local()

    def get(_) -> None:
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.session.cookies.update(cookie)
        response = local.session.get(url, timeout=60, allow_redirects=False)
        if response.status_code != 200 or "2026_0049" not in response.text:
            raise RuntimeError(f"bench: page inattendue ({response.status_code})")

    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(get, range(WEB_WORKERS * 20)))  # workers loaded, connections made
            cpu, wall = _machine_cpu(), time.perf_counter()
            list(pool.map(get, range(count)))
            wall, cpu = time.perf_counter() - wall, _machine_cpu() - cpu
    finally:
        server.terminate()
        server.wait(30)
    return {"vendor": connection.vendor, "requests": count, "seconds": wall, "cpu": cpu}


def _run_child(database_url: str, count: int, max_age: int) -> dict:
    var = Path(tempfile.mkdtemp(prefix="bouquet-bench-web-"))
    try:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bouquet.config.settings",
            "BOUQUET_VAR_DIR": str(var),
            "SECRET_KEY": "bench-only-secret-key",
            "DATABASE_URL": database_url.replace("{var}", str(var)),
            "DATABASE_CONN_MAX_AGE": str(max_age),
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        }
        result = subprocess.run(
            [sys.executable, "-m", "bench.web_requests", "--child", str(count)],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=900,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(result.stderr[-4000:])
        return json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(var, ignore_errors=True)


def _print(label: str, per_request: dict, kept: dict) -> None:
    for name, r in (("one connection per request", per_request), ("connection kept", kept)):
        print(f"web requests {label} {name}: {r['requests'] / r['seconds']:.1f} requests/s")
        print(f"web requests {label} {name} machine cpu: {1000 * r['cpu'] / r['requests']:.2f} ms/request")
    speed = (kept["requests"] / kept["seconds"]) / (per_request["requests"] / per_request["seconds"])
    print(f"web requests {label} kept vs per-request throughput ratio: {speed:.2f}")
    print(f"web requests {label} kept vs per-request cpu ratio: {kept['cpu'] / per_request['cpu']:.2f}")


def run() -> None:
    count = int(os.environ.get("BENCH_REQUESTS", DEFAULT_REQUESTS))
    with postgres.server() as server:
        results = [_run_child("sqlite:///{var}/bench.sqlite3", count, max_age) for max_age in (0, 60)]
        _print("sqlite", *results)
        if server:
            results = []
            for max_age in (0, 60):  # the baseline first, then the same on a fresh database
                with postgres.database(server) as url:
                    results.append(_run_child(url, count, max_age))
            _print("postgresql", *results)
        else:
            print("web requests postgresql: skipped (no BENCH_DATABASE_URL, no PostgreSQL 15)")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]))))
    else:
        run()
