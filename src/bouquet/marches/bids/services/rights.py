"""Who may do what: buyer agents by their MARCHES right in the buyer authority, company users by
their active company membership."""

from bouquet.core.audit import Actor
from bouquet.core.choices import Access
from bouquet.marches.bids.errors import RightsError
from bouquet.marches.models import Company, CompanyMembership
from bouquet.marches.services.common import marches_access

__all__ = ["marches_access", "require_buyer", "require_company_member"]


def require_buyer(actor: Actor, authority, *, write: bool = True) -> None:
    """:raises RightsError: the actor is not an agent of ``authority`` with the MARCHES right."""
    access = marches_access(actor.user, authority)
    allowed = {Access.WRITE} if write else {Access.READ, Access.WRITE}
    if access not in allowed:
        raise RightsError(
            "Seuls les agents de l'acheteur habilités (droit d'écriture sur le module Marchés) "
            "peuvent faire cette opération."
            if write
            else "Vous n'avez pas accès aux marchés de cette collectivité."
        )


def require_company_member(actor: Actor, company: Company) -> None:
    """:raises RightsError: the actor does not act for ``company``."""
    user = actor.user
    ok = (
        user is not None
        and CompanyMembership.objects.filter(user=user, company=company, is_active=True).exists()
    )
    if not ok:
        raise RightsError("Vous n'agissez pas pour cette entreprise.")
