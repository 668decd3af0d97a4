"""DCE documents: added and removed freely on a draft; once published, changed only through a
published modification (``modify_consultation``), which versions them."""

from django.db import transaction
from django.utils import timezone

from bouquet.core.audit import record
from bouquet.marches.choices import EventKind
from bouquet.marches.errors import WorkflowError
from bouquet.marches.models import Consultation, DceFile
from bouquet.marches.services.common import actor_of, require_editable, require_write
from bouquet.marches.services.history import add_event
from bouquet.marches.storage import Stored, store_upload

__all__ = ["add_dce_file", "attach_stored", "remove_dce_file"]


def attach_stored(
    consultation: Consultation, stored: Stored, actor, description: str = "", now=None
) -> DceFile:
    """A new current version of the document named ``stored.name`` (the previous one is kept,
    marked replaced). Call inside a transaction holding the consultation's row lock."""
    now = now or timezone.now()
    previous = (
        DceFile.objects.filter(consultation=consultation, name=stored.name).order_by("-version").first()
    )
    if previous is not None and previous.replaced_at is None:
        previous.replaced_at = now
        previous.save(update_fields=["replaced_at"])
    return DceFile.objects.create(
        consultation=consultation,
        name=stored.name,
        version=(previous.version + 1) if previous else 1,
        sha256=stored.sha256,
        size=stored.size,
        mime_type=stored.sniffed.mime_type,
        format_label=stored.sniffed.label,
        path=stored.path,
        description=description[:300],
        uploaded_by=actor,
        uploaded_at=now,
    )


def add_dce_file(*, consultation: Consultation, actor, upload, description: str = "") -> DceFile:
    """Check, store and attach one document to a draft.

    :raises FileRejected: the file is refused (nothing stored). :raises WorkflowError: published.
    """
    require_write(actor, consultation.authority)
    require_editable(consultation)
    stored = store_upload(upload)
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        require_editable(locked)
        dce_file = attach_stored(locked, stored, actor, description)
        add_event(
            locked, EventKind.DCE_ADDED, f"Document ajouté au DCE : {dce_file.name}.", actor,
            name=dce_file.name, version=dce_file.version, sha256=dce_file.sha256, size=dce_file.size,
        )  # fmt: skip
        record(
            actor=actor_of(actor),
            action="marches.dce_add",
            authority=locked.authority,
            obj=locked,
            details={"name": dce_file.name, "sha256": dce_file.sha256, "size": dce_file.size},
        )
    return dce_file


def remove_dce_file(*, dce_file: DceFile, actor) -> None:
    """Remove a document from a draft (never downloaded: the draft was never public)."""
    consultation = dce_file.consultation
    require_write(actor, consultation.authority)
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        require_editable(locked)
        if dce_file.downloads.exists():  # pragma: no cover - drafts are never downloadable
            raise WorkflowError("Ce document a déjà été téléchargé : il ne peut plus être supprimé.")
        add_event(locked, EventKind.DCE_REMOVED, f"Document retiré du DCE : {dce_file.name}.", actor)
        record(
            actor=actor_of(actor),
            action="marches.dce_remove",
            authority=locked.authority,
            obj=locked,
            details={"name": dce_file.name, "sha256": dce_file.sha256},
        )
        dce_file.delete()
