"""Fault modes of the DGFiP simulator, read from a JSON file on every connection.

Rereading the file at each connection lets a test (or a person) switch faults on a running server
without restarting it; a missing or broken file means "no fault", so a typo never stops the server.
Example: ``{"cut_upload_after_bytes": 1000, "site_refused": ["P_MSG"], "acquit_delay_seconds": 30}``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

__all__ = ["Faults", "load_faults"]

logger = logging.getLogger("bouquet.simulators.dgfip")


@dataclass(frozen=True)
class Faults:
    """What goes wrong for one connection (all off by default)."""

    #: Answer ``421`` to the greeting and close the control connection.
    refuse_connections: bool = False
    #: Throttle both directions of the data connection to this many bytes per second (0 = no limit).
    throttle_bytes_per_second: int = 0
    #: Close the data connection of an upload after this many bytes (a dropped upload).
    cut_upload_after_bytes: int | None = None
    #: Refuse the routing SITE commands: ``true`` for all, or a list such as ``["P_MSG"]``.
    site_refused: bool | list[str] = False
    #: Accept the file, but never write an acquittement.
    no_acquit: bool = False
    #: Write the acquittement twice (second copy named ``…_2.xml``).
    duplicate_acquit: bool = False
    #: Wait this long before writing the acquittement (the real DGFiP takes minutes).
    acquit_delay_seconds: float = 0.0
    #: Keys of the file this simulator does not know (reported once in the log).
    unknown: tuple[str, ...] = field(default=(), compare=False)

    def refuses_site(self, parameter: str) -> bool:
        """Whether ``SITE <parameter>`` must be refused."""
        if isinstance(self.site_refused, list):
            return parameter.upper() in {p.upper() for p in self.site_refused}
        return bool(self.site_refused)


_KNOWN = {f.name for f in fields(Faults)} - {"unknown"}


def load_faults(path: Path | None) -> Faults:
    """Read the fault file; absent, unreadable or invalid means no fault (and a log line)."""
    if path is None or not path.exists():
        return Faults()
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8") or "{}")
        if not isinstance(data, dict):
            raise ValueError("the fault file must hold a JSON object")
        known = {k: v for k, v in data.items() if k in _KNOWN}
        return Faults(**known, unknown=tuple(sorted(set(data) - _KNOWN)))
    except (OSError, ValueError, TypeError) as exc:
        logger.warning("fault file %s ignored: %s", path, exc)
        return Faults()
