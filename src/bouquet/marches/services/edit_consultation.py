"""Create a consultation (draft) and edit it freely while it is a draft."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bouquet.core.audit import record
from bouquet.marches.choices import EventKind
from bouquet.marches.errors import InvalidData
from bouquet.marches.models import Consultation
from bouquet.marches.services.common import actor_of, require_editable, require_write
from bouquet.marches.services.history import add_event

__all__ = ["EDITABLE_FIELDS", "create_consultation", "update_consultation"]

#: What the buyer may set; ``authority`` is never among them (a consultation stays with its buyer).
EDITABLE_FIELDS = (
    "buyer_siret",
    "reference",
    "object",
    "procedure",
    "kind",
    "cpv_main",
    "cpv_additional",
    "execution_place",
    "execution_place_code",
    "execution_place_code_type",
    "estimated_amount",
    "duration_months",
    "notice_text",
    "question_deadline",
    "bid_deadline",
    "is_test",
)
DUPLICATE = "Une autre consultation de votre collectivité porte déjà la référence « {} »."


def _apply(consultation: Consultation, data: dict) -> list[str]:
    changed = []
    for name in EDITABLE_FIELDS:
        if name in data and getattr(consultation, name) != data[name]:
            setattr(consultation, name, data[name])
            changed.append(name)
    return changed


def _validate(consultation: Consultation) -> None:
    errors: dict[str, list[str]] = {}
    try:
        consultation.full_clean(exclude=["authority", "created_by", "relaunched_from"], validate_unique=False)
    except ValidationError as exc:
        errors = {key: [str(m) for m in messages] for key, messages in exc.message_dict.items()}
    siren = consultation.authority.siren
    if consultation.buyer_siret and not consultation.buyer_siret.startswith(siren):
        errors.setdefault("buyer_siret", []).append(
            f"Le SIRET de l'acheteur doit commencer par le SIREN de votre collectivité ({siren})."
        )
    duplicate = (
        Consultation.objects.for_tenant(consultation.authority)
        .filter(reference=consultation.reference)
        .exclude(pk=consultation.pk)
        .exists()
    )
    if duplicate:
        errors.setdefault("reference", []).append(DUPLICATE.format(consultation.reference))
    if errors:
        raise InvalidData("Certaines informations sont à corriger.", errors)


def _save(consultation: Consultation) -> None:
    try:
        with transaction.atomic():
            consultation.save()
    except IntegrityError as exc:  # a concurrent request took the reference
        raise InvalidData(DUPLICATE.format(consultation.reference), {"reference": [DUPLICATE]}) from exc


def create_consultation(*, authority, actor, data: dict) -> Consultation:
    """A new draft consultation of ``authority``.

    :raises RightsError: no write access to MARCHES. :raises InvalidData: wrong values.
    """
    require_write(actor, authority)
    consultation = Consultation(authority=authority, created_by=actor)
    _apply(consultation, data)
    _validate(consultation)
    with transaction.atomic():
        _save(consultation)
        add_event(consultation, EventKind.CREATED, "Consultation créée (brouillon).", actor)
        record(
            actor=actor_of(actor),
            action="marches.create",
            authority=authority,
            obj=consultation,
            details={"reference": consultation.reference, "object": consultation.object},
        )
    return consultation


def update_consultation(*, consultation: Consultation, actor, data: dict) -> list[str]:
    """Change a draft; :return: the names of the fields that changed.

    :raises WorkflowError: no longer a draft. :raises InvalidData: wrong values.
    """
    require_write(actor, consultation.authority)
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        require_editable(locked)
        changed = _apply(locked, data)
        if not changed:
            return []
        _validate(locked)
        _save(locked)
        add_event(locked, EventKind.UPDATED, "Brouillon modifié.", actor, fields=changed)
        record(
            actor=actor_of(actor),
            action="marches.update",
            authority=locked.authority,
            obj=locked,
            details={"fields": changed},
        )
    for name in changed:
        setattr(consultation, name, getattr(locked, name))
    return changed
