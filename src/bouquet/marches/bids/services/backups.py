"""The register of backup copies ("copies de sauvegarde", art. R2132-11 CCP): received, opened for a
stated reason (only after the deadline, only if it arrived in time), or destroyed."""

from django.db import transaction

from bouquet.core.audit import Actor, record
from bouquet.marches.bids import clock
from bouquet.marches.bids.choices import BackupOpenReason, BackupState
from bouquet.marches.bids.errors import BidsError
from bouquet.marches.bids.models import BackupCopy
from bouquet.marches.bids.pdf.common import local
from bouquet.marches.bids.services.rights import require_buyer
from bouquet.marches.models import Consultation
from bouquet.marches.services.history import add_event

__all__ = ["destroy_backup_copy", "open_backup_copy", "register_backup_copy"]


def register_backup_copy(
    *,
    consultation: Consultation,
    actor: Actor,
    company_name: str,
    medium: str,
    received_at,
    company_siret: str = "",
    notes: str = "",
) -> BackupCopy:
    """Enter a sealed backup copy received by post or by hand."""
    require_buyer(actor, consultation.authority, write=True)
    if not company_name.strip() or not medium.strip():
        raise BidsError("Indiquez l'entreprise et le support de la copie.")
    if received_at > clock.now():
        raise BidsError("La date de réception ne peut pas être dans le futur.")
    with transaction.atomic():
        copy = BackupCopy.objects.create(
            authority_id=consultation.authority_id,
            consultation=consultation,
            company_name=company_name.strip()[:200],
            company_siret=company_siret.strip()[:14],
            medium=medium.strip()[:100],
            received_at=received_at,
            notes=notes.strip(),
            recorded_by=actor.user,
        )
        late = "" if copy.arrived_on_time else " (après la date limite)"
        add_event(
            consultation,
            "bids.backup_received",
            f"Copie de sauvegarde de {copy.company_name} reçue le {local(received_at)}{late} "
            f"({copy.medium}).",
            actor,
            backup=copy.pk,
        )
        record(
            actor=actor, action="marches_bids.backup.registered", authority=consultation.authority, obj=copy
        )
    return copy


def open_backup_copy(*, copy: BackupCopy, actor: Actor, reason: str, details: str = "") -> BackupCopy:
    """:raises BidsError: before the deadline, copy arrived late, not unopened, or unknown reason."""
    require_buyer(actor, copy.consultation.authority, write=True)
    now = clock.now()
    if reason not in BackupOpenReason.values:
        raise BidsError("Choisissez le motif d'ouverture de la copie de sauvegarde.")
    if not copy.consultation.deadline_passed(now):
        raise BidsError("Une copie de sauvegarde ne s'ouvre qu'après la date limite de remise des plis.")
    if not copy.arrived_on_time:
        raise BidsError("Cette copie est arrivée après la date limite : elle ne peut pas être ouverte.")
    return _change(
        copy,
        actor,
        BackupState.OPENED,
        now,
        open_reason=reason,
        open_details=details.strip(),
        opened_at=now,
        message=f"Copie de sauvegarde de {copy.company_name} ouverte : {BackupOpenReason(reason).label}.",
    )


def destroy_backup_copy(*, copy: BackupCopy, actor: Actor, details: str = "") -> BackupCopy:
    require_buyer(actor, copy.consultation.authority, write=True)
    now = clock.now()
    if copy.state == BackupState.DESTROYED:
        raise BidsError("Cette copie est déjà détruite.")
    return _change(
        copy,
        actor,
        BackupState.DESTROYED,
        now,
        destroyed_at=now,
        notes=(copy.notes + "\n" + details).strip() if details.strip() else copy.notes,
        message=f"Copie de sauvegarde de {copy.company_name} détruite.",
    )


def _change(copy: BackupCopy, actor: Actor, state: str, now, *, message: str, **fields) -> BackupCopy:
    before = copy.state
    allowed = {
        BackupState.OPENED: {BackupState.UNOPENED},
        BackupState.DESTROYED: {BackupState.UNOPENED, BackupState.OPENED},
    }
    if before not in allowed[state]:
        raise BidsError(f"Action impossible : la copie est « {BackupState(before).label} ».")
    with transaction.atomic():
        if not BackupCopy.objects.filter(pk=copy.pk, state=before).update(state=state, **fields):
            raise BidsError("La copie a changé d'état entre-temps ; rechargez la page.")
        copy.refresh_from_db()
        add_event(copy.consultation, f"bids.backup_{state}", message, actor, backup=copy.pk)
        record(
            actor=actor,
            action=f"marches_bids.backup.{state}",
            authority=copy.authority,
            obj=copy,
            details={"from": before, "to": state, "reason": fields.get("open_reason", "")},
        )
    return copy
