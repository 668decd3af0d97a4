"""Log of the files the simulator received, kept in SQLite (stdlib) so tests and people can query it.

It is also what stops the simulator from acknowledging twice a file received twice (same name and
same SHA-256), as the real gateway deduplicates replays of a transfer.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["PENDING", "State"]

#: Verdict of a file received but not processed yet.
PENDING = "pending"
#: Verdicts that mean "this content was taken in" (a replay of it is a duplicate).
_TAKEN_IN = ("pending", "accepted", "partial", "rejected", "withheld", "no_answer_expected")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS received (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    p_dest TEXT,
    p_appli TEXT,
    p_msg TEXT,
    received_at TEXT NOT NULL,
    verdict TEXT NOT NULL,
    acquit TEXT,
    detail TEXT
)
"""


class State:
    """One SQLite file; a short-lived connection per call, serialised by a lock (FTP loop + workers)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = sqlite3.connect(self.path)
            db.row_factory = sqlite3.Row
            try:
                with db:
                    yield db
            finally:
                db.close()

    def record(self, name: str, size: int, sha256: str, metadata: dict[str, str], verdict: str) -> int:
        """Log a received file; returns its id."""
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO received (name, size, sha256, p_dest, p_appli, p_msg, received_at, verdict)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    name,
                    size,
                    sha256,
                    metadata.get("P_DEST"),
                    metadata.get("P_APPLI"),
                    metadata.get("P_MSG"),
                    datetime.now(UTC).isoformat(timespec="seconds"),
                    verdict,
                ),
            )
            return int(cursor.lastrowid or 0)

    def already_taken_in(self, name: str, sha256: str) -> bool:
        """Whether the same name with the same content was received before (and not dropped)."""
        marks = ",".join("?" * len(_TAKEN_IN))
        with self._connect() as db:
            row = db.execute(
                f"SELECT 1 FROM received WHERE name = ? AND sha256 = ? AND verdict IN ({marks}) LIMIT 1",  # noqa: S608
                (name, sha256, *_TAKEN_IN),
            ).fetchone()
        return row is not None

    def conclude(self, entry_id: int, verdict: str, acquit: str | None = None, detail: str = "") -> None:
        """Set the verdict of a received file, and the name of its acquittement."""
        with self._connect() as db:
            db.execute(
                "UPDATE received SET verdict = ?, acquit = ?, detail = ? WHERE id = ?",
                (verdict, acquit, detail, entry_id),
            )

    def entries(self) -> list[dict[str, Any]]:
        """Everything logged, oldest first."""
        with self._connect() as db:
            return [dict(row) for row in db.execute("SELECT * FROM received ORDER BY id")]
