"""Add a line to the fee grid, or correct one (its dates, band or amount)."""

from decimal import Decimal

from django.db import transaction
from django.forms.models import model_to_dict

from bouquet.backoffice.errors import BackofficeError
from bouquet.backoffice.models import FeeRule
from bouquet.core.audit import Actor, record

__all__ = ["FIELDS", "save_fee_rule"]

FIELDS = (
    "module",
    "kind",
    "min_population",
    "max_population",
    "amount",
    "valid_from",
    "valid_until",
    "label",
)


def check_band_and_dates(data: dict) -> None:
    """Shared by fee and aid rules. :raises BackofficeError: on an empty band or reversed dates."""
    low, high = data.get("min_population") or 0, data.get("max_population")
    if high is not None and high <= low:
        raise BackofficeError("Le plafond de population doit être supérieur au plancher.")
    if data.get("valid_until") and data["valid_until"] < data["valid_from"]:
        raise BackofficeError("La date de fin doit suivre la date de début.")


def save_fee_rule(*, operator, data: dict, actor: Actor, rule: FeeRule | None = None) -> FeeRule:
    """Create (``rule`` None) or update a grid line of ``operator``.

    :raises BackofficeError: negative amount, empty band, reversed dates, or a line with the same
        service, target and start date already exists.
    """
    if Decimal(data["amount"]) < 0:
        raise BackofficeError("La cotisation ne peut pas être négative.")
    check_band_and_dates(data)
    with transaction.atomic():
        same = FeeRule.objects.filter(
            operator=operator,
            module=data["module"],
            kind=data.get("kind") or "",
            min_population=data.get("min_population") or 0,
            max_population=data.get("max_population"),
            valid_from=data["valid_from"],
        )
        if rule is not None:
            same = same.exclude(pk=rule.pk)
        if same.exists():
            raise BackofficeError(
                "Une ligne existe déjà pour ce service, cette cible et cette date de début : "
                "modifiez-la plutôt."
            )
        before = model_to_dict(rule, fields=FIELDS) if rule else None
        rule = rule or FeeRule(operator=operator)
        for name in FIELDS:
            default = "" if name in ("kind", "label") else (0 if name == "min_population" else None)
            setattr(rule, name, data.get(name) if data.get(name) is not None else default)
        rule.save()
        record(
            actor=actor,
            action="backoffice.fee_rule.update" if before else "backoffice.fee_rule.create",
            obj=rule,
            details={"before": before, "after": model_to_dict(rule, fields=FIELDS)},
        )
    return rule
