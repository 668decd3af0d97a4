"""Award per lot, rejection letters with the standstill period, notification of the winner, and
the award notice."""

from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction

from bouquet.core.audit import Actor, record
from bouquet.marches import workflow
from bouquet.marches.bids import clock
from bouquet.marches.bids.choices import AwardOutcome, EnvelopeKind, MessageKind
from bouquet.marches.bids.errors import BidsError
from bouquet.marches.bids.models import Award, AwardNotice, Deposit, Envelope, Message
from bouquet.marches.bids.pdf.common import PARIS, euros, local
from bouquet.marches.bids.rules import standstill_for
from bouquet.marches.bids.services.messaging import Attachment, send_to_company
from bouquet.marches.bids.services.notification_receipt import notification_received
from bouquet.marches.bids.services.opening import counting_deposits
from bouquet.marches.bids.services.rights import require_buyer
from bouquet.marches.choices import Procedure, Status
from bouquet.marches.models import Consultation, Lot
from bouquet.marches.services.history import add_event

__all__ = [
    "award_notice_text",
    "bidders_for",
    "decide",
    "notify_winner",
    "publish_award_notice",
    "record_receipt",
]


def bidders_for(consultation: Consultation, lot: Lot | None) -> list[Deposit]:
    """Counting deposits with an opened offer for ``lot`` (or for the single contract)."""
    deposits = counting_deposits(consultation)
    offers = Envelope.objects.filter(
        deposit__in=deposits, kind=EnvelopeKind.OFFER, lot=lot, opened_at__isnull=False
    ).values_list("deposit_id", flat=True)
    return [d for d in deposits if d.pk in set(offers)]


def _check_decision(consultation, lot, outcome, deposit, amount_ht, reasons, bidders) -> None:
    if consultation.status != Status.OPENED:
        raise BidsError("L'attribution se fait après l'ouverture des plis.")
    if lot is not None and lot.consultation_id != consultation.pk:
        raise BidsError("Ce lot n'appartient pas à cette consultation.")
    if lot is None and consultation.lots.exists():
        raise BidsError("Cette consultation est allotie : attribuez chaque lot.")
    if Award.objects.filter(consultation=consultation, lot=lot).exists():
        raise BidsError("Une décision a déjà été prise pour ce lot.")
    if not reasons.strip():
        raise BidsError("Indiquez les motifs de la décision : ils figurent dans les lettres aux entreprises.")
    if outcome == AwardOutcome.AWARDED:
        if deposit is None or deposit.pk not in {d.pk for d in bidders}:
            raise BidsError("Choisissez une offre ouverte et déposée dans les délais pour ce lot.")
        if amount_ht is None or amount_ht <= Decimal("0"):
            raise BidsError("Indiquez le montant du marché (€ HT).")


