"""What the contracts pages share: the MARCHES right in the object's own authority.

List pages read the current authority only (``for_tenant(request.authority)``); object pages fetch
through ``core.access.get_for_user`` (404 for another tenant), then check the user's MARCHES right
in the object's authority (403).
"""

from django.http import HttpRequest

from bouquet.core.access import get_for_user
from bouquet.core.choices import Access
from bouquet.marches.contracts.models import Contract
from bouquet.marches.views.common import buyer_view, require_access

__all__ = ["buyer_view", "get_contract", "get_object", "require_access"]


def get_object(request: HttpRequest, queryset, pk: int, write: bool = False):
    """The object if it belongs to one of the user's authorities (404), with the right (403)."""
    obj = get_for_user(request, queryset.select_related("authority"), pk=pk)
    request.can_write = require_access(request, obj.authority, write) == Access.WRITE
    return obj


def get_contract(request: HttpRequest, pk: int, write: bool = False) -> Contract:
    return get_object(request, Contract.objects.select_related("consultation", "lot"), pk, write)
