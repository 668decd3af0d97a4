"""End a consultation without award: cancel it (sans suite) or declare it unsuccessful (infructueuse)."""

from django.db import transaction

from bouquet.marches.choices import Status
from bouquet.marches.errors import InvalidData
from bouquet.marches.models import Consultation
from bouquet.marches.notifications import notify_downloaders
from bouquet.marches.services.close_due import close_if_due
from bouquet.marches.services.common import actor_of, require_write
from bouquet.marches.workflow import Event, change_status

__all__ = ["cancel_consultation", "declare_unsuccessful"]


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidData(
            "Indiquez le motif : il figure dans l'historique et dans le message aux entreprises."
        )
    return reason


def cancel_consultation(*, consultation: Consultation, actor, reason: str) -> Consultation:
    """Déclaration sans suite; registered downloaders are told if it was published.

    :raises WorkflowError: already awarded or ended.
    """
    require_write(actor, consultation.authority)
    reason = _reason(reason)
    with transaction.atomic():
        was_public = consultation.status != Status.DRAFT
        change_status(
            consultation,
            Event.CANCEL,
            actor=actor_of(actor),
            message=f"Consultation annulée (déclarée sans suite) : {reason}",
            status_reason=reason,
        )
        if was_public:
            notify_downloaders(consultation, "cancelled", {"reason": reason})
    return consultation


def declare_unsuccessful(*, consultation: Consultation, actor, reason: str) -> Consultation:
    """Infructueuse (no bid, or none acceptable), after the deadline. It can then be relaunched.

    :raises WorkflowError: before the deadline, or already ended.
    """
    require_write(actor, consultation.authority)
    reason = _reason(reason)
    close_if_due(consultation)
    with transaction.atomic():
        change_status(
            consultation,
            Event.DECLARE_UNSUCCESSFUL,
            actor=actor_of(actor),
            message=f"Consultation déclarée infructueuse : {reason}",
            status_reason=reason,
        )
        notify_downloaders(consultation, "unsuccessful", {"reason": reason})
    return consultation
