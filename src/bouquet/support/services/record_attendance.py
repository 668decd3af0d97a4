"""Staff note who attended a session (present / absent), once it has started."""

from django.db import transaction

from bouquet.core.audit import record
from bouquet.support.choices import Attendance, RegistrationStatus
from bouquet.support.errors import RuleError
from bouquet.support.models import Registration, RegistrationEvent, TrainingSession
from bouquet.support.services.common import actor, require_staff

__all__ = ["record_attendance"]


def record_attendance(*, session: TrainingSession, user, marks: dict[int, str]) -> int:
    """Set the attendance of confirmed registrations (registration id → "present", "absent" or "").

    :return: how many registrations changed.
    :raises RuleError: the session has not started, is cancelled, or an id is not one of its seats.
    """
    require_staff(user, session.operator)
    if session.is_cancelled:
        raise RuleError("Cette session est annulée.")
    if not session.has_started:
        raise RuleError("Les présences se notent une fois la session commencée.")
    allowed = {"", *Attendance.values}
    if any(value not in allowed for value in marks.values()):
        raise RuleError("Valeur de présence inconnue.")
    with transaction.atomic():
        seats = {
            r.pk: r
            for r in Registration.objects.select_for_update(of=("self",))
            .filter(session=session, status=RegistrationStatus.CONFIRMED)
            .select_related("authority", "participant")
        }
        unknown = set(marks) - set(seats)
        if unknown:
            raise RuleError(
                "Certaines personnes ne sont pas inscrites à cette session ; rien n'a été enregistré."
            )
        changed = 0
        for pk, value in marks.items():
            registration = seats[pk]
            if registration.attendance == value:
                continue
            before, registration.attendance = registration.attendance, value
            registration.save(update_fields=["attendance"])
            who = actor(user)
            label = registration.get_attendance_display() if value else "non renseignée"
            RegistrationEvent.objects.create(
                registration=registration,
                status=registration.status,
                actor_label=who.label,
                message=f"Présence : {label.lower()}",
            )
            record(
                actor=who,
                action="support.training.attendance",
                authority=registration.authority,
                obj=registration,
                details={
                    "session": session.pk,
                    "participant": registration.participant.email,
                    "from": before,
                    "to": value,
                },
            )
            changed += 1
    return changed
