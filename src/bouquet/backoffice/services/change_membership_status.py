"""Record an authority's new membership status, dated, as one more row of its history."""

from datetime import date

from django.db import transaction

from bouquet.backoffice.choices import MEMBERSHIP_TRANSITIONS, MembershipStatus
from bouquet.backoffice.errors import BackofficeError
from bouquet.backoffice.models import MembershipStatusChange
from bouquet.core.audit import Actor, record
from bouquet.core.models import Authority

__all__ = ["change_membership_status"]


def change_membership_status(
    *, authority: Authority, status: str, effective_date: date, actor: Actor, note: str = ""
) -> MembershipStatusChange:
    """Append ``status`` from ``effective_date`` to the authority's history.

    :raises BackofficeError: the date precedes the last recorded status, the status is unchanged,
        or the move is not allowed (``choices.MEMBERSHIP_TRANSITIONS``).
    """
    status = MembershipStatus(status)
    with transaction.atomic():
        Authority.objects.select_for_update().filter(pk=authority.pk).first()  # one writer per authority
        latest = (
            MembershipStatusChange.objects.filter(authority=authority)
            .order_by("-effective_date", "-id")
            .first()
        )
        previous = MembershipStatus(latest.status) if latest else None
        if latest and effective_date < latest.effective_date:
            raise BackofficeError(
                f"La date d'effet ne peut pas précéder celle du dernier statut enregistré "
                f"({latest.get_status_display()} au {latest.effective_date:%d/%m/%Y})."
            )
        if previous == status:
            raise BackofficeError(f"{authority.name} a déjà le statut « {status.label} ».")
        if status not in MEMBERSHIP_TRANSITIONS[previous]:
            raise BackofficeError(
                f"Impossible de passer du statut « {previous.label} » au statut « {status.label} »."
                if previous
                else f"Statut « {status.label} » impossible."
            )
        row = MembershipStatusChange.objects.create(
            authority=authority,
            status=status,
            effective_date=effective_date,
            note=note,
            recorded_by=actor.user,
        )
        record(
            actor=actor,
            action="backoffice.membership_status",
            authority=authority,
            obj=row,
            details={
                "from": previous.value if previous else None,
                "to": status.value,
                "effective_date": effective_date,
                "note": note,
            },
        )
    return row
