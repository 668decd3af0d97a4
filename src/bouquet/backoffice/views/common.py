"""What every back-office page shares: the admin check, the year parameter, pagination."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils import timezone

from bouquet.core.choices import OperatorRole
from bouquet.core.models import Authority

PAGE_SIZE = 25
READ_ONLY = "Votre rôle d'assistance permet de consulter ces pages, pas de les modifier."


def can_edit(request: HttpRequest) -> bool:
    return request.staff.role == OperatorRole.ADMIN


def require_admin(request: HttpRequest) -> None:
    """403 for support staff: they read the back-office, only admins change it."""
    if not can_edit(request):
        raise PermissionDenied(READ_ONLY)


def served(request: HttpRequest):
    """The members of the staff member's operator (the only authorities a page may name)."""
    return Authority.objects.served_by(request.user).filter(operator=request.staff.operator)


def year_param(request: HttpRequest) -> int:
    """``?annee=2026``; the current year when absent or out of 2000–2100."""
    current = timezone.localdate().year
    try:
        year = int(request.GET.get("annee", current))
    except (TypeError, ValueError):
        return current
    return year if 2000 <= year <= 2100 else current


def paginate(request: HttpRequest, items) -> Page:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def form_errors(request: HttpRequest, form) -> None:
    """Show a bound form's errors as messages (for small forms posted from a detail page)."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label} : {error}" if label else error)
