"""What the HELIOS pages share: the module checks, the CS/TT rights, the actor, keyset pagination.

Tenant scope: list pages read the current authority only (``for_tenant(request.authority)``); object
pages fetch through ``core.access.get_for_user`` (404 for another tenant), then check the HELIOS right
of the user in the object's own authority (403).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone

from bouquet.core.access import require_module_access
from bouquet.core.audit import Actor
from bouquet.core.choices import Access, ModuleCode
from bouquet.core.models import Membership, ModuleRight, Subscription
from bouquet.helios.services.common import HeliosRights, helios_rights

PAGE_SIZE = 25
#: Above this many rows the lists say "plus de 1 000" instead of counting them all.
COUNT_CAP = 1000
NO_RIGHT = "Vous n'avez pas les droits nécessaires sur le module Hélios."
READ_ONLY = "Votre accès au module Hélios est en consultation seule."
NO_CS = "Vous n'avez pas le droit de déposer des flux PES pour cette collectivité (droit CS)."
NO_TT = "Vous n'avez pas le droit de télétransmettre des flux PES pour cette collectivité (droit TT)."


def helios_right(request: HttpRequest, authority) -> ModuleRight | None:
    """The user's HELIOS right in ``authority`` (from the middleware's membership when it is that one)."""
    membership = getattr(request, "membership", None)
    if membership is None or membership.authority_id != authority.pk:
        membership = (
            Membership.objects.filter(user=request.user, authority=authority, is_active=True)
            .prefetch_related("rights__module")
            .first()
        )
    return membership.right(ModuleCode.HELIOS) if membership else None


def require_helios(request: HttpRequest, authority, write: bool = False) -> ModuleRight:
    """403 unless the user may read (or write) HELIOS in ``authority``."""
    if authority.pk == getattr(request.authority, "pk", None):
        require_module_access(request, ModuleCode.HELIOS, write=write)
    right = helios_right(request, authority)
    if right is None or right.access == Access.NONE:
        raise PermissionDenied(NO_RIGHT)
    if write and right.access != Access.WRITE:
        raise PermissionDenied(READ_ONLY)
    return right


def rights_in(request: HttpRequest, authority) -> HeliosRights:
    """CS/TT of the user in ``authority``, as the services will judge them."""
    return helios_rights(actor_of(request), authority)


def helios_view(view: Callable) -> Callable:
    """Login (anonymous → login page), an authority subscribed to HELIOS (404), read access (403).

    Sets ``request.helios_right`` (the ModuleRight) and ``request.helios_rights`` (CS/TT).
    """

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        authority = request.authority
        subscribed = (
            authority is not None
            and Subscription.objects.for_tenant(authority)
            .current()
            .filter(module__code=ModuleCode.HELIOS)
            .exists()
        )
        if not subscribed:
            raise Http404("Votre collectivité n'est pas abonnée au module Hélios.")
        request.helios_right = require_helios(request, authority)
        request.helios_rights = rights_in(request, authority)
        return view(request, *args, **kwargs)

    return wrapper


def actor_of(request: HttpRequest) -> Actor:
    return Actor.of_user(request.user)


def done(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect; the upload script posts with XMLHttpRequest and gets the address to go to instead."""
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return JsonResponse({"redirect": url})
    return redirect(url)


def attachment(data: bytes, name: str, content_type: str = "application/xml") -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name) or "fichier.xml"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Filtering and keyset pagination ---------------------------------------------------------

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def encode_cursor(at: dt.datetime, pk: int) -> str:
    return f"{(at - EPOCH) // dt.timedelta(microseconds=1)}-{pk}"


def decode_cursor(value: str | None) -> tuple[dt.datetime, int] | None:
    try:
        micros, pk = (value or "").split("-")
        return EPOCH + dt.timedelta(microseconds=int(micros)), int(pk)
    except (ValueError, OverflowError):
        return None


@dataclass(frozen=True)
class KeysetPage:
    """One page of a list ordered by (-<date>, -id), reached by a cursor instead of an OFFSET."""

    object_list: list
    newer: str | None
    older: str | None
    count: int
    capped: bool

    @property
    def has_other_pages(self) -> bool:
        return bool(self.newer or self.older)


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    count = queryset.order_by()[: cap + 1].count()
    return min(count, cap), count > cap


def keyset_page(request: HttpRequest, queryset: QuerySet, field: str, size: int = PAGE_SIZE) -> KeysetPage:
    """The page after ``?apres=``, before ``?avant=``, or the newest one, ordered by ``field`` then id."""
    older_than = decode_cursor(request.GET.get("apres"))
    newer_than = decode_cursor(request.GET.get("avant"))
    count, capped = capped_count(queryset)

    def cursor(row) -> str:
        return encode_cursor(getattr(row, field), row.pk)

    if newer_than is not None:
        at, pk = newer_than
        rows = list(
            queryset.filter(**{f"{field}__gte": at})
            .filter(Q(**{f"{field}__gt": at}) | Q(pk__gt=pk))
            .order_by(field, "id")[: size + 1]
        )
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(
            rows,
            cursor(rows[0]) if rows and more_newer else None,
            cursor(rows[-1]) if rows else None,
            count,
            capped,
        )
    if older_than is not None:
        at, pk = older_than
        queryset = queryset.filter(**{f"{field}__lte": at}).filter(Q(**{f"{field}__lt": at}) | Q(pk__lt=pk))
    rows = list(queryset.order_by(f"-{field}", "-id")[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows,
        cursor(rows[0]) if rows and older_than is not None else None,
        cursor(rows[-1]) if more_older else None,
        count,
        capped,
    )
