"""Close published consultations whose bid deadline has passed (published → closed).

Nothing depends on this status for correctness (``Consultation.is_open_for_bids`` reads the
deadline); it keeps lists and the history right. Called before any after-deadline action, when
buyers open their pages, and by ``close_due_consultations`` (a periodic task).
"""

from django.utils import timezone

from bouquet.core.audit import Actor
from bouquet.marches.choices import Status
from bouquet.marches.errors import WorkflowError
from bouquet.marches.models import Consultation
from bouquet.marches.workflow import Event, change_status

__all__ = ["close_due_consultations", "close_if_due"]

SYSTEM = Actor.system("clôture automatique")


def close_if_due(consultation: Consultation, now=None) -> bool:
    """:return: whether this call closed it."""
    now = now or timezone.now()
    if consultation.status != Status.PUBLISHED or not consultation.deadline_passed(now):
        return False
    try:
        change_status(
            consultation,
            Event.CLOSE,
            actor=SYSTEM,
            message="Date limite de remise des plis atteinte : consultation clôturée.",
            now=now,
        )
    except WorkflowError:  # someone else closed it first
        consultation.refresh_from_db()
        return False
    return True


def close_due_consultations(now=None) -> int:
    """Close every consultation past its deadline; :return: how many were closed."""
    now = now or timezone.now()
    return sum(
        close_if_due(c, now) for c in Consultation.objects.due_for_closing(now).select_related("authority")
    )
