"""Relaunch an unsuccessful consultation as a new draft in one click, copying its documents."""

from django.db import transaction

from bouquet.core.audit import record
from bouquet.marches.choices import EventKind, Status
from bouquet.marches.errors import WorkflowError
from bouquet.marches.models import Consultation, DceFile, Lot
from bouquet.marches.services.common import actor_of, require_write
from bouquet.marches.services.edit_consultation import EDITABLE_FIELDS
from bouquet.marches.services.history import add_event

__all__ = ["relaunch_consultation"]

#: Dates belong to the old procedure: the buyer sets new ones before publishing.
NOT_COPIED = {"reference", "question_deadline", "bid_deadline"}


def _new_reference(consultation: Consultation) -> str:
    taken = set(Consultation.objects.for_tenant(consultation.authority).values_list("reference", flat=True))
    for n in range(1, 100):
        suffix = f"-R{n}"
        candidate = consultation.reference[: 16 - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
    raise WorkflowError("Impossible de trouver une référence libre pour la relance.")  # pragma: no cover


def relaunch_consultation(*, consultation: Consultation, actor) -> Consultation:
    """A new draft with the same fields, lots and current DCE documents (same stored bytes).

    :raises WorkflowError: not unsuccessful, or already relaunched (a double click creates one).
    """
    require_write(actor, consultation.authority)
    with transaction.atomic():
        old = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if old.status != Status.UNSUCCESSFUL:
            raise WorkflowError("Seule une consultation infructueuse peut être relancée.")
        existing = old.relaunches.first()
        if existing is not None:
            raise WorkflowError(f"Cette consultation a déjà été relancée (référence {existing.reference}).")
        fields = {name: getattr(old, name) for name in EDITABLE_FIELDS if name not in NOT_COPIED}
        new = Consultation.objects.create(
            authority=old.authority,
            created_by=actor,
            relaunched_from=old,
            reference=_new_reference(old),
            **fields,
        )
        Lot.objects.bulk_create(
            Lot(
                consultation=new,
                number=lot.number,
                object=lot.object,
                cpv=lot.cpv,
                estimated_amount=lot.estimated_amount,
            )
            for lot in old.lots.all()
        )
        for f in old.dce_files.filter(replaced_at__isnull=True):
            DceFile.objects.create(
                consultation=new, name=f.name, version=1, sha256=f.sha256, size=f.size, mime_type=f.mime_type,
                format_label=f.format_label, path=f.path, description=f.description, uploaded_by=actor,
            )  # fmt: skip
        add_event(
            new,
            EventKind.CREATED,
            f"Relance de la consultation infructueuse {old.reference}.",
            actor,
            source=old.pk,
        )
        add_event(
            old, EventKind.RELAUNCHED, f"Relancée sous la référence {new.reference}.", actor, new=new.pk
        )
        record(
            actor=actor_of(actor),
            action="marches.relaunch",
            authority=old.authority,
            obj=new,
            details={"from": old.reference, "to": new.reference},
        )
    return new
