"""Certificate expiry alerts: at D-90, D-30, D-7 and on the expiry day, each threshold once."""

import logging
from collections.abc import Collection
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from bouquet.core.choices import Role
from bouquet.core.models import Membership
from bouquet.pki.models import Certificate, ExpiryAlert

__all__ = ["THRESHOLDS", "run_expiry_alerts", "select_threshold", "send_expiry_alerts"]

logger = logging.getLogger(__name__)
THRESHOLDS = (90, 30, 7, 0)


def select_threshold(days_left: int, already_sent: Collection[int]) -> int | None:
    """The threshold to announce now, or None.

    The smallest threshold already reached wins, so a missed cron run catches up with one message
    instead of several; an expired certificate (negative ``days_left``) gets nothing more.
    """
    if days_left < 0:
        return None
    reached = [t for t in THRESHOLDS if days_left <= t]
    if not reached or min(reached) in already_sent:
        return None
    return min(reached)


def recipients(certificate: Certificate) -> list[str]:
    """The holders (active bound accounts) and the admins of the authorities they belong to."""
    holders = list(certificate.accounts())
    admins = Membership.objects.filter(
        authority__memberships__user__in=holders, authority__memberships__is_active=True,
        role=Role.ADMIN, is_active=True, user__is_active=True,
    ).values_list("user__email", flat=True)  # fmt: skip
    return sorted({u.email for u in holders} | set(admins))


def _send(certificate: Certificate, days_left: int, to: list[str]) -> None:
    context = {"certificate": certificate, "days_left": days_left}
    subject = render_to_string("pki/emails/expiry_alert_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("pki/emails/expiry_alert.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    message.attach_alternative(render_to_string("pki/emails/expiry_alert.html", context), "text/html")
    message.send()


def run_expiry_alerts(today: date | None = None) -> int:
    """Send the due alerts now; return how many certificates were announced."""
    today = today or timezone.localdate()
    sent = 0
    candidates = Certificate.objects.filter(users__is_active=True, not_after__date__gte=today).distinct()
    for certificate in candidates.prefetch_related("expiry_alerts"):
        days_left = (timezone.localtime(certificate.not_after).date() - today).days
        done = {a.threshold_days for a in certificate.expiry_alerts.all()}
        threshold = select_threshold(days_left, done)
        to = recipients(certificate) if threshold is not None else []
        if not to:
            continue
        try:
            # The unique row is the claim: a concurrent run sending the same alert fails here.
            with transaction.atomic():
                ExpiryAlert.objects.create(certificate=certificate, threshold_days=threshold)
                _send(certificate, days_left, to)
        except IntegrityError:
            continue
        sent += 1
        logger.info("expiry alert D-%s sent for certificate %s", threshold, certificate.fingerprint_sha256)
    return sent


@task()
def send_expiry_alerts() -> int:
    """Daily task (also ``bouquet pki alerts`` for cron)."""
    return run_expiry_alerts()
