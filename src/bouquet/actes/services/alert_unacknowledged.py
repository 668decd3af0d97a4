"""Tell operator staff about acts transmitted and still not acknowledged after a few hours, once each."""

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction as db
from django.template.loader import render_to_string
from django.utils import timezone

from bouquet.actes.models import Transaction
from bouquet.core.audit import Actor, record
from bouquet.core.models import OperatorStaff

__all__ = ["alert_unacknowledged"]

ACTOR = Actor.system("alertes ACTES")


def _send(operator, transactions: list[Transaction], hours: int) -> None:
    to = sorted(
        set(
            OperatorStaff.objects.filter(operator=operator, user__is_active=True).values_list(
                "user__email", flat=True
            )
        )
    )
    if not to:
        return
    context = {"transactions": transactions, "hours": hours, "operator": operator}
    message = EmailMultiAlternatives(
        subject=render_to_string("actes/emails/unacknowledged_subject.txt", context).strip(),
        body=render_to_string("actes/emails/unacknowledged.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    message.attach_alternative(render_to_string("actes/emails/unacknowledged.html", context), "text/html")
    message.send()


def alert_unacknowledged(*, now: datetime | None = None) -> list[Transaction]:
    """E-mail each operator's staff the acts "Transmis" for over ``ACTES_ACK_ALERT_HOURS`` hours.

    Each act is claimed by a conditional update of ``ack_alert_sent_at`` before the mail is built,
    so two runs never announce it twice (at worst a crash loses one alert; it is not retried).
    """
    now = now or timezone.now()
    hours = settings.ACTES_ACK_ALERT_HOURS
    by_operator = defaultdict(list)
    for transaction in Transaction.objects.unacknowledged(now, hours).select_related("authority__operator"):
        with db.atomic():
            claimed = Transaction.objects.filter(pk=transaction.pk, ack_alert_sent_at__isnull=True).update(
                ack_alert_sent_at=now
            )
            if claimed:
                record(
                    actor=ACTOR,
                    action="actes.ack_alert",
                    authority=transaction.authority,
                    obj=transaction,
                    details={"hours": hours},
                )
                by_operator[transaction.authority.operator].append(transaction)
    for operator, transactions in by_operator.items():
        _send(operator, transactions, hours)
    return [t for items in by_operator.values() for t in items]
