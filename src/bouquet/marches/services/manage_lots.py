"""Lots of a draft consultation (once published, the lots are fixed: a new allotment is a new
consultation)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from bouquet.core.audit import record
from bouquet.marches.errors import InvalidData
from bouquet.marches.models import Consultation, Lot
from bouquet.marches.services.common import actor_of, require_editable, require_write
from bouquet.marches.services.history import add_event

__all__ = ["add_lot", "remove_lot", "update_lot"]

FIELDS = ("number", "object", "cpv", "estimated_amount")


def _check(lot: Lot) -> None:
    try:
        lot.full_clean(exclude=["consultation"], validate_unique=False)
    except ValidationError as exc:
        raise InvalidData(
            "Certaines informations du lot sont à corriger.",
            {key: [str(m) for m in messages] for key, messages in exc.message_dict.items()},
        ) from exc
    if Lot.objects.filter(consultation=lot.consultation, number=lot.number).exclude(pk=lot.pk).exists():
        raise InvalidData(
            f"Le lot n° {lot.number} existe déjà.", {"number": [f"Le lot n° {lot.number} existe déjà."]}
        )


def _locked(consultation: Consultation, actor) -> Consultation:
    require_write(actor, consultation.authority)
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require_editable(locked)
    return locked


def _journal(actor, consultation, action: str, lot: Lot, message: str) -> None:
    add_event(consultation, f"lot_{action}", message, actor, lot=lot.number)
    record(
        actor=actor_of(actor),
        action=f"marches.lot_{action}",
        authority=consultation.authority,
        obj=consultation,
        details={"lot": lot.number, "object": lot.object},
    )


def add_lot(*, consultation: Consultation, actor, data: dict) -> Lot:
    """:raises InvalidData: wrong values or number taken. :raises WorkflowError: not a draft."""
    with transaction.atomic():
        locked = _locked(consultation, actor)
        if data.get("number") is None:
            data = {
                **data,
                "number": (locked.lots.order_by("-number").values_list("number", flat=True).first() or 0) + 1,
            }
        lot = Lot(consultation=locked, **{k: data.get(k) for k in FIELDS})
        _check(lot)
        lot.save()
        _journal(actor, locked, "added", lot, f"Lot n° {lot.number} ajouté : {lot.object}.")
    return lot


def update_lot(*, lot: Lot, actor, data: dict) -> Lot:
    with transaction.atomic():
        locked = _locked(lot.consultation, actor)
        for name in FIELDS:
            if name in data and data[name] is not None:
                setattr(lot, name, data[name])
        lot.consultation = locked
        _check(lot)
        lot.save()
        _journal(actor, locked, "updated", lot, f"Lot n° {lot.number} modifié.")
    return lot


def remove_lot(*, lot: Lot, actor) -> None:
    with transaction.atomic():
        locked = _locked(lot.consultation, actor)
        _journal(actor, locked, "removed", lot, f"Lot n° {lot.number} supprimé.")
        lot.delete()
