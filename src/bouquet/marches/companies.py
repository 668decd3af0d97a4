"""Who a company user is acting for."""

from bouquet.marches.models import Company, CompanyMembership

__all__ = ["company_for"]


def company_for(user) -> Company | None:
    """The company of an authenticated company user (their first active account), or None."""
    if user is None or not user.is_authenticated:
        return None
    membership = (
        CompanyMembership.objects.filter(user=user, is_active=True)
        .select_related("company")
        .order_by("created_at", "id")
        .first()
    )
    return membership.company if membership else None
