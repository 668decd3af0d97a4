"""What the ACTES pages share: the module checks, the actor, and list pagination that stays fast.

Tenant scope: list pages read the current authority only (``for_tenant(request.authority)``, the
membership having been checked by the middleware); object pages fetch through
``core.access.get_for_user`` (404 for another tenant), then check the ACTES right of the user in
the object's own authority.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bouquet.actes.choices import TransactionType
from bouquet.actes.models import Transaction
from bouquet.core.access import get_for_user
from bouquet.core.audit import Actor
from bouquet.core.choices import Access, ModuleCode
from bouquet.core.models import Membership, ModuleRight, Subscription

PAGE_SIZE = 25
#: Above this many rows the lists say "plus de 1 000" instead of counting a million rows.
COUNT_CAP = 1000
RECEIVED_TYPES = (
    TransactionType.COURRIER_SIMPLE,
    TransactionType.PIECES_COMPLEMENTAIRES,
    TransactionType.LETTRE_OBSERVATIONS,
    TransactionType.DEFERE_TA,
)
NO_RIGHT = "Vous n'avez pas les droits nécessaires sur le module Actes."
READ_ONLY = "Votre accès au module Actes est en consultation seule."


def actes_right(request: HttpRequest, authority) -> ModuleRight | None:
    """The user's ACTES right in ``authority`` (from the middleware's membership when it is that one)."""
    membership = getattr(request, "membership", None)
    if membership is None or membership.authority_id != authority.pk:
        membership = (
            Membership.objects.filter(user=request.user, authority=authority, is_active=True)
            .prefetch_related("rights__module")
            .first()
        )
    return membership.right(ModuleCode.ACTES) if membership else None


def require_actes(request: HttpRequest, authority, write: bool = False) -> ModuleRight:
    """403 unless the user may read (or write) ACTES in ``authority``."""
    right = actes_right(request, authority)
    if right is None or right.access == Access.NONE:
        raise PermissionDenied(NO_RIGHT)
    if write and right.access != Access.WRITE:
        raise PermissionDenied(READ_ONLY)
    return right


def actes_view(view: Callable) -> Callable:
    """Login (anonymous → login page), an authority subscribed to ACTES (404), read access (403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        authority = request.authority
        subscribed = (
            authority is not None
            and Subscription.objects.for_tenant(authority)
            .current()
            .filter(module__code=ModuleCode.ACTES)
            .exists()
        )
        if not subscribed:
            raise Http404("Votre collectivité n'est pas abonnée au module Actes.")
        request.actes_right = require_actes(request, authority)
        return view(request, *args, **kwargs)

    return wrapper


def get_transaction(request: HttpRequest, pk: int, write: bool = False) -> Transaction:
    """The transaction if it belongs to one of the user's authorities (404) and the user may read
    (or write) ACTES there (403)."""
    transaction = get_for_user(request, Transaction.objects.select_related("authority", "related"), pk=pk)
    require_actes(request, transaction.authority, write=write)
    return transaction


def actor_of(request: HttpRequest) -> Actor:
    return Actor.of_user(request.user)


def optional_url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def done(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect; the upload script posts with XMLHttpRequest and gets the address to go to instead.

    (Following a 302 inside the XMLHttpRequest would consume the flash message on the way.)
    """
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return JsonResponse({"redirect": url})
    return redirect(url)


# --- Filtering and keyset pagination ---------------------------------------------------------


def filter_transactions(queryset: QuerySet, data: dict) -> QuerySet:
    """Apply the list filters; each one is an equality or a range on an indexed column."""
    for name in ("status", "type", "nature"):
        if data.get(name) is not None:
            queryset = queryset.filter(**{name: data[name]})
    if data.get("number"):
        queryset = queryset.filter(number=data["number"])
    if data.get("q"):
        queryset = queryset.filter(subject__icontains=data["q"].strip())
    if data.get("since"):
        queryset = queryset.filter(created_at__gte=_day_start(data["since"]))
    if data.get("until"):
        queryset = queryset.filter(created_at__lt=_day_start(data["until"] + dt.timedelta(days=1)))
    return queryset


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def encode_cursor(transaction: Transaction) -> str:
    micros = (transaction.created_at - EPOCH) // dt.timedelta(microseconds=1)
    return f"{micros}-{transaction.pk}"


def decode_cursor(value: str | None) -> tuple[dt.datetime, int] | None:
    try:
        micros, pk = (value or "").split("-")
        return EPOCH + dt.timedelta(microseconds=int(micros)), int(pk)
    except ValueError:
        return None


@dataclass(frozen=True)
class KeysetPage:
    """One page of a list ordered by (-created_at, -id), reached by a cursor instead of an OFFSET.

    An OFFSET makes the database walk every skipped row (page 40 000 of a million rows); the cursor
    turns each page into an index range scan of ``PAGE_SIZE + 1`` rows wherever it is.
    """

    object_list: list
    newer: str | None
    older: str | None
    count: int
    capped: bool

    @property
    def has_other_pages(self) -> bool:
        return bool(self.newer or self.older)


def capped_count(queryset: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """Count at most ``cap`` + 1 rows: ``SELECT COUNT(*) FROM (… LIMIT cap+1)``."""
    cap = COUNT_CAP if cap is None else cap
    count = queryset.order_by()[: cap + 1].count()
    return min(count, cap), count > cap


def keyset_page(request: HttpRequest, queryset: QuerySet, size: int = PAGE_SIZE) -> KeysetPage:
    """The page after ``?apres=``, before ``?avant=``, or the newest one."""
    older_than = decode_cursor(request.GET.get("apres"))
    newer_than = decode_cursor(request.GET.get("avant"))
    count, capped = capped_count(queryset)
    if newer_than is not None:
        at, pk = newer_than
        # created_at >= at bounds the index range; the OR only drops the ties already shown.
        rows = list(
            queryset.filter(created_at__gte=at)
            .filter(Q(created_at__gt=at) | Q(pk__gt=pk))
            .order_by("created_at", "id")[: size + 1]
        )
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(
            rows,
            encode_cursor(rows[0]) if rows and more_newer else None,
            encode_cursor(rows[-1]) if rows else None,
            count,
            capped,
        )
    if older_than is not None:
        at, pk = older_than
        queryset = queryset.filter(created_at__lte=at).filter(Q(created_at__lt=at) | Q(pk__lt=pk))
    rows = list(queryset.order_by("-created_at", "-id")[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows,
        encode_cursor(rows[0]) if rows and older_than is not None else None,
        encode_cursor(rows[-1]) if more_older else None,
        count,
        capped,
    )


def unread_letters(authority) -> int:
    return Transaction.objects.for_tenant(authority).unread_documents().count()


def back_to(transaction: Transaction) -> HttpResponse:
    return redirect("actes:detail", pk=transaction.pk)


def detail_url(transaction: Transaction) -> str:
    return reverse("actes:detail", args=[transaction.pk])
