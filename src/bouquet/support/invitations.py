"""The calendar invitation of a training session, from the model to ``ics.build_calendar``."""

from django.conf import settings
from django.utils import timezone

from bouquet.support.choices import SessionMode
from bouquet.support.ics import CalendarEvent, build_calendar
from bouquet.support.models import TrainingSession

__all__ = ["ICS_MIMETYPE", "ics_attachment", "session_calendar"]

ICS_MIMETYPE = "text/calendar; charset=utf-8"


def _location(session: TrainingSession) -> str:
    if session.mode == SessionMode.ONLINE:
        return session.location or settings.SUPPORT_TRAINING_DEFAULT_LINK or "En ligne"
    return session.location


def session_calendar(session: TrainingSession) -> bytes:
    operator = session.operator
    description = session.description.strip()
    if session.mode == SessionMode.ONLINE:
        description = f"{description}\n\nFormation en ligne : le lien de connexion est dans le lieu.".strip()
    event = CalendarEvent(
        uid=f"{session.uid}@{settings.SUPPORT_CALENDAR_DOMAIN}",
        sequence=session.sequence,
        start=session.starts_at,
        end=session.ends_at,
        summary=f"Formation : {session.title}",
        description=description,
        location=_location(session),
        stamp=timezone.now(),
        organizer_name=operator.name,
        organizer_email=operator.email,
        cancelled=session.is_cancelled,
    )
    return build_calendar(event)


def ics_attachment(session: TrainingSession) -> tuple[str, bytes, str]:
    return (f"formation-{session.pk}.ics", session_calendar(session), ICS_MIMETYPE)
