"""ACTES transactions list with one million rows: does a page cost the same at any depth?

One authority holds ``BENCH_LIST_ROWS`` transactions (default 1,000,000; another authority as many
again would only double the set-up time, the authority-leading index makes them irrelevant). The
agent's list page is rendered through Django's test client (view, query, template): the newest
page, a page half-way down reached by the keyset cursor (``?apres=``), and a status-filtered deep
page. Baseline in the same run: the same half-way page fetched the usual way, with an OFFSET, on the
same index. On SQLite, and on PostgreSQL when ``BENCH_DATABASE_URL`` is set or a local PostgreSQL 15
can be started (as in ``bench.actes_pipeline``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import _postgres as postgres

DEFAULT_ROWS = 1_000_000
REPEAT = 20


def _setup(rows: int):
    """Fresh schema, one authority with an agent, ``rows`` transactions spread over ten years."""
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection

    from bouquet.actes.models import Transaction
    from bouquet.core.choices import Access
    from bouquet.core.models import Membership, ModuleRight, Subscription, User
    from bouquet.test import make_authority, make_modules, make_operator

    call_command("migrate", verbosity=0)
    authority = make_authority(make_operator(), "Commune de banc d'essai", "210100012")
    modules = make_modules()
    Subscription.objects.create(authority=authority, module=modules["ACTES"], start_date=dt.date(2016, 1, 1))
    user = User.objects.create(email="agent@bench.test", first_name="Agent", last_name="Banc")
    membership = Membership.objects.create(user=user, authority=authority, role="agent")
    ModuleRight.objects.create(membership=membership, module=modules["ACTES"], access=Access.WRITE)
    start = dt.datetime(2016, 1, 1, tzinfo=dt.UTC)
    step = dt.timedelta(minutes=5)
    batch = 20_000
    for first in range(0, rows, batch):
        Transaction.objects.bulk_create(
            Transaction(
                authority=authority,
                type=1,
                status=(4, 3, -1, 4, 4)[n % 5],
                nature=1 + n % 6,
                number=f"B{n:09d}",
                subject=f"Délibération de banc d'essai n° {n}",
                decision_date=(start + n * step).date(),
                classification="1.1",
                created_at=start + n * step,
                last_status_at=start + n * step,
            )  # fmt: skip
            for n in range(first, min(rows, first + batch))
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE actes_transaction")
    return user, authority


def _time(fn) -> float:
    """Median milliseconds of ``REPEAT`` calls."""
    samples = []
    for _ in range(REPEAT):
        began = time.perf_counter()
        fn()
        samples.append(1000 * (time.perf_counter() - began))
    return sorted(samples)[len(samples) // 2]


def child(rows: int) -> dict:
    import django

    django.setup()
    from django.db.models import Q
    from django.test import Client
    from django.test.utils import setup_test_environment

    from bouquet.actes.models import Transaction
    from bouquet.actes.views.common import encode_cursor

    setup_test_environment()
    began = time.perf_counter()
    user, authority = _setup(rows)
    setup_seconds = time.perf_counter() - began
    client = Client()
    client.force_login(user)
    ordered = Transaction.objects.for_tenant(authority).order_by("-created_at", "-id")
    middle = ordered[rows // 2]
    cursor = encode_cursor(middle)
    # The view's keyset condition, for the query-level comparison with OFFSET.
    after = Q(created_at__lt=middle.created_at) | Q(created_at=middle.created_at, pk__lt=middle.pk)

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    figures = {
        "setup_seconds": setup_seconds,
        "first": _time(lambda: get("/actes/")),
        "deep": _time(lambda: get(f"/actes/?apres={cursor}")),
        "deep_filtered": _time(lambda: get(f"/actes/?status=3&apres={cursor}")),
        "offset_deep": _time(lambda: list(ordered[rows // 2 : rows // 2 + 26])),
        "keyset_query": _time(
            lambda: list(ordered.filter(created_at__lte=middle.created_at).filter(after)[:26])
        ),
    }
    return figures


def _run_child(database_url: str, rows: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bouquet-bench-list-") as var:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bouquet.config.settings",
            "BOUQUET_VAR_DIR": var,
            "DATABASE_URL": database_url.format(var=var),
            "SECRET_KEY": "bench-only",
        }
        code = f"import json, bench.actes_list as b; print(json.dumps(b.child({rows})))"
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, cwd=Path(__file__).resolve().parents[1],
            capture_output=True, text=True, check=True, timeout=3600,
        )  # fmt: skip
        return json.loads(out.stdout.strip().splitlines()[-1])


def _print(label: str, rows: int, r: dict) -> None:
    print(f"actes list {label} rows: {rows}")
    print(f"actes list {label} set-up: {r['setup_seconds']:.0f} s")
    print(f"actes list {label} first page: {r['first']:.1f} ms")
    print(f"actes list {label} deep page (keyset): {r['deep']:.1f} ms")
    print(f"actes list {label} deep page filtered by status: {r['deep_filtered']:.1f} ms")
    print(f"actes list {label} deep/first ratio: {r['deep'] / r['first']:.2f}")
    print(f"actes list {label} offset query at half depth (baseline): {r['offset_deep']:.1f} ms")
    print(f"actes list {label} keyset query at half depth: {r['keyset_query']:.2f} ms")
    print(f"actes list {label} keyset vs offset ratio: {r['keyset_query'] / r['offset_deep']:.4f}")


def run() -> None:
    rows = int(os.environ.get("BENCH_LIST_ROWS", DEFAULT_ROWS))
    _print("sqlite", rows, _run_child("sqlite:///{var}/bench.sqlite3", rows))
    with postgres.server() as server:
        if server:
            with postgres.database(server) as url:
                _print("postgresql", rows, _run_child(url, rows))


if __name__ == "__main__":
    run()
