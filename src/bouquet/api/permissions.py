"""The API's permissions: the caller's membership reads the ACTES (or, for /helios/, the HELIOS) module.

Writing rights (CS, TT, RGS level) are checked by the services, which the API calls as they are.
"""

from rest_framework import exceptions, permissions

from bouquet.api.authentication import ApiContext
from bouquet.core.choices import Access, ModuleCode

__all__ = ["ActesReader", "HeliosReader"]


class ActesReader(permissions.BasePermission):
    message = "Vous n'avez pas accès au module ACTES de cette collectivité."
    code = "module_forbidden"

    def has_permission(self, request, view) -> bool:
        context = request.auth
        if not isinstance(context, ApiContext):
            raise exceptions.NotAuthenticated()
        right = context.membership.right(ModuleCode.ACTES)
        return right is not None and right.access in {Access.READ, Access.WRITE}


class HeliosReader(permissions.BasePermission):
    message = "Vous n'avez pas accès au module HELIOS de cette collectivité."
    code = "module_forbidden"

    def has_permission(self, request, view) -> bool:
        context = request.auth
        if not isinstance(context, ApiContext):
            raise exceptions.NotAuthenticated()
        right = context.membership.right(ModuleCode.HELIOS)
        return right is not None and right.access in {Access.READ, Access.WRITE}
