"""Who the S²LOW caller is for ACTES: its authority and the transactions it may see.

S²LOW binds every account to exactly one authority. A Bouquet user may hold several memberships;
the S²LOW authority of the account is the **oldest active membership giving access to the ACTES
module** (membership creation order). Creations, classification and lists use that authority.
Lookups by id accept any authority where the user has ACTES access (the user may see them anyway);
any other id answers exactly like a missing one, so nothing leaks.
"""

from django.db.models import QuerySet

from bouquet.actes.models import Transaction, TransactionFile
from bouquet.core.choices import Access, ModuleCode
from bouquet.core.models import Authority, Membership
from bouquet.helios.models import Retour
from bouquet.helios.models import Transaction as HeliosTransaction

__all__ = [
    "NO_AUTHORITY",
    "NO_HELIOS_AUTHORITY",
    "actes_authorities",
    "caller_authority",
    "files_of",
    "helios_caller_authority",
    "helios_retours_of",
    "helios_transactions_of",
    "transactions_of",
]

NO_AUTHORITY = "Ce compte n'a accès au module Actes d'aucune collectivité."
NO_HELIOS_AUTHORITY = "Ce compte n'a accès au module Hélios d'aucune collectivité."


def _memberships(user, module: str = ModuleCode.ACTES) -> QuerySet:
    return Membership.objects.filter(
        user=user,
        is_active=True,
        rights__module__code=module,
        rights__access__in=[Access.READ, Access.WRITE],
    )


def actes_authorities(user) -> QuerySet:
    """Authorities where ``user`` may read ACTES."""
    return Authority.objects.visible_to(user).filter(pk__in=_memberships(user).values("authority"))


def caller_authority(user) -> Authority | None:
    """The account's S²LOW authority (oldest ACTES membership), or None."""
    membership = _memberships(user).select_related("authority").order_by("created_at", "id").first()
    return membership.authority if membership else None


def transactions_of(user) -> QuerySet:
    return Transaction.objects.visible_to(user).filter(authority__in=actes_authorities(user))


def files_of(user) -> QuerySet:
    return TransactionFile.objects.filter(transaction__in=transactions_of(user)).select_related(
        "transaction", "stored_file"
    )


# HELIOS: the same rule with the HELIOS module (the account's S²LOW authority is its oldest
# membership giving access to HELIOS; lookups by id accept any authority where it reads HELIOS).


def _helios_authorities(user) -> QuerySet:
    return Authority.objects.visible_to(user).filter(
        pk__in=_memberships(user, ModuleCode.HELIOS).values("authority")
    )


def helios_caller_authority(user) -> Authority | None:
    """The account's S²LOW authority for HELIOS (oldest HELIOS membership), or None."""
    memberships = _memberships(user, ModuleCode.HELIOS).select_related("authority")
    membership = memberships.order_by("created_at", "id").first()
    return membership.authority if membership else None


def helios_transactions_of(user) -> QuerySet:
    return HeliosTransaction.objects.visible_to(user).filter(authority__in=_helios_authorities(user))


def helios_retours_of(user) -> QuerySet:
    return Retour.objects.visible_to(user).filter(authority__in=_helios_authorities(user))
