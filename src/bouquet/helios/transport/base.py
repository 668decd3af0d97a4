"""What every DGFiP transport shares: errors, routing metadata, file names, the client interface, retries.

Pure Python, no Django: the services decide what a failure means for a transaction.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple, Protocol, runtime_checkable

from bouquet.helios.pes.model import Header

__all__ = [
    "DEFAULT_P_APPLI",
    "DgfipClient",
    "OutgoingName",
    "PesMetadata",
    "TransportError",
    "backoff_delay",
    "check_remote_name",
    "outgoing_name",
    "transient_errors",
    "unused_name",
    "parse_outgoing_name",
]

#: Production Hélios application for PES V2 (``THELPES2`` is believed to be the test one).
DEFAULT_P_APPLI = "GHELPES2"

# Values end up in FTP commands (CRLF injection) and SFTP file names (``/``, ``%%``): be strict.
_TOKEN = re.compile(r"[A-Za-z0-9_.-]+")
_OUTGOING = re.compile(r"PESALR2_(\d{9})_(\d{2})(\d{2})(\d{2})_(\d{3,})\.xml")


class TransportError(Exception):
    """A transfer failed.

    :param permanent: ``True`` when retrying the same file cannot succeed (the DGFiP refused its
        routing metadata); ``False`` for network, login or server trouble, retried with backoff.
    """

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True, kw_only=True)
class PesMetadata:
    """Routing metadata of one PES sent to Hélios (S²LOW ``P_DEST``/``P_APPLI``/``P_MSG``).

    ``p_dest`` is the authority's "site destinataire" given by its Trésorerie (S²LOW
    ``helios_ftp_dest``); the other values come from ``EnTetePES`` (``CodColl`` for a
    PES_ACQUIT_RETOUR).
    """

    p_dest: str
    cod_col: str
    id_post: str
    cod_bud: str
    p_appli: str = DEFAULT_P_APPLI

    def __post_init__(self) -> None:
        for field in ("p_dest", "p_appli", "cod_col", "id_post", "cod_bud"):
            value = getattr(self, field)
            if not isinstance(value, str) or not _TOKEN.fullmatch(value):
                raise ValueError(f"{field} invalide pour Hélios : {value!r}")

    @classmethod
    def from_header(cls, header: Header, *, p_dest: str, p_appli: str = DEFAULT_P_APPLI) -> PesMetadata:
        """From the file's ``EnTetePES`` (the reader already folds ``CodColl`` into ``cod_col``).

        :raises ValueError: a value is missing: S²LOW puts such a transaction in error.
        """
        h = header
        return cls(p_dest=p_dest, p_appli=p_appli, cod_col=h.cod_col or "", id_post=h.id_post or "",
                   cod_bud=h.cod_bud or "")  # fmt: skip

    @property
    def p_msg(self) -> str:
        """``PES#<CodCol>#<IdPost>#<CodBud>``, the flow identification read by the DGFiP."""
        return f"PES#{self.cod_col}#{self.id_post}#{self.cod_bud}"

    def site_commands(self) -> list[str]:
        """The three commands of the FTP gateway, in the order S²LOW sends them."""
        return [f"SITE P_DEST {self.p_dest}", f"SITE P_APPLI {self.p_appli}", f"SITE P_MSG {self.p_msg}"]

    def meta_command(self) -> str:
        """The single command of Passtrans FTPS."""
        return f"SITE META P_DEST={self.p_dest};P_APPLI={self.p_appli};P_MSG={self.p_msg}"

    def sftp_name(self, sha1_hex: str) -> str:
        """Passtrans SFTP carries the metadata in the name: ``P_DEST%%P_APPLI%%P_MSG%%<sha1>``."""
        if not re.fullmatch(r"[0-9a-f]{40}", sha1_hex):
            raise ValueError(f"SHA-1 hexadécimal attendu : {sha1_hex!r}")
        return f"{self.p_dest}%%{self.p_appli}%%{self.p_msg}%%{sha1_hex}"


class OutgoingName(NamedTuple):
    siren: str
    day: date
    counter: int


def outgoing_name(siren: str, day: date, counter: int) -> str:
    """``PESALR2_<SIREN>_<yymmdd>_<counter>.xml``; the counter is platform-wide, at least 3 digits.

    The PES's own NomFic is never changed: acquits are matched on it, not on this name.
    """
    if not re.fullmatch(r"\d{9}", siren):
        raise ValueError(f"SIREN à 9 chiffres attendu : {siren!r}")
    if counter < 0:
        raise ValueError("Le compteur d'envoi ne peut pas être négatif.")
    return f"PESALR2_{siren}_{day:%y%m%d}_{counter:03d}.xml"


def parse_outgoing_name(name: str) -> OutgoingName | None:
    """Inverse of :func:`outgoing_name`; ``None`` for any other name (years are 2000-2099)."""
    match = _OUTGOING.fullmatch(name)
    if match is None:
        return None
    siren, yy, mm, dd, counter = match.groups()
    try:
        day = date(2000 + int(yy), int(mm), int(dd))
    except ValueError:
        return None
    return OutgoingName(siren, day, int(counter))


def check_remote_name(name: str) -> str:
    """Refuse a name that could leave its directory: names come from the remote server."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or any(ord(c) < 32 for c in name):
        raise TransportError(f"Nom de fichier distant refusé : {name!r}", permanent=True)
    return name


@contextmanager
def transient_errors(action: str, errors: tuple[type[BaseException], ...]) -> Iterator[None]:
    """Turn network and server failures into ``TransportError(permanent=False)``: retried later."""
    try:
        yield
    except TransportError:
        raise
    except errors as exc:
        raise TransportError(f"{action} : {exc or type(exc).__name__}", permanent=False) from exc


def unused_name(name: str, existing: Collection[str]) -> str:
    """``name``, or ``name.1``, ``name.2``…: a file set aside never overwrites an earlier one."""
    candidate, n = name, 0
    while candidate in existing:
        n += 1
        candidate = f"{name}.{n}"
    return candidate


def backoff_delay(attempt: int, *, base: int = 60, cap: int = 3600) -> int:
    """Seconds to wait before retry number ``attempt`` (1, 2, …): doubling, capped.

    The DGFiP gateway has maintenance windows: hammering it helps nobody, waiting an hour at
    most keeps transmission delays acceptable.
    """
    if attempt <= 0:
        return 0
    return min(cap, base * 2 ** min(attempt - 1, 30))


@runtime_checkable
class DgfipClient(Protocol):
    """One DGFiP transport (gateway FTP, Passtrans FTPS or SFTP). Each call opens its own session."""

    def send(self, data: bytes, *, remote_name: str, meta: PesMetadata) -> None:
        """Deposit ``data`` byte for byte, with its routing metadata; idempotent for one name."""

    def list_incoming(self) -> list[str]:
        """Names of the files waiting in the reception directory (our own ``PESALR2_*`` excluded)."""
        ...

    def fetch(self, name: str) -> bytes:
        """Content of one waiting file, size-bounded; it stays in place."""
        ...

    def mark_processed(self, name: str) -> None:
        """Move a file out of the way once the caller has committed what it read from it."""

    def mark_error(self, name: str, reason: str) -> None:
        """Set a file aside (with the reason) when it cannot be attached to anything."""
