"""Transports between Bouquet and the DGFiP's Hélios: deposit PES files, collect acquits and retours.

``from_settings()`` picks the variant from the scheme of ``DGFIP_HELIOS_URL``: ``ftp://`` (gateway,
three ``SITE`` commands), ``ftps://`` (Passtrans FTPS, ``SITE META``), ``sftp://`` (Passtrans
SFTP, metadata in the file name). The SFTP module (paramiko) is imported only when used.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from .base import (
    DEFAULT_P_APPLI,
    DgfipClient,
    OutgoingName,
    PesMetadata,
    TransportError,
    backoff_delay,
    check_remote_name,
    outgoing_name,
    parse_outgoing_name,
)
from .ftp import MAX_FETCH_SIZE, FtpDgfipClient
from .matching import AcquitKey, UnroutableFileError, acquit_key, is_ocre, retour_siret
from .windows import WindowBudget, parse_ranges

if TYPE_CHECKING:
    from .sftp import SftpDgfipClient

__all__ = [
    "DEFAULT_P_APPLI",
    "MAX_FETCH_SIZE",
    "AcquitKey",
    "DgfipClient",
    "FtpDgfipClient",
    "OutgoingName",
    "PesMetadata",
    "SftpDgfipClient",
    "TransportError",
    "UnroutableFileError",
    "WindowBudget",
    "acquit_key",
    "backoff_delay",
    "check_remote_name",
    "client_from_url",
    "from_settings",
    "is_ocre",
    "outgoing_name",
    "parse_outgoing_name",
    "parse_ranges",
    "retour_siret",
    "window_from_settings",
]

_PORTS = {"ftp": 21, "ftps": 21, "sftp": 22}
_FLAGS = {"atomic", "passive", "meta", "delete"}
_DIRS = {"entree", "sortie", "processed", "errors"}


def __getattr__(name: str) -> Any:
    if name == "SftpDgfipClient":
        from .sftp import SftpDgfipClient

        return SftpDgfipClient
    raise AttributeError(name)


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


def client_from_url(url: str, **options: Any) -> FtpDgfipClient | SftpDgfipClient:
    """Build a client from ``scheme://user:password@host:port/base?option=value``.

    The path is a prefix of the default directories (``<base>/entree``, ``<base>/sortie``,
    ``<base>/sortie/traites``, ``<base>/sortie/erreurs``); the query may set ``entree``,
    ``sortie``, ``processed``, ``errors`` (empty: leave files in place), ``atomic``, ``passive``,
    ``meta`` and ``delete`` (FTP only: delete handled files, as with S²LOW's simulator).
    ``options`` go to the constructor (``timeout``, ``cafile``, ``host_key``…).

    :raises ValueError: unknown scheme, missing host or unknown query option.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _PORTS or not parts.hostname:
        raise ValueError(f"URL Hélios invalide (ftp://, ftps:// ou sftp:// attendu) : {parts.scheme}://…")
    base = parts.path.rstrip("/") or "/"
    kwargs: dict[str, Any] = {
        "entree": posixpath.join(base, "entree"),
        "sortie": posixpath.join(base, "sortie"),
        "processed": posixpath.join(base, "sortie", "traites"),
        "errors": posixpath.join(base, "sortie", "erreurs"),
    }
    for key, values in parse_qs(parts.query, keep_blank_values=True).items():
        if key in _DIRS:
            kwargs[key] = values[-1]
        elif key in _FLAGS and not (key in ("passive", "meta", "delete") and scheme == "sftp"):
            kwargs["site_meta" if key == "meta" else key] = _flag(values[-1])
        else:
            raise ValueError(f"Option inconnue dans l'URL Hélios : {key}")
    kwargs.update(options)
    args = (parts.hostname, parts.port or _PORTS[scheme], unquote(parts.username or ""))
    password = unquote(parts.password) if parts.password is not None else None
    if scheme == "sftp":
        from .sftp import SftpDgfipClient

        return SftpDgfipClient(*args, password, **kwargs)
    kwargs.pop("host_key", None)
    kwargs.pop("key_file", None)
    return FtpDgfipClient(*args, password or "", tls=scheme == "ftps", **kwargs)


def from_settings() -> DgfipClient:
    """The client configured by ``DGFIP_HELIOS_URL`` and the ``HELIOS_*`` transport settings."""
    from django.conf import settings

    options: dict[str, Any] = {"timeout": settings.DGFIP_HELIOS_TIMEOUT}
    if urlsplit(settings.DGFIP_HELIOS_URL).scheme.lower() == "sftp":
        options["host_key"] = settings.HELIOS_SFTP_HOST_KEY
        options["key_file"] = settings.HELIOS_SFTP_KEY_FILE or None
    else:
        options["cafile"] = settings.HELIOS_FTPS_CAFILE or None
    return client_from_url(settings.DGFIP_HELIOS_URL, **options)


def window_from_settings() -> WindowBudget:
    """The transmission windows set by ``HELIOS_WINDOW_HOURS``/``_DAYS``/``_BYTES_PER_HOUR``."""
    from django.conf import settings

    budget = settings.HELIOS_WINDOW_BYTES_PER_HOUR
    return WindowBudget(
        hours=parse_ranges(settings.HELIOS_WINDOW_HOURS, upper=24),
        days=parse_ranges(settings.HELIOS_WINDOW_DAYS, upper=7),
        bytes_per_slot=budget or None,
    )
