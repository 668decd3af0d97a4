"""Template tags for the two panels the procurement pages include (public and buyer consultation pages)."""

from django import template

from bouquet.marches.bids import clock
from bouquet.marches.bids.models import AwardNotice, Deposit, Envelope
from bouquet.marches.bids.services.deposit_start import accepts_deposits
from bouquet.marches.bids.services.opening import counting_deposits
from bouquet.marches.choices import Status

register = template.Library()


@register.simple_tag
def public_bid_actions(consultation) -> dict:
    """What the public page shows: whether deposits are received, and the award notice."""
    if consultation is None:
        return {}
    now = clock.now()
    receiving = accepts_deposits(consultation)
    late = not consultation.is_test and consultation.deadline_passed(now)
    return {
        "accepts": receiving and not late,
        "late_only": receiving and late,
        "deadline": consultation.bid_deadline,
        "notice": AwardNotice.objects.filter(consultation=consultation).first(),
    }


@register.simple_tag
def buyer_bid_actions(consultation) -> dict:
    """Counts only before the deadline; late and unopened counts after it."""
    if consultation is None:
        return {}
    now = clock.now()
    deposits = Deposit.objects.filter(consultation=consultation).received().filter(received_at__lte=now)
    passed = consultation.deadline_passed(now)
    data = {
        "published": consultation.status != Status.DRAFT,
        "deadline_passed": passed,
        "received": deposits.count(),
    }
    if passed:
        counting = [d.pk for d in counting_deposits(consultation)]
        data["late"] = deposits.filter(is_late=True).count()
        data["unopened"] = Envelope.objects.filter(deposit_id__in=counting, opened_at__isnull=True).exists()
    return data
