"""Staff schedule, change and cancel training sessions (usual slots: Tuesday and Friday afternoons)."""

from dataclasses import asdict, dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bouquet.core.audit import record
from bouquet.support.choices import RegistrationStatus, SessionMode, SessionStatus
from bouquet.support.errors import RuleError
from bouquet.support.invitations import ics_attachment
from bouquet.support.models import Registration, TrainingSession
from bouquet.support.notifications import after_commit
from bouquet.support.rules import slot_problems
from bouquet.support.services.common import actor, require_staff, slot_policy
from bouquet.support.services.registrations import change_status, confirmed_count, promote_waiting

__all__ = ["SessionData", "cancel_session", "create_session", "update_session"]

CONFIRM_HINT = "Cochez « Confirmer ce créneau inhabituel » pour le maintenir."


@dataclass(frozen=True)
class SessionData:
    """What staff type for a session; ``starts_at`` and ``ends_at`` are aware datetimes."""

    title: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    mode: str = SessionMode.ONLINE
    location: str = ""
    description: str = ""


def _check(data: SessionData, confirm_unusual_slot: bool) -> bool:
    """:return: whether the slot is outside the usual ones (confirmed). :raises RuleError:"""
    if not data.title.strip():
        raise RuleError("Donnez un intitulé à la session.")
    if data.ends_at <= data.starts_at:
        raise RuleError("La fin de la session doit venir après son début.")
    if data.starts_at <= timezone.now():
        raise RuleError("La date de la session est déjà passée.")
    ceiling = settings.SUPPORT_TRAINING_MAX_CAPACITY
    if not 1 <= data.capacity <= ceiling:
        raise RuleError(f"Une session compte de 1 à {ceiling} participants.")
    if data.mode not in SessionMode.values:
        raise RuleError("Modalité inconnue.")
    start, end = timezone.localtime(data.starts_at), timezone.localtime(data.ends_at)
    problems = slot_problems(start, end, slot_policy())
    if problems and not confirm_unusual_slot:
        usual = slot_policy().describe()
        raise RuleError(" ".join([*problems, f"Les formations ont lieu {usual}.", CONFIRM_HINT]))
    return bool(problems)


def _fields(data: SessionData) -> dict:
    fields = asdict(data)
    fields["title"] = data.title.strip()
    fields["location"] = data.location.strip()
    fields["description"] = data.description.strip()
    return fields


def create_session(
    *, operator, user, data: SessionData, confirm_unusual_slot: bool = False
) -> TrainingSession:
    """Schedule a future session.

    :raises RightsError: not staff. :raises RuleError: bad times or capacity, unconfirmed unusual slot.
    """
    require_staff(user, operator)
    unusual = _check(data, confirm_unusual_slot)
    with transaction.atomic():
        session = TrainingSession.objects.create(
            operator=operator, created_by=user, outside_usual_slot=unusual, **_fields(data)
        )
        record(actor=actor(user), action="support.training.create", obj=session, details=_details(session))
    return session


def update_session(
    *, session, user, data: SessionData, confirm_unusual_slot: bool = False
) -> TrainingSession:
    """Change a future session; more seats promote the waiting list, fewer than those taken are refused."""
    require_staff(user, session.operator)
    unusual = _check(data, confirm_unusual_slot)
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.is_cancelled or session.has_started:
            raise RuleError("Cette session est annulée ou a déjà commencé : elle ne peut plus être modifiée.")
        taken = confirmed_count(session)
        if data.capacity < taken:
            raise RuleError(
                f"{taken} personnes sont déjà inscrites : la session ne peut pas compter moins de places. "
                "Annulez d'abord des inscriptions."
            )
        before = _details(session)
        for name, value in _fields(data).items():
            setattr(session, name, value)
        session.outside_usual_slot = unusual
        session.sequence += 1
        session.save()
        record(
            actor=actor(user),
            action="support.training.update",
            obj=session,
            details={"before": before, "after": _details(session)},
        )
        promote_waiting(session, user)
    return session


def cancel_session(*, session, user) -> TrainingSession:
    """Cancel a future session: every registration is cancelled and its participant told."""
    require_staff(user, session.operator)
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.is_cancelled:
            raise RuleError("Cette session est déjà annulée.")
        if session.has_started:
            raise RuleError("Cette session a déjà commencé : elle ne peut plus être annulée.")
        session.status = SessionStatus.CANCELLED
        session.sequence += 1
        session.save(update_fields=["status", "sequence", "updated_at"])
        record(actor=actor(user), action="support.training.cancel", obj=session, details=_details(session))
        invitation = ics_attachment(session)  # STATUS:CANCELLED, so that calendars drop the event
        active = Registration.objects.filter(session=session, status__in=["confirmed", "waiting"])
        for registration in active.select_related("participant", "authority"):
            change_status(registration, RegistrationStatus.CANCELLED, user, "Session annulée par l'opérateur")
            after_commit(
                "session_cancelled",
                [registration.participant.email],
                {"session": session, "registration": registration},
                [invitation],
            )
    return session


def _details(session: TrainingSession) -> dict:
    return {
        "title": session.title,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "capacity": session.capacity,
        "mode": session.mode,
        "outside_usual_slot": session.outside_usual_slot,
    }
