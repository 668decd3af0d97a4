"""What the support pages share: the member-page decorator, rights as HTTP errors, the year planning."""

import datetime as dt
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from bouquet.support.choices import RegistrationStatus
from bouquet.support.errors import RightsError, SupportError
from bouquet.support.services.common import READ_ONLY_MESSAGE, WRITER_ROLES

__all__ = [
    "MONTHS",
    "by_month",
    "can_act",
    "member_view",
    "paginate",
    "report",
    "require_can_act",
    "with_seat_counts",
    "year_bounds",
]

PAGE_SIZE = 25
MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


def member_view(view: Callable) -> Callable:
    """Login (anonymous → login page) and a current member authority (403 otherwise)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.authority is None:
            raise PermissionDenied("Ces pages sont réservées aux agents des collectivités adhérentes.")
        return view(request, *args, **kwargs)

    return wrapper


def can_act(request: HttpRequest) -> bool:
    """Whether the current membership may act for the authority (not a read-only account)."""
    membership = request.membership
    return membership is not None and membership.role in WRITER_ROLES


def require_can_act(request: HttpRequest) -> None:
    if not can_act(request):
        raise PermissionDenied(READ_ONLY_MESSAGE)


def report(request: HttpRequest, error: SupportError) -> None:
    """A refused action: rights become 403, rules a message on the page (nothing was changed)."""
    if isinstance(error, RightsError):
        raise PermissionDenied(error.message)
    messages.error(request, error.message)


def paginate(request: HttpRequest, queryset: QuerySet) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def with_seat_counts(sessions: QuerySet) -> QuerySet:
    return sessions.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
        waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
    )


def by_month(sessions, year: int) -> list[dict]:
    """Twelve months of ``year``, each with its sessions (in order, with ``free`` seats), empty ones too."""
    months = [{"number": n, "name": MONTHS[n - 1], "sessions": []} for n in range(1, 13)]
    for session in sessions:
        session.free = max(session.capacity - getattr(session, "confirmed", 0), 0)
        local = timezone.localtime(session.starts_at)
        if local.year == year:
            months[local.month - 1]["sessions"].append(session)
    return months


def year_bounds(year: int):
    """The aware start of ``year`` and of the next one (Europe/Paris)."""
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    return start, timezone.make_aware(dt.datetime(year + 1, 1, 1))
