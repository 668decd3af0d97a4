"""Fault modes, so the platform's retries and idempotence can be tested against a misbehaving ministry.

Set from the command line and/or a JSON file reread on every request (tests switch them live), e.g.
``{"http_500": 2, "delay": 1.5, "timeout": false, "drop_answers": false, "duplicate_answers": false,
"refuse_tls": false}``. ``http_500`` counts down: in the file itself when it comes from the file.
"""

import json
import logging
import os
import threading
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

__all__ = ["Faults", "FaultConfig"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FaultConfig:
    """The fault modes in force for one request."""

    #: Answer HTTP 500 to this many more uploads (without processing them).
    http_500: int = 0
    #: Seconds to wait before answering an upload.
    delay: float = 0.0
    #: Read the upload, then never answer (the connection is closed after ``timeout_hold`` seconds).
    timeout: bool = False
    timeout_hold: float = 300.0
    #: Accept and answer 200, but never mail the answers.
    drop_answers: bool = False
    #: Mail every answer twice, same Message-ID and content.
    duplicate_answers: bool = False
    #: Close incoming connections during the TLS handshake.
    refuse_tls: bool = False

    @property
    def copies(self) -> int:
        """How many copies of each answer to mail."""
        return 0 if self.drop_answers else 2 if self.duplicate_answers else 1


_FIELDS = {f.name: f.type for f in fields(FaultConfig)}


def _coerce(data: dict[str, Any]) -> dict[str, Any]:
    known = {key: value for key, value in data.items() if key in _FIELDS}
    out: dict[str, Any] = {}
    for key, value in known.items():
        kind = _FIELDS[key]
        out[key] = int(value) if kind is int else float(value) if kind is float else bool(value)
    return out


class Faults:
    """The base configuration (CLI) overlaid with the JSON file, if any."""

    def __init__(self, base: FaultConfig | None = None, path: str | Path | None = None) -> None:
        self.base = base or FaultConfig()
        self.path = Path(path) if path else None
        self._lock = threading.Lock()

    def _read_file(self) -> dict[str, Any]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8") or "{}")
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError) as exc:
            log.warning("fichier de pannes illisible %s : %s", self.path, exc)
            return {}

    def current(self) -> FaultConfig:
        """The fault modes for this request (file values win)."""
        return replace(self.base, **_coerce(self._read_file()))

    def take_http_500(self) -> bool:
        """Consume one forced HTTP 500 if any is left."""
        with self._lock:
            data = self._read_file()
            if int(data.get("http_500", 0) or 0) > 0:
                data["http_500"] = int(data["http_500"]) - 1
                assert self.path is not None
                tmp = self.path.with_suffix(".tmp")
                tmp.write_text(json.dumps(data), encoding="utf-8")
                os.replace(tmp, self.path)
                return True
            if "http_500" not in data and self.base.http_500 > 0:
                self.base = replace(self.base, http_500=self.base.http_500 - 1)
                return True
            return False
