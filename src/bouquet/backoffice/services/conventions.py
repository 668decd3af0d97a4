"""Conventions with the préfecture: create one (or an amendment), move its status, correct its details.

Three small use cases that share their checks; each is one transaction with its history row
(``ConventionEvent``) and its journal entry.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from bouquet.backoffice.choices import CONVENTION_TRANSITIONS, ConventionKind, ConventionStatus
from bouquet.backoffice.errors import BackofficeError
from bouquet.backoffice.models import Convention, ConventionEvent
from bouquet.core.audit import Actor, record

__all__ = ["change_convention_status", "create_convention", "update_convention"]

OPEN = (ConventionStatus.TO_PREPARE, ConventionStatus.SENT)


def create_convention(
    *,
    authority,
    module: str,
    actor: Actor,
    subject: str,
    kind: str = ConventionKind.CONVENTION,
    amends: Convention | None = None,
    reference: str = "",
    notes: str = "",
) -> Convention:
    """A new convention or amendment "to prepare".

    :raises BackofficeError: an amendment without a convention of the same authority and flow to
        amend, or one of the same kind is already being prepared.
    """
    if kind == ConventionKind.AMENDMENT:
        if amends is None or amends.authority_id != authority.pk or amends.module != module:
            raise BackofficeError(
                "Choisissez la convention que cet avenant modifie (même collectivité, même flux)."
            )
        if amends.kind != ConventionKind.CONVENTION:
            raise BackofficeError("Un avenant modifie une convention, pas un autre avenant.")
    else:
        amends = None
    if not subject.strip():
        raise BackofficeError("Indiquez l'objet de la convention.")
    with transaction.atomic():
        pending = Convention.objects.select_for_update().filter(
            authority=authority, module=module, kind=kind, status__in=OPEN
        )
        if pending.exists():
            raise BackofficeError(
                f"Un document de ce type ({ConventionKind(kind).label.lower()} {module}) est déjà en "
                "préparation pour cette collectivité : complétez-le plutôt."
            )
        convention = Convention.objects.create(
            authority=authority,
            module=module,
            kind=kind,
            amends=amends,
            subject=subject.strip(),
            reference=reference.strip(),
            notes=notes,
        )
        _event(convention, "", ConventionStatus.TO_PREPARE, timezone.localdate(), "Création", actor)
        record(
            actor=actor,
            action="backoffice.convention.create",
            authority=authority,
            obj=convention,
            details={
                "module": module,
                "kind": kind,
                "amends": amends.pk if amends else None,
                "subject": subject,
            },
        )
    return convention


def _event(
    convention: Convention, old: str, new: str, on: date, message: str, actor: Actor
) -> ConventionEvent:
    return ConventionEvent.objects.create(
        convention=convention,
        authority_id=convention.authority_id,
        from_status=old,
        to_status=new,
        on=on,
        message=message[:300],
        actor_label=actor.label[:300],
    )


def _check_status_dates(
    status: str, on: date, effective_from: date | None, effective_until: date | None
) -> None:
    if status != ConventionStatus.TO_PREPARE and on > timezone.localdate():
        raise BackofficeError("La date d'envoi ou de signature ne peut pas être dans le futur.")
    start = effective_from or on
    if effective_until is not None and effective_until < start:
        raise BackofficeError("La fin de validité doit suivre le début de validité.")


def change_convention_status(
    *,
    convention: Convention,
    status: str,
    on: date,
    actor: Actor,
    effective_from: date | None = None,
    effective_until: date | None = None,
    reference: str | None = None,
    message: str = "",
) -> Convention:
    """Move ``convention`` to ``status`` on date ``on`` (sent on, signed on…).

    Signing sets the validity: from ``effective_from`` (the signature date by default) until
    ``effective_until`` (open by default).

    :raises BackofficeError: not an allowed move (``choices.CONVENTION_TRANSITIONS``), a future
        sending or signature date, or reversed validity dates.
    """
    status = ConventionStatus(status)
    _check_status_dates(status, on, effective_from, effective_until)
    with transaction.atomic():
        convention = Convention.objects.select_for_update().get(pk=convention.pk)
        old = ConventionStatus(convention.status)
        if status not in CONVENTION_TRANSITIONS[old]:
            raise BackofficeError(f"Impossible de passer de « {old.label} » à « {status.label} ».")
        if status == ConventionStatus.SENT:
            convention.sent_on = on
        elif status == ConventionStatus.TO_PREPARE:
            convention.sent_on = None
        else:
            convention.signed_on = on
            convention.effective_from = effective_from or on
            convention.effective_until = effective_until
        if reference is not None and reference.strip():
            convention.reference = reference.strip()
        convention.status = status
        convention.save()
        _event(convention, old, status, on, message, actor)
        record(
            actor=actor,
            action="backoffice.convention.status",
            authority=convention.authority,
            obj=convention,
            details={
                "from": old.value,
                "to": status.value,
                "on": on,
                "effective_from": convention.effective_from,
                "effective_until": convention.effective_until,
                "message": message,
            },
        )
    return convention


def update_convention(
    *,
    convention: Convention,
    actor: Actor,
    subject: str,
    reference: str,
    notes: str,
    effective_until: date | None,
) -> Convention:
    """Correct the details of a convention; the end of validity only applies to a signed one.

    :raises BackofficeError: empty subject, an end date on an unsigned convention, or one before its start.
    """
    if not subject.strip():
        raise BackofficeError("Indiquez l'objet de la convention.")
    with transaction.atomic():
        convention = Convention.objects.select_for_update().get(pk=convention.pk)
        if effective_until is not None:
            if convention.status != ConventionStatus.SIGNED:
                raise BackofficeError("Seule une convention signée peut avoir une fin de validité.")
            if effective_until < convention.effective_from:
                raise BackofficeError("La fin de validité doit suivre le début de validité.")
        fields = ("subject", "reference", "notes", "effective_until")
        before = {name: getattr(convention, name) for name in fields}
        convention.subject, convention.reference, convention.notes = subject.strip(), reference.strip(), notes
        convention.effective_until = effective_until
        convention.save()
        after = {name: getattr(convention, name) for name in fields}
        record(
            actor=actor,
            action="backoffice.convention.update",
            authority=convention.authority,
            obj=convention,
            details={"before": before, "after": after},
        )
    return convention
