"""Publish a draft: the checks (thresholds, minimum time limits, deadlines) and the publication."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bouquet.core.audit import record
from bouquet.marches.deadlines import check_deadlines
from bouquet.marches.errors import PublicationBlocked, PublicationWarnings
from bouquet.marches.models import Consultation, NoticeVersion
from bouquet.marches.services.common import (
    actor_of,
    require_editable,
    require_subscription,
    require_write,
    snapshot,
)
from bouquet.marches.thresholds import assess, euros
from bouquet.marches.workflow import Event, change_status

__all__ = ["PublicationCheck", "check_publication", "publish_consultation"]


@dataclass
class PublicationCheck:
    """``problems`` block publication; ``warnings`` need the buyer's confirmation; ``notes`` inform."""

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def check_publication(consultation: Consultation, now=None) -> PublicationCheck:
    now = now or timezone.now()
    check = PublicationCheck()
    if not consultation.notice_text.strip():
        check.problems.append("Rédigez le texte de l'avis : c'est ce que les entreprises liront.")
    problems, warnings = check_deadlines(consultation, now)
    check.problems += problems
    check.warnings += warnings
    amount = consultation.estimated_amount or Decimal(0)
    verdict = assess(consultation.kind, amount, consultation.procedure, timezone.localtime(now).date())
    check.warnings += verdict.warnings
    check.notes += verdict.notes
    lots = list(consultation.lots.all())
    lots_total = sum((lot.estimated_amount or Decimal(0)) for lot in lots)
    if lots_total > amount:
        check.warnings.append(
            f"La somme des montants des lots ({euros(lots_total)} HT) dépasse le montant estimé "
            f"de la consultation ({euros(amount)} HT)."
        )
    if len(lots) == 1:
        check.warnings.append("Une consultation allotie compte au moins deux lots : supprimez le lot unique.")
    has_dce = consultation.dce_files.filter(replaced_at__isnull=True).exists()
    if not has_dce and amount >= verdict.thresholds.dce_on_profile:
        check.warnings.append(
            f"À partir de {euros(verdict.thresholds.dce_on_profile)} HT, le DCE doit être mis à disposition "
            "sur le profil d'acheteur : aucun document n'est joint."
        )
    return check


def publish_consultation(*, consultation: Consultation, actor, confirm_warnings: bool = False, now=None):
    """Publish a draft: status, publication date, notice version 1, history and journal.

    :raises NotSubscribed: the authority has no current MARCHES subscription.
    :raises PublicationBlocked: something must be fixed first.
    :raises PublicationWarnings: warnings not confirmed (nothing changed).
    """
    require_write(actor, consultation.authority)
    require_subscription(consultation.authority)
    require_editable(consultation)
    now = now or timezone.now()
    check = check_publication(consultation, now)
    if check.problems:
        raise PublicationBlocked(check.problems)
    if check.warnings and not confirm_warnings:
        raise PublicationWarnings(check.warnings)
    with transaction.atomic():
        message = "Consultation publiée."
        if check.warnings:
            message += " Avertissements confirmés par l'acheteur : " + " ".join(check.warnings)
        change_status(
            consultation,
            Event.PUBLISH,
            actor=actor_of(actor),
            message=message,
            now=now,
            published_at=now,
            version=1,
        )
        NoticeVersion.objects.create(
            consultation=consultation,
            number=1,
            text=consultation.notice_text,
            change_summary="Publication initiale.",
            snapshot=snapshot(consultation),
            published_at=now,
            published_by=actor,
        )
        if check.warnings:
            record(
                actor=actor_of(actor),
                action="marches.publish_warnings_confirmed",
                authority=consultation.authority,
                obj=consultation,
                details={"warnings": check.warnings},
            )
    return consultation
