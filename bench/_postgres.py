"""What the benchmarks share to run on PostgreSQL: a server, fresh databases on it, free ports.

The server is ``BENCH_DATABASE_URL`` when set, else a throwaway PostgreSQL 15 cluster when Debian's
binaries are there (as ``.ci/run`` starts one), else none: the bench then says it skipped PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["PG_BIN", "LocalPostgres", "database", "free_port", "server"]

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(*args: str, **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        args = ("runuser", "-u", "postgres", "--", *args)
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


class LocalPostgres:
    """A throwaway PostgreSQL 15 cluster in a temporary folder (fsync off: a bench, not a server)."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="bouquet-bench-pg-"))
        self.port = free_port()

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


@contextmanager
def server() -> Iterator[str | None]:
    """The PostgreSQL server's URL for the block (a local cluster is stopped after it), or None."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url or not (PG_BIN / "initdb").exists():
        yield url or None
        return
    local = LocalPostgres()
    try:
        yield local.start()
    finally:
        local.stop()


@contextmanager
def database(server_url: str) -> Iterator[str]:
    """A fresh database on the server of ``server_url`` for the block, dropped after it."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = f"bouquet_bench_{os.getpid()}"
    parts = urlsplit(server_url)
    admin = urlunsplit(parts._replace(scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