def decide(
    *,
    consultation: Consultation,
    lot: Lot | None,
    actor: Actor,
    outcome: str,
    reasons: str,
    deposit: Deposit | None = None,
    amount_ht: Decimal | None = None,
) -> Award:
    """Award a lot to one offer (rejection letters to the others) or declare it unsuccessful (letters
    to all its bidders). When every lot is decided, the consultation turns awarded or unsuccessful.

    :raises RightsError: not an agent with the MARCHES write right.
    :raises BidsError: not opened yet, already decided, no such offer, missing amount or reasons.
    """
    require_buyer(actor, consultation.authority, write=True)
    consultation = Consultation.objects.select_related("authority").get(pk=consultation.pk)
    bidders = bidders_for(consultation, lot)
    _check_decision(consultation, lot, outcome, deposit, amount_ht, reasons, bidders)
    now = clock.now()
    standstill = standstill_for(consultation.procedure, now, bidders=len(bidders))
    awarded = outcome == AwardOutcome.AWARDED
    with transaction.atomic():
        award = Award.objects.create(
            authority_id=consultation.authority_id,
            consultation=consultation,
            lot=lot,
            outcome=outcome,
            deposit=deposit if awarded else None,
            company=deposit.company if awarded else None,
            amount_ht=amount_ht if awarded else None,
            reasons=reasons.strip(),
            decided_at=now,
            decided_by=actor.user,
            standstill_days=standstill.days if awarded else None,
            standstill_until=_start_of(standstill.until) if awarded and standstill.until else None,
        )
        what = (
            f"attribué à {deposit.company.name} pour {euros(amount_ht)} HT"
            if awarded
            else "déclaré infructueux"
        )
        add_event(consultation, "bids.award", f"{award.lot_label} : {what}.", actor, award=award.pk)
        record(
            actor=actor,
            action=f"marches_bids.award.{outcome}",
            authority=consultation.authority,
            obj=award,
            details={
                "lot": lot.number if lot else None,
                "deposit": deposit.pk if awarded else None,
                "amount_ht": amount_ht if awarded else None,
                "standstill_until": standstill.until,
            },
        )
        for other in bidders:
            if awarded and other.pk == deposit.pk:
                continue
            send_to_company(
                consultation=consultation,
                company=other.company,
                actor=actor,
                kind=MessageKind.REJECTION,
                subject=f"{consultation.reference} — {award.lot_label} : votre offre n'est pas retenue",
                body=_rejection_text(award, standstill.explanation),
                award=award,
            )
        _close_if_complete(consultation, actor, now)
    return award


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=PARIS)


def _rejection_text(award: Award, standstill: str) -> str:
    lines = ["Madame, Monsieur,", ""]
    if award.outcome == AwardOutcome.AWARDED:
        lines += [
            f"Nous avons le regret de vous informer que votre offre pour « {award.lot_label} » "
            "de la consultation "
            f"{award.consultation.reference} ({award.consultation.object}) n'a pas été retenue.",
            "",
            f"Le marché est attribué à {award.company.name} (SIRET {award.company.siret}) "
            f"pour un montant de {euros(award.amount_ht)} HT.",
        ]
    else:
        lines += [
            f"Nous vous informons que « {award.lot_label} » de la consultation "
            f"{award.consultation.reference} "
            f"({award.consultation.object}) est déclaré infructueux."
        ]
    lines += ["", "Motifs de la décision :", award.reasons, ""]
    if award.outcome == AwardOutcome.AWARDED:
        lines += [standstill, ""]
        lines += [
            "Vous pouvez demander les caractéristiques et avantages relatifs de l'offre retenue ; un "
            "référé précontractuel peut être introduit devant le tribunal administratif avant la signature "
            "du marché.",
            "",
        ]
    lines += [
        "Nous vous remercions de l'intérêt que vous avez porté à cette consultation.",
        "",
        award.consultation.authority.name,
    ]
    return "\n".join(lines)


def _close_if_complete(consultation: Consultation, actor: Actor, now) -> None:
    lots = list(consultation.lots.all()) or [None]
    awards = list(Award.objects.filter(consultation=consultation))
    if len(awards) < len(lots):
        return
    if any(a.outcome == AwardOutcome.AWARDED for a in awards):
        workflow.change_status(
            consultation,
            workflow.Event.AWARD,
            actor=actor,
            now=now,
            message="Tous les lots ont fait l'objet d'une décision : consultation attribuée.",
        )
    else:
        workflow.change_status(
            consultation,
            workflow.Event.DECLARE_UNSUCCESSFUL,
            actor=actor,
            now=now,
            message="Tous les lots sont infructueux.",
        )


