"""Staff keep a log of the phone assistance they give."""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from bouquet.core.audit import record
from bouquet.support.choices import CallOutcome, Theme
from bouquet.support.errors import RuleError
from bouquet.support.models import PhoneCall
from bouquet.support.services.common import actor, require_staff

__all__ = ["CallData", "MAX_MINUTES", "log_phone_call"]

MAX_MINUTES = 480


@dataclass(frozen=True)
class CallData:
    caller: str
    called_at: datetime
    theme: str
    subject: str
    duration_minutes: int
    outcome: str
    notes: str = ""


def _check(data: CallData) -> None:
    if not data.caller.strip() or not data.subject.strip():
        raise RuleError("Indiquez qui a appelé et l'objet de l'appel.")
    if not 1 <= data.duration_minutes <= MAX_MINUTES:
        raise RuleError(f"La durée d'un appel va de 1 à {MAX_MINUTES} minutes.")
    if data.called_at > timezone.now() + timedelta(minutes=5):
        raise RuleError("La date de l'appel est dans le futur.")
    if data.theme not in Theme.values or data.outcome not in CallOutcome.values:
        raise RuleError("Choisissez le thème et la suite donnée dans les listes.")


def log_phone_call(*, authority, user, data: CallData, request=None) -> PhoneCall:
    """:raises RightsError: not staff of the authority's operator. :raises RuleError: bad input."""
    require_staff(user, authority.operator)
    _check(data)
    if request is not None and request.authority_id != authority.pk:
        raise RuleError("Cette demande concerne une autre collectivité.")
    fields = {
        **asdict(data),
        "caller": data.caller.strip(),
        "subject": data.subject.strip(),
        "notes": data.notes.strip(),
    }
    with transaction.atomic():
        call = PhoneCall.objects.create(authority=authority, recorded_by=user, request=request, **fields)
        record(
            actor=actor(user),
            action="support.call.log",
            authority=authority,
            obj=call,
            details={
                "caller": call.caller,
                "subject": call.subject,
                "minutes": call.duration_minutes,
                "outcome": call.outcome,
            },
        )
    return call
