"""Checks other contexts call before acting for a member (the ACTES sending services)."""

from datetime import date, datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from bouquet.backoffice.choices import ConventionKind, ConventionModule, ConventionStatus
from bouquet.backoffice.models import Convention

__all__ = ["actes_convention_refusal"]


def actes_convention_refusal(authority, on_date: date | datetime | None = None) -> str | None:
    """Why ``authority`` may not send acts to the préfecture on ``on_date`` (today by default), or None.

    Sending needs a signed ACTES convention (an amendment alone does not count) whose period covers
    the date. One query. ``BACKOFFICE_ACTES_CONVENTION_REQUIRED=0`` turns the check off.
    """
    if not settings.BACKOFFICE_ACTES_CONVENTION_REQUIRED:
        return None
    if isinstance(on_date, datetime):
        on_date = timezone.localtime(on_date).date() if timezone.is_aware(on_date) else on_date.date()
    day = on_date or timezone.localdate()
    in_force = (
        Convention.objects.filter(
            authority_id=authority.pk,
            module=ConventionModule.ACTES,
            kind=ConventionKind.CONVENTION,
            status=ConventionStatus.SIGNED,
            effective_from__lte=day,
        )
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=day))
        .exists()
    )
    if in_force:
        return None
    return (
        f"Les actes de {authority.name} ne peuvent pas être envoyés à la préfecture : aucune convention "
        f"de télétransmission ACTES signée n'est en vigueur au {day:%d/%m/%Y}. Votre opérateur de "
        "mutualisation peut vous aider à la préparer ou à l'enregistrer."
    )
