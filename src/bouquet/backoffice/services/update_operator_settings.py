"""The operator's admins change what the documents say about the transmission device."""

from django.db import transaction
from django.forms.models import model_to_dict

from bouquet.backoffice.documents.kit import operator_settings
from bouquet.backoffice.models import OperatorSettings
from bouquet.core.audit import Actor, record

__all__ = ["SETTINGS_FIELDS", "update_operator_settings"]

SETTINGS_FIELDS = (
    "transmission_device",
    "homologation_reference",
    "homologation_date",
    "transmission_operator",
    "transmission_contract_date",
    "prefecture_name",
    "prefecture_address",
)


def update_operator_settings(*, operator, data: dict, actor: Actor) -> OperatorSettings:
    """Save every field of ``data`` (the form's cleaned data) and journal old and new values."""
    with transaction.atomic():
        current = operator_settings(operator)
        before = model_to_dict(current, fields=SETTINGS_FIELDS) if current.pk else None
        for name in SETTINGS_FIELDS:
            setattr(current, name, data[name])
        current.updated_by = actor.user
        current.save()
        record(
            actor=actor,
            action="backoffice.settings.update",
            obj=current,
            details={"before": before, "after": model_to_dict(current, fields=SETTINGS_FIELDS)},
        )
    return current
