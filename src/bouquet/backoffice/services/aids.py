"""Aids: staff define who may receive one (a dated rule), and record what was paid."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.forms.models import model_to_dict
from django.utils import timezone

from bouquet.backoffice.eligibility import eligibility_refusal
from bouquet.backoffice.errors import BackofficeError
from bouquet.backoffice.models import AidPayment, AidRule
from bouquet.backoffice.money import euros
from bouquet.backoffice.services.save_fee_rule import check_band_and_dates
from bouquet.core.audit import Actor, record
from bouquet.core.models import Authority

__all__ = ["AID_FIELDS", "record_aid_payment", "save_aid_rule"]

AID_FIELDS = (
    "name",
    "purpose",
    "amount",
    "kind",
    "min_population",
    "max_population",
    "required_module",
    "valid_from",
    "valid_until",
)


def save_aid_rule(*, operator, data: dict, actor: Actor, rule: AidRule | None = None) -> AidRule:
    """Create (``rule`` None) or change an aid of ``operator``.

    :raises BackofficeError: no name, amount not positive, empty band or reversed dates.
    """
    if not (data.get("name") or "").strip():
        raise BackofficeError("Donnez un nom à l'aide.")
    if Decimal(data["amount"]) <= 0:
        raise BackofficeError("Le montant de l'aide doit être positif.")
    check_band_and_dates(data)
    with transaction.atomic():
        before = model_to_dict(rule, fields=AID_FIELDS) if rule else None
        rule = rule or AidRule(operator=operator)
        for name in AID_FIELDS:
            value = data.get(name)
            if value is None and name in ("kind", "purpose"):
                value = ""
            if value is None and name == "min_population":
                value = 0
            setattr(rule, name, value)
        rule.save()
        record(
            actor=actor,
            action="backoffice.aid.update" if before else "backoffice.aid.create",
            obj=rule,
            details={"before": before, "after": model_to_dict(rule, fields=AID_FIELDS)},
        )
    return rule


def record_aid_payment(
    *,
    aid: AidRule,
    authority,
    amount: Decimal,
    paid_on: date,
    actor: Actor,
    reference: str = "",
    note: str = "",
) -> AidPayment:
    """Record that ``amount`` of ``aid`` was paid to ``authority`` on ``paid_on``.

    :raises BackofficeError: a future date, the member not eligible on that date, or the total
        paid would exceed the aid's amount.
    """
    if amount <= 0:
        raise BackofficeError("Le montant versé doit être positif.")
    if paid_on > timezone.localdate():
        raise BackofficeError("La date de versement ne peut pas être dans le futur.")
    refusal = eligibility_refusal(aid, authority, paid_on)
    if refusal:
        raise BackofficeError(refusal)
    with transaction.atomic():
        Authority.objects.select_for_update().filter(pk=authority.pk).first()  # no concurrent overpayment
        paid = AidPayment.objects.filter(aid=aid, authority=authority).aggregate(total=Sum("amount"))["total"]
        paid = paid or Decimal("0")
        if paid + amount > aid.amount:
            raise BackofficeError(
                f"Le total versé ({euros(paid + amount)}) dépasserait le montant de l'aide "
                f"({euros(aid.amount)}) ; déjà versé : {euros(paid)}."
            )
        payment = AidPayment.objects.create(
            aid=aid,
            authority=authority,
            amount=amount,
            paid_on=paid_on,
            reference=reference.strip(),
            note=note.strip(),
            recorded_by=actor.user,
        )
        record(
            actor=actor,
            action="backoffice.aid.payment",
            authority=authority,
            obj=payment,
            details={"aid": aid.pk, "amount": amount, "paid_on": paid_on, "reference": reference},
        )
    return payment