def notify_winner(*, award: Award, actor: Actor, body: str, attachment: Attachment | None = None) -> Message:
    """Send the signed contract to the winner through the platform; its reading is the proof of receipt.

    :raises BidsError: not awarded, already notified, or the standstill period is still running.
    """
    require_buyer(actor, award.consultation.authority, write=True)
    now = clock.now()
    if award.outcome != AwardOutcome.AWARDED:
        raise BidsError("Seul un lot attribué est notifié.")
    if award.notified_at is not None:
        raise BidsError("Ce marché a déjà été notifié.")
    if award.standstill_until and now < award.standstill_until:
        raise BidsError(
            f"Le délai de suspension court jusqu'au {award.standstill_until.astimezone(PARIS):%d/%m/%Y} : "
            "le marché ne peut être signé et notifié qu'à partir de cette date."
        )
    with transaction.atomic():
        message = send_to_company(
            consultation=award.consultation,
            company=award.company,
            actor=actor,
            kind=MessageKind.NOTIFICATION,
            subject=f"{award.consultation.reference} — {award.lot_label} : notification du marché",
            body=body.strip() or "Veuillez trouver ci-joint le marché signé qui vous est notifié.",
            attachment=attachment,
            award=award,
        )
        Award.objects.filter(pk=award.pk).update(notified_at=now)
        award.notified_at = now
        record(
            actor=actor,
            action="marches_bids.award.notified",
            authority=award.authority,
            obj=award,
            details={"message": message.pk, "digest": message.digest},
        )
    return message


def record_receipt(*, award: Award, actor: Actor, received_at) -> bool:
    """The buyer records a receipt proven otherwise (registered letter…)."""
    require_buyer(actor, award.consultation.authority, write=True)
    if award.notified_at is None:
        raise BidsError("Notifiez d'abord le marché.")
    if received_at > clock.now() or received_at < award.notified_at:
        raise BidsError("La date de réception doit être entre l'envoi de la notification et aujourd'hui.")
    return notification_received(award=award, at=received_at, actor=actor)


def award_notice_text(consultation: Consultation) -> str:
    lines = [
        "AVIS D'ATTRIBUTION",
        "",
        f"Acheteur : {consultation.authority.name} (SIRET {consultation.buyer_siret})",
        f"Consultation : {consultation.reference} — {consultation.object}",
        f"Procédure : {Procedure(consultation.procedure).label}",
        "",
    ]
    received = (
        Deposit.objects.filter(consultation=consultation).on_time().values("company").distinct().count()
    )
    for award in Award.objects.filter(consultation=consultation).select_related("lot", "company"):
        if award.outcome == AwardOutcome.AWARDED:
            lines.append(
                f"{award.lot_label} : attribué le {local(award.decided_at, seconds=False)} à "
                f"{award.company.name} (SIRET {award.company.siret}), {euros(award.amount_ht)} HT."
            )
        else:
            lines.append(f"{award.lot_label} : infructueux.")
    lines += [
        "",
        f"Nombre d'entreprises ayant remis une offre dans les délais : {received}.",
        "",
        "Voies de recours : tribunal administratif territorialement compétent (référé contractuel, "
        "recours en contestation de validité du contrat dans un délai de deux mois à compter de la "
        "publication du présent avis).",
    ]
    return "\n".join(lines)


def publish_award_notice(*, consultation: Consultation, actor: Actor, text: str = "") -> AwardNotice:
    require_buyer(actor, consultation.authority, write=True)
    consultation = Consultation.objects.select_related("authority").get(pk=consultation.pk)
    if consultation.status not in {Status.AWARDED, Status.UNSUCCESSFUL}:
        raise BidsError("L'avis d'attribution se publie une fois tous les lots décidés.")
    if AwardNotice.objects.filter(consultation=consultation).exists():
        raise BidsError("L'avis d'attribution est déjà publié.")
    with transaction.atomic():
        notice = AwardNotice.objects.create(
            authority_id=consultation.authority_id,
            consultation=consultation,
            text=text.strip() or award_notice_text(consultation),
            published_at=clock.now(),
            published_by=actor.user,
        )
        add_event(consultation, "bids.award_notice", "Avis d'attribution publié.", actor, notice=notice.pk)
        record(
            actor=actor,
            action="marches_bids.award_notice.published",
            authority=consultation.authority,
            obj=notice,
        )
    return notice
