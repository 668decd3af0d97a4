"""What the buyer pages share: access checks in the object's own authority, error display.

Object pages first fetch through ``core.access.get_for_user`` (404 for another tenant's object),
then check the MARCHES right of the user in that object's authority (403).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from bouquet.core.access import get_for_user
from bouquet.core.choices import Access
from bouquet.marches.errors import InvalidData, MarchesError
from bouquet.marches.models import Consultation
from bouquet.marches.services.common import marches_access

NO_AUTHORITY = "Cet espace est réservé aux agents des collectivités adhérentes."
NO_RIGHT = "Vous n'avez pas accès au service Marchés publics."
READ_ONLY = "Votre accès au service Marchés publics est en consultation seule."


def require_access(request: HttpRequest, authority, write: bool = False) -> str:
    """The user's MARCHES access in ``authority``; 403 without it (or without write when needed).
    Kept on the request: the buyer sub-navigation hides what a reader cannot do."""
    access = marches_access(request.user, authority)
    if access == Access.NONE:
        raise PermissionDenied(NO_RIGHT)
    if write and access != Access.WRITE:
        raise PermissionDenied(READ_ONLY)
    request.marches_access = access
    return access


def buyer_view(view: Callable) -> Callable:
    """Logged in (anonymous → login page) and working for an authority (403 otherwise)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.authority is None:
            raise PermissionDenied(NO_AUTHORITY)
        return view(request, *args, **kwargs)

    return wrapper


def get_consultation(request: HttpRequest, pk: int, write: bool = False) -> Consultation:
    """The consultation if it is one of the user's authorities' (404), with the MARCHES right (403)."""
    consultation = get_for_user(request, Consultation.objects.select_related("authority"), pk=pk)
    require_access(request, consultation.authority, write)
    return consultation


def show_error(request: HttpRequest, error: MarchesError, form=None) -> None:
    """The service's French message at the top, and its field errors on the form when there is one."""
    if isinstance(error, InvalidData) and form is not None and error.errors:
        for field, texts in error.errors.items():
            for text in texts:
                form.add_error(field if field in form.fields else None, text)
        return
    messages.error(request, error.message)


def back_to_detail(consultation: Consultation) -> HttpResponse:
    return redirect("marches:detail", consultation.pk)
