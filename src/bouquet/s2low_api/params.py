"""Reading S²LOW parameters the way its PHP scripts do, whatever multipart dialect Pastell used.

``x`` and ``x[]`` are one key (Pastell's hand-built bodies and libcurl's disagree on brackets).
Read endpoints take the query string only: a leftover POST body (client bug, spec §10.2) may
carry an unrelated ``id`` that must not win over the query string.
"""

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, QueryDict

__all__ = ["as_int", "field", "fields", "query", "query_list", "uploads"]


def _first(sources: tuple[QueryDict, ...], name: str) -> str | None:
    for source in sources:
        for key in (name, f"{name}[]"):
            if key in source:
                return source.get(key)
    return None


def _all(sources: tuple[QueryDict, ...], name: str) -> list[str]:
    for source in sources:
        found = source.getlist(name) + source.getlist(f"{name}[]")
        if found:
            return found
    return []


def field(request: HttpRequest, name: str, default: str = "") -> str:
    """A form field: POST body first, then the query string (S²LOW reads ``api`` both ways)."""
    value = _first((request.POST, request.GET), name)
    return default if value is None else value.strip()


def fields(request: HttpRequest, name: str) -> list[str]:
    return [v.strip() for v in _all((request.POST, request.GET), name)]


def query(request: HttpRequest, name: str, default: str = "") -> str:
    value = _first((request.GET,), name)
    return default if value is None else value.strip()


def query_list(request: HttpRequest, name: str) -> list[str]:
    return [v.strip() for v in _all((request.GET,), name)]


def uploads(request: HttpRequest, name: str) -> list[UploadedFile]:
    """Every file sent under ``name`` or ``name[]``, in body order (repeated names kept)."""
    return request.FILES.getlist(name) + request.FILES.getlist(f"{name}[]")


def as_int(value: str) -> int | None:
    """PHP-style strict integer parsing of an id; None when it is not one."""
    value = value.strip()
    if not value or not value.lstrip("-").isdigit():
        return None
    return int(value)


def as_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None
