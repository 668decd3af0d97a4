"""The simulator's memory, in one SQLite file: what the prefecture UI shows and what tests inspect.

One connection per process, shared by the threads under a lock: every method is one short statement
or transaction, and the server serves each HTTP connection in a new thread (a connection per thread,
opened again for each, cost more CPU than an upload's statements). WAL journal: the CLI process and other
readers read while the server writes. ``synchronous=NORMAL``: a power cut may lose the last answers
recorded, never corrupt the file; that is plenty for a simulator, and spares several disk flushes per
archive received.
"""

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["State", "SCHEMA"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS authorities (
    siren TEXT PRIMARY KEY, departement TEXT, arrondissement TEXT, nature TEXT,
    return_address TEXT, registered_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS archives (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
    received_at TEXT NOT NULL, siren TEXT, outcome TEXT NOT NULL DEFAULT 'reçue', detail TEXT,
    times INTEGER NOT NULL DEFAULT 1,
    UNIQUE (name, sha256));
CREATE TABLE IF NOT EXISTS acts (
    id INTEGER PRIMARY KEY, id_acte TEXT NOT NULL, siren TEXT NOT NULL, numero_interne TEXT NOT NULL,
    nature TEXT NOT NULL, decision_date TEXT NOT NULL, objet TEXT NOT NULL, classification TEXT,
    status TEXT NOT NULL, detail TEXT, archive_name TEXT, return_address TEXT, received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cancellations (
    id INTEGER PRIMARY KEY, id_acte TEXT NOT NULL, siren TEXT NOT NULL, archive_name TEXT,
    return_address TEXT, status TEXT NOT NULL, received_at TEXT NOT NULL, answered_at TEXT);
CREATE TABLE IF NOT EXISTS classification_requests (
    id INTEGER PRIMARY KEY, siren TEXT NOT NULL, date_classification TEXT, archive_name TEXT,
    answer TEXT, received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS letters (
    id INTEGER PRIMARY KEY, id_acte TEXT NOT NULL, code TEXT NOT NULL, date_courrier_pref TEXT NOT NULL,
    text TEXT NOT NULL, sent_at TEXT NOT NULL, message_id TEXT, ar_received_at TEXT);
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY, id_acte TEXT NOT NULL, code TEXT NOT NULL, date_courrier_pref TEXT NOT NULL,
    archive_name TEXT, return_address TEXT, received_at TEXT NOT NULL, ar_sent_at TEXT);
CREATE TABLE IF NOT EXISTS mails (
    id INTEGER PRIMARY KEY, message_id TEXT NOT NULL, recipient TEXT NOT NULL, subject TEXT NOT NULL,
    attachments TEXT NOT NULL, copies INTEGER NOT NULL, sent_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS serials (day TEXT NOT NULL, siren TEXT NOT NULL, serial INTEGER NOT NULL,
    PRIMARY KEY (day, siren));
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

Row = dict[str, Any]


def now() -> str:
    """Local time, to the second (what an operator reads)."""
    return dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")


class State:
    """Access to ``<state_dir>/ministry.sqlite3``; every method is one short transaction."""

    def __init__(self, state_dir: str | Path) -> None:
        self.directory = Path(state_dir)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / "ministry.sqlite3"
        self._lock = threading.RLock()
        self._db = db = sqlite3.connect(self.path, timeout=15, check_same_thread=False)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")  # kept in the file, for every later connection
        db.execute("PRAGMA synchronous=NORMAL")
        with db:
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """The connection, to this thread alone until the block ends (statement and commit)."""
        with self._lock:
            yield self._db

    def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one statement in its own transaction; the new row id (for inserts)."""
        with self._connect() as db, db:
            return db.execute(sql, tuple(params)).lastrowid or 0

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        """The rows of a query, as dicts."""
        with self._connect() as db:
            return [dict(row) for row in db.execute(sql, tuple(params))]

    def row(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        """The first row of a query, or ``None``."""
        found = self.rows(sql, params)
        return found[0] if found else None

    def insert(self, table: str, **values: Any) -> int:
        """Insert a row (table and column names come from this package, never from a request)."""
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        return self.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values.values())  # noqa: S608

    # Authorities ---------------------------------------------------------------------------------

    def register(self, siren: str) -> None:
        """Declare an authority's SIREN to the simulated préfecture (idempotent)."""
        self.execute("INSERT OR IGNORE INTO authorities (siren, registered_at) VALUES (?, ?)", (siren, now()))

    def is_registered(self, siren: str) -> bool:
        return self.row("SELECT 1 AS ok FROM authorities WHERE siren = ?", (siren,)) is not None

    def remember_authority(
        self, siren: str, departement: str, arrondissement: str, nature: str, email: str
    ) -> None:
        """Keep the IDCL data and the return address of the last envelope (for later letters)."""
        self.execute(
            "UPDATE authorities SET departement = ?, arrondissement = ?, nature = ?, return_address = ?"
            " WHERE siren = ?",
            (departement, arrondissement, nature, email, siren),
        )

    def authority(self, siren: str) -> Row | None:
        return self.row("SELECT * FROM authorities WHERE siren = ?", (siren,))

    # Archives ------------------------------------------------------------------------------------

    def archive_seen(self, name: str, sha256: str) -> str | None:
        """``"same"`` if this exact archive came before, ``"different"`` if only its name, else ``None``."""
        found = self.rows("SELECT sha256 FROM archives WHERE name = ?", (name,))
        if any(row["sha256"] == sha256 for row in found):
            return "same"
        return "different" if found else None

    def set_archive_outcome(self, archive_id: int, outcome: str, detail: str | None = None) -> None:
        self.execute(
            "UPDATE archives SET outcome = ?, detail = ? WHERE id = ?", (outcome, detail, archive_id)
        )

    # Acts, serials, settings ---------------------------------------------------------------------

    def act(self, id_acte: str) -> Row | None:
        """The newest act with this IDActe."""
        return self.row("SELECT * FROM acts WHERE id_acte = ? ORDER BY id DESC LIMIT 1", (id_acte,))

    def set_act_status(self, id_acte: str, status: str) -> None:
        self.execute("UPDATE acts SET status = ? WHERE id_acte = ?", (status, id_acte))

    def next_serial(self, siren: str, day: dt.date) -> int:
        """Serial of the ministry's envelopes for this authority and day, from 1."""
        with self._connect() as db, db:
            db.execute("BEGIN IMMEDIATE")
            found = db.execute(
                "SELECT serial FROM serials WHERE day = ? AND siren = ?", (day.isoformat(), siren)
            ).fetchone()
            serial = (found["serial"] if found else 0) + 1
            db.execute(
                "INSERT OR REPLACE INTO serials (day, siren, serial) VALUES (?, ?, ?)",
                (day.isoformat(), siren, serial),
            )
            return serial

    def setting(self, key: str, default: str | None = None) -> str | None:
        found = self.row("SELECT value FROM settings WHERE key = ?", (key,))
        return found["value"] if found else default

    def set_setting(self, key: str, value: str) -> None:
        self.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))
