"""A user's choice of the ACTES e-mails they receive for one authority."""

from django.db import transaction as db

from bouquet.actes.models.notifications import NotificationEvent, NotificationPreference
from bouquet.core.audit import Actor, record

__all__ = ["notification_choices", "set_notification_preferences"]


def notification_choices(*, user, authority) -> dict[str, bool]:
    """Every event with whether the user receives it there (on unless turned off)."""
    off = set(
        NotificationPreference.objects.filter(user=user, authority=authority, enabled=False).values_list(
            "event", flat=True
        )
    )
    return {event: event not in off for event in NotificationEvent.values}


def set_notification_preferences(*, user, authority, enabled: set[str]) -> dict[str, bool]:
    """Store one row per event (an explicit choice survives new defaults); journal what changed.

    :param enabled: the events to receive; every other known event is turned off.
    """
    before = notification_choices(user=user, authority=authority)
    after = {event: event in enabled for event in NotificationEvent.values}
    with db.atomic():
        for event, on in after.items():
            NotificationPreference.objects.update_or_create(
                user=user, authority=authority, event=event, defaults={"enabled": on}
            )
        changed = {event: on for event, on in after.items() if before[event] != on}
        if changed:
            record(
                actor=Actor.of_user(user), action="actes.notifications.update", authority=authority,
                details={"changed": changed},
            )  # fmt: skip
    return after
