"""Agents register for a session (themselves or a colleague), cancel, and the waiting list moves up.

The session row is locked for every change of its registrations, so that two people taking the
last seat, or a cancellation and a registration, are serialised: the seat count read is the one
written against. A seat freed promotes the first person waiting in the same transaction.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from bouquet.core.audit import record
from bouquet.support.choices import RegistrationStatus
from bouquet.support.errors import RuleError
from bouquet.support.invitations import ics_attachment
from bouquet.support.models import Registration, RegistrationEvent, TrainingSession
from bouquet.support.notifications import after_commit
from bouquet.support.services.common import active_membership, actor, require_staff, require_writer

__all__ = [
    "cancel_registration",
    "change_status",
    "confirmed_count",
    "promote_waiting",
    "register_participant",
    "waiting_position",
]

ACTIONS = {
    RegistrationStatus.CONFIRMED: "support.training.register",
    RegistrationStatus.WAITING: "support.training.waitlist",
    RegistrationStatus.CANCELLED: "support.training.unregister",
}


def confirmed_count(session: TrainingSession) -> int:
    return session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def waiting_position(registration: Registration) -> int | None:
    """1 for the next person to get a seat; None when not waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = Registration.objects.filter(session_id=registration.session_id, status=RegistrationStatus.WAITING)
    earlier = ahead.filter(created_at__lt=registration.created_at) | ahead.filter(
        created_at=registration.created_at, pk__lt=registration.pk
    )
    return earlier.count() + 1


def change_status(registration: Registration, status: str, user, message: str = "", action: str = "") -> None:
    """Set the status with its history row and journal entry (inside the caller's transaction)."""
    before = registration.status
    registration.status = status
    now = timezone.now()
    fields = ["status"]
    if status == RegistrationStatus.CANCELLED:
        registration.cancelled_at = now
        fields.append("cancelled_at")
    if before == RegistrationStatus.WAITING and status == RegistrationStatus.CONFIRMED:
        registration.promoted_at = now
        fields.append("promoted_at")
    registration.save(update_fields=fields)
    who = actor(user)
    RegistrationEvent.objects.create(
        registration=registration, status=status, actor_label=who.label, message=message
    )
    record(
        actor=who,
        action=action or ACTIONS[status],
        authority=registration.authority,
        obj=registration,
        details={
            "session": registration.session_id,
            "participant": registration.participant.email,
            "from": before,
            "to": status,
            "message": message,
        },
    )


def _tell(registration: Registration, template: str) -> None:
    session = registration.session
    attachments = [ics_attachment(session)] if registration.status == RegistrationStatus.CONFIRMED else []
    context = {
        "session": session,
        "registration": registration,
        "position": waiting_position(registration),
    }
    after_commit(template, [registration.participant.email], context, attachments)


def register_participant(*, session: TrainingSession, authority, participant, user) -> Registration:
    """Give ``participant`` (``user`` or a colleague in ``authority``) a seat, or a place on the waiting list.

    :raises RightsError: ``user`` may not act for ``authority``.
    :raises RuleError: session closed, colleague not of the authority, already registered.
    """
    require_writer(user, authority)
    if authority.operator_id != session.operator_id:
        raise RuleError("Cette session n'est pas proposée à votre collectivité.")
    if participant.pk != user.pk and active_membership(participant, authority) is None:
        raise RuleError("Cette personne ne fait pas partie de votre collectivité.")
    try:
        with transaction.atomic():
            session = TrainingSession.objects.select_for_update().get(pk=session.pk)
            if not session.is_open_for_registration:
                raise RuleError("Les inscriptions à cette session sont closes (session annulée ou passée).")
            if session.registrations.filter(
                participant=participant, status__in=["confirmed", "waiting"]
            ).exists():
                raise RuleError(f"{participant.full_name} est déjà inscrit(e) à cette session.")
            full = confirmed_count(session) >= session.capacity
            registration = Registration.objects.create(
                session=session,
                authority=authority,
                participant=participant,
                registered_by=user,
                status=RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED,
            )
            message = "Inscrit par un collègue" if participant.pk != user.pk else ""
            who = actor(user)
            RegistrationEvent.objects.create(
                registration=registration, status=registration.status, actor_label=who.label, message=message
            )
            record(
                actor=who,
                action=ACTIONS[registration.status],
                authority=authority,
                obj=registration,
                details={
                    "session": session.pk,
                    "participant": participant.email,
                    "status": registration.status,
                },
            )
            _tell(registration, "registration_confirmed" if not full else "registration_waiting")
    except IntegrityError:
        raise RuleError(f"{participant.full_name} est déjà inscrit(e) à cette session.") from None
    return registration


def cancel_registration(*, registration: Registration, user, by_staff: bool = False) -> Registration:
    """Cancel a seat or waiting place before the session; a freed seat goes to the first person waiting.

    :raises RightsError: ``user`` may not act for the registration's authority (or is not staff).
    :raises RuleError: already cancelled, or the session has started.
    """
    if by_staff:
        require_staff(user, registration.session.operator)
    else:
        require_writer(user, registration.authority)
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=registration.session_id)
        registration = Registration.objects.select_related("participant", "authority").get(pk=registration.pk)
        registration.session = session
        if not registration.is_active:
            raise RuleError("Cette inscription est déjà annulée.")
        if session.has_started:
            raise RuleError("La session a commencé : l'inscription ne peut plus être annulée.")
        message = "Annulée par l'opérateur" if by_staff else ""
        change_status(registration, RegistrationStatus.CANCELLED, user, message)
        if registration.participant_id != user.pk:
            after_commit(
                "registration_cancelled",
                [registration.participant.email],
                {"session": session, "registration": registration},
            )
        promote_waiting(session, user)
    return registration


def promote_waiting(session: TrainingSession, user) -> list[Registration]:
    """Give free seats to the people waiting, oldest first; each is e-mailed with the invitation.

    Call it inside the transaction that freed the seats, with the session row locked.
    """
    if session.is_cancelled or session.has_started:
        return []
    free = session.capacity - confirmed_count(session)
    if free <= 0:
        return []
    waiting = (
        session.registrations.filter(status=RegistrationStatus.WAITING)
        .select_related("participant", "authority")
        .order_by("created_at", "id")[:free]
    )
    promoted = []
    for registration in waiting:
        registration.session = session
        change_status(
            registration,
            RegistrationStatus.CONFIRMED,
            user,
            "Une place s'est libérée",
            action="support.training.promote",
        )
        _tell(registration, "registration_promoted")
        promoted.append(registration)
    return promoted
