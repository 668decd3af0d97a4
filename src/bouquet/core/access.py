"""Access checks every view uses: member scope (404 for other tenants) and the journaled operator scope."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from bouquet.core.audit import Actor, record
from bouquet.core.choices import Access, OperatorRole

__all__ = ["get_for_user", "get_served", "operator_view", "require_module_access", "require_operator"]


def get_for_user(request, queryset, **lookup):
    """The object if it belongs to one of the user's authorities; 404 otherwise (never 403)."""
    obj = queryset.visible_to(request.user).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def module_right(request, module_code: str):
    membership = getattr(request, "membership", None)
    return membership.right(module_code) if membership else None


def require_module_access(request, module_code: str, write: bool = False) -> None:
    """403 when the current membership lacks read (or write) access to the module."""
    right = module_right(request, module_code)
    allowed = {Access.WRITE} if write else {Access.READ, Access.WRITE}
    if right is None or right.access not in allowed:
        raise PermissionDenied("Vous n'avez pas les droits nécessaires sur ce module.")


def require_operator(request, roles=(OperatorRole.ADMIN, OperatorRole.SUPPORT)):
    """The user's staff record for the platform operator, or 403."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    staff = request.user.operator_roles.filter(role__in=roles).select_related("operator").first()
    if staff is None:
        raise PermissionDenied("Cette page est réservée à l'équipe de l'opérateur.")
    return staff


def get_served(request, queryset, **lookup):
    """Operator path to one member object: 404 outside the operator's members, and journaled."""
    require_operator(request)
    obj = queryset.served_by(request.user).filter(**lookup).first()
    if obj is None:
        raise Http404
    authority = obj if obj._meta.label == "core.Authority" else getattr(obj, "authority", None)
    record(actor=Actor.of_user(request.user), action="operator.view", authority=authority, obj=obj)
    return obj


def operator_view(view: Callable) -> Callable:
    """Anonymous users go to the login page; authenticated non-staff get 403; ``request.staff`` is set."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.staff = require_operator(request)
        return view(request, *args, **kwargs)

    return wrapper
