"""What the contracts pages share: the MARCHES right in the object's own authority.

List pages read the current authority only (``for_tenant(request.authority)``); object pages fetch
through ``core.access.get_for_user`` (404 for another tenant), then check the user's MARCHES right
in the object's authority (403).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from bouquet.core.access import get_for_user
from bouquet.core.choices import Access
from bouquet.marches.contracts.models import Contract
from bouquet.marches.services.common import marches_access

NO_AUTHORITY = "Cet espace est réservé aux agents des collectivités adhérentes."
NO_RIGHT = "Vous n'avez pas accès au service Marchés publics."
READ_ONLY = "Votre accès au service Marchés publics est en consultation seule."


def require_access(request: HttpRequest, authority, write: bool = False) -> str:
    """The user's MARCHES access in ``authority``; 403 without it (or without write when needed)."""
    access = marches_access(request.user, authority)
    if access == Access.NONE:
        raise PermissionDenied(NO_RIGHT)
    if write and access != Access.WRITE:
        raise PermissionDenied(READ_ONLY)
    return access


def buyer_view(view: Callable) -> Callable:
    """Logged in (anonymous → login page), working for an authority, with MARCHES access (403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.authority is None:
            raise PermissionDenied(NO_AUTHORITY)
        return view(request, *args, **kwargs)

    return wrapper


def get_object(request: HttpRequest, queryset, pk: int, write: bool = False):
    """The object if it belongs to one of the user's authorities (404), with the right (403)."""
    obj = get_for_user(request, queryset.select_related("authority"), pk=pk)
    request.can_write = require_access(request, obj.authority, write) == Access.WRITE
    return obj


def get_contract(request: HttpRequest, pk: int, write: bool = False) -> Contract:
    return get_object(request, Contract.objects.select_related("consultation", "lot"), pk, write)
