"""Tenant scoping in one place: every member-owned queryset narrows through these methods.

Members see the authorities they hold an active membership of. Operator staff reach member
data only through ``served_by`` (operator pages), never through ``visible_to``, so that the
operator path stays explicit and is journaled by ``core.access``.
"""

from django.db import models

__all__ = ["AuthorityQuerySet", "TenantQuerySet", "member_q"]


def member_q(user, prefix: str = "") -> models.Q:
    """Q selecting authorities (through ``prefix``) where ``user`` has an active membership."""
    if not user.is_authenticated:
        return models.Q(pk__in=[])
    return models.Q(**{f"{prefix}memberships__user": user, f"{prefix}memberships__is_active": True})


def served_q(user, prefix: str = "") -> models.Q:
    """Q selecting authorities (through ``prefix``) of the operator(s) the user is staff of."""
    if not user.is_authenticated:
        return models.Q(pk__in=[])
    return models.Q(**{f"{prefix}operator__staff__user": user})


class AuthorityQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AuthorityQuerySet":
        return self.filter(pk__in=self.model.objects.filter(member_q(user)).values("pk"))

    def served_by(self, user) -> "AuthorityQuerySet":
        return self.filter(pk__in=self.model.objects.filter(served_q(user)).values("pk"))


class TenantQuerySet(models.QuerySet):
    """For models with a non-null ``authority`` foreign key."""

    def for_tenant(self, authority) -> "TenantQuerySet":
        return self.filter(authority=authority)

    def visible_to(self, user) -> "TenantQuerySet":
        return self.filter(member_q(user, "authority__")).distinct()

    def served_by(self, user) -> "TenantQuerySet":
        return self.filter(served_q(user, "authority__")).distinct()
