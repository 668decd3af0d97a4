"""E-mails to an authority's users about their acts: AR received, anomaly, préfecture letter,
cancellation acknowledged. The workflow calls :func:`on_status_change` and :func:`on_create`;
mails leave only once the database transaction commits."""

from bouquet.actes.models.notifications import NotificationEvent
from bouquet.actes.notifications.hooks import (
    batched,
    event_for_change,
    event_for_create,
    on_create,
    on_status_change,
)
from bouquet.actes.notifications.notify import notify, recipients

__all__ = [
    "NotificationEvent",
    "batched",
    "event_for_change",
    "event_for_create",
    "notify",
    "on_create",
    "on_status_change",
    "recipients",
]
