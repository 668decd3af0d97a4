"""The consultation's state machine.

Every status change goes through :func:`change_status`: a conditional UPDATE (two requests or
workers never both apply it), the history row and the audit journal entry, in one transaction.
The bids app moves consultations to ``opened``/``awarded``/``unsuccessful`` through this function
too (events ``OPEN``, ``AWARD``, ``DECLARE_UNSUCCESSFUL``).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from bouquet.core.audit import Actor, record
from bouquet.marches.choices import EventKind
from bouquet.marches.choices import Status as S
from bouquet.marches.errors import WorkflowError
from bouquet.marches.models import Consultation
from bouquet.marches.services.history import add_event

__all__ = ["TABLE", "Event", "change_status", "target"]


class Event(StrEnum):
    PUBLISH = "publish"  # draft → published
    CLOSE = "close"  # published → closed, once the bid deadline has passed
    OPEN = "open"  # closed → opened (the bids app, after the deadline)
    AWARD = "award"  # opened → awarded (the bids app)
    DECLARE_UNSUCCESSFUL = "unsuccessful"  # closed/opened → unsuccessful (no bid, or none acceptable)
    CANCEL = "cancel"  # anything before the award → cancelled (déclaration sans suite)


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    target: str


TABLE: dict[Event, Rule] = {
    Event.PUBLISH: Rule(frozenset({S.DRAFT}), S.PUBLISHED),
    Event.CLOSE: Rule(frozenset({S.PUBLISHED}), S.CLOSED),
    Event.OPEN: Rule(frozenset({S.CLOSED}), S.OPENED),
    Event.AWARD: Rule(frozenset({S.OPENED}), S.AWARDED),
    Event.DECLARE_UNSUCCESSFUL: Rule(frozenset({S.CLOSED, S.OPENED}), S.UNSUCCESSFUL),
    Event.CANCEL: Rule(frozenset({S.DRAFT, S.PUBLISHED, S.CLOSED, S.OPENED}), S.CANCELLED),
}


def target(consultation: Consultation, event: Event) -> str:
    """The status ``event`` leads to; :raises WorkflowError: not allowed from the current status."""
    rule = TABLE[event]
    if consultation.status not in rule.sources:
        raise WorkflowError(
            f"Action impossible : la consultation est « {S(consultation.status).label} » ; "
            f"elle ne peut pas passer à « {S(rule.target).label} »."
        )
    return rule.target


def change_status(
    consultation: Consultation, event: Event, *, actor: Actor, message: str, now=None, **fields
) -> Consultation:
    """Apply ``event`` with extra ``fields``: status, history row, journal entry, all or nothing.

    :raises WorkflowError: not allowed now, or someone else changed the status first.
    """
    to = target(consultation, event)
    now = now or timezone.now()
    before = consultation.status
    with transaction.atomic():
        changed = Consultation.objects.filter(pk=consultation.pk, status=before).update(
            status=to, status_changed_at=now, updated_at=now, **fields
        )
        if not changed:
            raise WorkflowError("La consultation a changé d'état entre-temps ; rechargez la page.")
        consultation.status, consultation.status_changed_at = to, now
        for name, value in fields.items():
            setattr(consultation, name, value)
        add_event(
            consultation,
            EventKind.STATUS if event not in _KINDS else _KINDS[event],
            message,
            actor,
            before=before,
            after=to,
        )
        record(
            actor=actor,
            action=f"marches.{event}",
            authority=consultation.authority,
            obj=consultation,
            details={"from": before, "to": to, "message": message, "reference": consultation.reference},
        )
    return consultation


_KINDS = {
    Event.PUBLISH: EventKind.PUBLISHED,
    Event.CLOSE: EventKind.CLOSED,
    Event.CANCEL: EventKind.CANCELLED,
    Event.DECLARE_UNSUCCESSFUL: EventKind.UNSUCCESSFUL,
    Event.OPEN: "opened",
    Event.AWARD: "awarded",
}
