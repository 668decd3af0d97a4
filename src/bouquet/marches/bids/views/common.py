"""What the bids pages share: who the company user acts for, the buyer's consultation fetched in
its tenant scope, French errors as JSON for the upload script."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.utils.timezone import make_aware

from bouquet.core.access import get_for_user
from bouquet.core.audit import Actor
from bouquet.marches.bids.models import Deposit
from bouquet.marches.companies import company_for
from bouquet.marches.models import Consultation
from bouquet.marches.views.common import require_access


def actor_of(request: HttpRequest) -> Actor:
    return Actor.of_user(request.user)


def company_view(view: Callable) -> Callable:
    """Logged in (anonymous → login page) as a company user (403 page otherwise); sets ``request.company``."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        request.company = company_for(request.user)
        if request.company is None:
            if request.headers.get("Accept", "").startswith("application/json"):
                return json_error("Ce service est réservé aux comptes entreprise.", 403)
            return render(request, "marches_bids/no_company.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def company_deposit(request: HttpRequest, uuid) -> Deposit:
    """A deposit of one of the user's companies (404 for anybody else's)."""
    deposit = (
        Deposit.objects.of_company_user(request.user)
        .select_related("consultation__authority", "company", "depositor")
        .filter(uuid=uuid)
        .first()
    )
    if deposit is None:
        raise Http404
    return deposit


def buyer_consultation(request: HttpRequest, pk: int, write: bool = False) -> Consultation:
    """The consultation in the user's authorities (404), with the MARCHES right there (403)."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    consultation = get_for_user(request, Consultation.objects.select_related("authority"), pk=pk)
    require_access(request, consultation.authority, write)
    return consultation


#: The buyer pages' check is the procurement app's own (403, and the right kept on the request).
require_right = require_access


def posted_int(request: HttpRequest, name: str) -> int:
    """An integer field of the form, 0 when absent or not a number (a lookup then finds nothing)."""
    try:
        return int(request.POST.get(name) or 0)
    except (TypeError, ValueError):
        return 0


def posted_datetime(request: HttpRequest, name: str):
    """An aware datetime from a ``datetime-local`` field (heure de Paris), or None if absent or invalid."""
    try:
        value = parse_datetime(request.POST.get(name, "") or "")
    except ValueError:
        return None
    if value is None:
        return None
    return value if value.tzinfo else make_aware(value)


def json_error(message: str, status: int = 400, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)
