"""Tell operator staff, once per transaction, about PES waiting for transmission too long (S²LOW: 48 h)."""

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction as db
from django.utils import timezone

from bouquet.core.audit import Actor, record
from bouquet.core.models import OperatorStaff
from bouquet.helios.models import Transaction

__all__ = ["alert_stuck"]

ACTOR = Actor.system("alertes HELIOS")


def _body(transactions: list[Transaction], hours: int) -> str:
    lines = [
        "Bonjour,",
        "",
        f"Ces fichiers PES attendent leur transmission à la DGFiP depuis plus de {hours} heures :",
        "",
    ]
    for t in transactions:
        why = f" — {t.last_error}" if t.last_error else ""
        lines.append(f"- n° {t.pk}, {t.authority.name} ({t.authority.siren}), NomFic {t.nom_fic}{why}")
    lines += [
        "",
        "Vérifiez les fenêtres de transmission, le site destinataire et la liaison avec la DGFiP.",
        "",
    ]
    return "\n".join(lines)


def alert_stuck(*, now: datetime | None = None) -> list[Transaction]:
    """E-mail each operator's staff the transactions in status 2 for over ``HELIOS_STUCK_ALERT_HOURS``.

    Each is claimed by a conditional update of ``stuck_alert_sent_at`` first: never announced twice.
    """
    now = now or timezone.now()
    hours = settings.HELIOS_STUCK_ALERT_HOURS
    by_operator = defaultdict(list)
    stuck = Transaction.objects.stuck(now, hours).filter(stuck_alert_sent_at__isnull=True)
    for transaction in stuck.select_related("authority__operator"):
        with db.atomic():
            claimed = Transaction.objects.filter(pk=transaction.pk, stuck_alert_sent_at__isnull=True).update(
                stuck_alert_sent_at=now
            )
            if claimed:
                record(actor=ACTOR, action="helios.stuck_alert", authority=transaction.authority,
                       obj=transaction, details={"hours": hours})  # fmt: skip
                by_operator[transaction.authority.operator].append(transaction)
    for operator, transactions in by_operator.items():
        to = sorted(
            set(
                OperatorStaff.objects.filter(operator=operator, user__is_active=True).values_list(
                    "user__email", flat=True
                )
            )
        )
        if to:
            EmailMessage(
                subject=f"[Hélios] {len(transactions)} transaction(s) bloquée(s) depuis plus de {hours} h",
                body=_body(transactions, hours),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=to,
            ).send()
    return [t for items in by_operator.values() for t in items]
