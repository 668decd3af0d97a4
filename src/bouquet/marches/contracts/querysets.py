"""Querysets of the contracts app: tenant scope from ``TenantQuerySet``; the open-data scope here."""

from bouquet.core.querysets import TenantQuerySet
from bouquet.marches.contracts.choices import ContractStatus

__all__ = ["ContractQuerySet"]


class ContractQuerySet(TenantQuerySet):
    def published(self) -> "ContractQuerySet":
        """Contracts whose essential data are on the open-data dataset."""
        return self.filter(status=ContractStatus.PUBLISHED)

    def of_operator(self, operator) -> "ContractQuerySet":
        """Every member's contracts for the operator's dataset (public data, no user scope)."""
        return self.filter(authority__operator=operator)
