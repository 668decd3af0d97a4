"""ACTES listing and counting API (S²LOW ``ActesAPIController``), for the caller's authority."""

import datetime as dt

from django.http import HttpRequest, HttpResponse

from bouquet.actes.choices import Nature, Status
from bouquet.actes.models import Transaction
from bouquet.s2low_api import params
from bouquet.s2low_api.auth import ko, s2low_auth
from bouquet.s2low_api.responses import php_json
from bouquet.s2low_api.scope import NO_AUTHORITY, actes_authorities, caller_authority

__all__ = ["actes_status", "list_actes", "nb_actes_by_authorities_and_date", "number_actes"]

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def _status(request: HttpRequest) -> int | None:
    status = params.as_int(params.query(request, "status_id"))
    return status if status in Status.values else None


@s2low_auth
def list_actes(request: HttpRequest) -> HttpResponse:
    """A18: ``{status_id, authority_id, offset, limit, transactions: […]}``, acts in that status."""
    authority = caller_authority(request.user)
    if authority is None:
        return ko(NO_AUTHORITY)
    status = _status(request)
    if status is None:
        return ko("Le paramètre status_id est invalide.")
    offset = max(params.as_int(params.query(request, "offset")) or 0, 0)
    limit = min(max(params.as_int(params.query(request, "limit")) or DEFAULT_LIMIT, 1), MAX_LIMIT)
    acts = Transaction.objects.for_tenant(authority).acts().with_status(status).order_by("id")
    rows = [
        {
            "id": str(act.pk),
            "subject": act.subject,
            "number": act.number,
            "decision_date": act.decision_date.isoformat() if act.decision_date else "",
            "nature_descr": Nature(act.nature).label if act.nature else "",
            "classification": act.classification,
            "type": str(act.type),
        }
        for act in acts[offset : offset + limit]
    ]
    return php_json(
        {
            "status_id": status,
            "authority_id": authority.pk,
            "offset": offset,
            "limit": limit,
            "transactions": rows,
        }
    )


@s2low_auth
def number_actes(request: HttpRequest) -> HttpResponse:
    """``{status_id, authority_id, nb_transactions}``."""
    authority = caller_authority(request.user)
    if authority is None:
        return ko(NO_AUTHORITY)
    status = _status(request)
    if status is None:
        return ko("Le paramètre status_id est invalide.")
    count = Transaction.objects.for_tenant(authority).acts().with_status(status).count()
    return php_json({"status_id": status, "authority_id": authority.pk, "nb_transactions": count})


@s2low_auth
def actes_status(request: HttpRequest) -> HttpResponse:
    """``{"<id>": "<label>"}`` for every ACTES status."""
    return php_json({str(value): label for value, label in Status.choices})


@s2low_auth
def nb_actes_by_authorities_and_date(request: HttpRequest) -> HttpResponse:
    """Acts created in ``month``/``year`` per authority the caller may read (S²LOW: group admins)."""
    month = params.as_int(params.query(request, "month"))
    year = params.as_int(params.query(request, "year"))
    if month is None or year is None or not (1 <= month <= 12 and 1900 <= year <= 9999):
        return ko("Les paramètres month et year sont invalides.")
    start = dt.date(year, month, 1)
    end = dt.date(year + month // 12, month % 12 + 1, 1)
    rows = []
    for authority in actes_authorities(request.user).order_by("name", "id"):
        count = (
            Transaction.objects.for_tenant(authority)
            .acts()
            .filter(created_at__date__gte=start, created_at__date__lt=end)
            .count()
        )
        rows.append({"authority_id": str(authority.pk), "name": authority.name, "nb_actes": str(count)})
    return php_json(rows)
