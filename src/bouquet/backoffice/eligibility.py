"""Who may receive an aid on a date, and what was paid (see ``AidRule``)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q

from bouquet.backoffice.choices import MembershipStatus
from bouquet.backoffice.memberships import status_on, with_status
from bouquet.backoffice.models import AidPayment, AidRule
from bouquet.core.models import Authority, Subscription

__all__ = ["AidRow", "aid_rows", "eligibility_refusal"]


@dataclass
class AidRow:
    """One member in an aid's list: eligible or not (paid earlier), and its payments."""

    authority: Authority
    eligible: bool
    payments: list[AidPayment] = field(default_factory=list)

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal("0.00"))

    @property
    def last_paid_on(self) -> date | None:
        return max((p.paid_on for p in self.payments), default=None)


def _subscribed(module_id: int, on: date) -> Q:
    return Q(module_id=module_id, start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def eligibility_refusal(aid: AidRule, authority, on: date) -> str | None:
    """Why ``authority`` is not eligible to ``aid`` on ``on``, in French; None when it is."""
    if authority.operator_id != aid.operator_id:
        return "Cette collectivité n'est pas adhérente de cet opérateur."
    if not aid.in_force(on):
        return f"L'aide « {aid.name} » n'est pas ouverte au {on:%d/%m/%Y} ({aid.period_label})."
    row = status_on(authority, on)
    if row is None or row.status != MembershipStatus.MEMBER:
        return f"{authority.name} n'est pas adhérente au {on:%d/%m/%Y}."
    if not aid.matches(authority):
        return f"{authority.name} ne fait pas partie des bénéficiaires ({aid.target_label})."
    if (
        aid.required_module_id
        and not Subscription.objects.filter(
            Q(authority=authority) & _subscribed(aid.required_module_id, on)
        ).exists()
    ):
        return f"{authority.name} n'est pas abonnée au service {aid.required_module.name}."
    return None


def aid_rows(aid: AidRule, on: date, authorities=None) -> list[AidRow]:
    """Members eligible on ``on``, plus those already paid; three queries.

    ``authorities`` narrows the candidates (the staff member's served authorities).
    """
    members = authorities if authorities is not None else Authority.objects.all()
    members = with_status(members.filter(operator_id=aid.operator_id), on).order_by("name")
    subscribed: set[int] | None = None
    if aid.required_module_id:
        subscribed = set(
            Subscription.objects.filter(_subscribed(aid.required_module_id, on)).values_list(
                "authority_id", flat=True
            )
        )
    payments = defaultdict(list)
    for payment in AidPayment.objects.filter(aid=aid).order_by("paid_on", "id"):
        payments[payment.authority_id].append(payment)
    rows = []
    open_on_date = aid.in_force(on)
    for authority in members:
        eligible = (
            open_on_date
            and authority.membership_status == MembershipStatus.MEMBER
            and aid.matches(authority)
            and (subscribed is None or authority.pk in subscribed)
        )
        if eligible or payments.get(authority.pk):
            rows.append(AidRow(authority, eligible, payments.get(authority.pk, [])))
    return rows
