"""A published modification (avis rectificatif): new notice version, DCE changes, new dates; every
registered downloader is told by e-mail."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bouquet.core.audit import record
from bouquet.marches.choices import EventKind, Status
from bouquet.marches.deadlines import check_deadlines
from bouquet.marches.errors import InvalidData, PublicationBlocked, PublicationWarnings, WorkflowError
from bouquet.marches.models import Consultation, DceFile, NoticeVersion
from bouquet.marches.notifications import notify_downloaders
from bouquet.marches.services.common import actor_of, require_write, snapshot
from bouquet.marches.services.history import add_event
from bouquet.marches.services.manage_dce import attach_stored
from bouquet.marches.storage import store_upload

__all__ = ["Modification", "modify_consultation"]


@dataclass(frozen=True)
class Modification:
    """What the buyer changes; ``None`` / empty means unchanged."""

    summary: str
    notice_text: str | None = None
    bid_deadline: object = None
    question_deadline: object = None
    uploads: tuple = ()
    withdrawn: tuple[int, ...] = ()  # ids of current DCE files to withdraw


def _dates(locked: Consultation, change: Modification) -> list[str]:
    changed = []
    for name in ("bid_deadline", "question_deadline"):
        value = getattr(change, name)
        if value is not None and value != getattr(locked, name):
            setattr(locked, name, value)
            changed.append(name)
    return changed


def _check_dates(locked: Consultation, confirm: bool) -> None:
    problems, warnings = check_deadlines(locked, locked.published_at)
    if locked.bid_deadline and locked.bid_deadline <= timezone.now():
        problems = ["La nouvelle date limite de remise des plis est déjà passée : choisissez-en une autre."]
    if problems:
        raise PublicationBlocked(problems)
    if warnings and not confirm:
        raise PublicationWarnings(warnings)


def modify_consultation(*, consultation: Consultation, actor, change: Modification, confirm_warnings=False):
    """Publish a modification of a published consultation before its deadline.

    :raises WorkflowError: not published, or deadline passed.
    :raises InvalidData: no summary or nothing changed. :raises FileRejected: a refused file.
    :raises PublicationBlocked / PublicationWarnings: as for publishing, about the new dates.
    :return: the new ``NoticeVersion``.
    """
    require_write(actor, consultation.authority)
    if not change.summary.strip():
        raise InvalidData("Résumez la modification : ce texte est envoyé aux entreprises inscrites.")
    stored = [store_upload(upload) for upload in change.uploads]
    now = timezone.now()
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if locked.status != Status.PUBLISHED or locked.deadline_passed(now):
            raise WorkflowError("Seule une consultation publiée, avant sa date limite, peut être modifiée.")
        changed = _dates(locked, change)
        if changed:
            _check_dates(locked, confirm_warnings)
        if change.notice_text is not None and change.notice_text.strip() != locked.notice_text.strip():
            locked.notice_text = change.notice_text
            changed.append("notice_text")
        files = [attach_stored(locked, s, actor, now=now) for s in stored]
        withdrawn = list(
            DceFile.objects.filter(consultation=locked, pk__in=change.withdrawn, replaced_at__isnull=True)
        )
        for dce_file in withdrawn:
            dce_file.replaced_at = now
            dce_file.save(update_fields=["replaced_at"])
        if not (changed or files or withdrawn):
            raise InvalidData("Aucun changement : modifiez l'avis, une date ou un document.")
        locked.version += 1
        locked.save()
        version = NoticeVersion.objects.create(
            consultation=locked,
            number=locked.version,
            text=locked.notice_text,
            change_summary=change.summary.strip(),
            snapshot=snapshot(locked),
            published_at=now,
            published_by=actor,
        )
        details = {
            "version": locked.version,
            "fields": changed,
            "files_added": [f"{f.name} v{f.version}" for f in files],
            "files_withdrawn": [f.name for f in withdrawn],
            "summary": version.change_summary,
        }
        add_event(
            locked, EventKind.MODIFIED, f"Modification publiée (version {locked.version}).", actor, **details
        )
        record(
            actor=actor_of(actor),
            action="marches.modify",
            authority=locked.authority,
            obj=locked,
            details=details,
        )
        version.notified_count = notify_downloaders(
            locked,
            "modification",
            {"version": version, "files": files, "withdrawn": withdrawn, "fields": changed},
        )
        version.save(update_fields=["notified_count"])
    consultation.refresh_from_db()
    return version
