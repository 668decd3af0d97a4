"""What the support services share: who may act for an authority, who is staff, the slot policy."""

from django.conf import settings

from bouquet.core.audit import Actor
from bouquet.core.choices import OperatorRole, Role
from bouquet.core.models import Membership, OperatorStaff
from bouquet.support.errors import RightsError
from bouquet.support.rules import SlotPolicy, parse_window

__all__ = [
    "READ_ONLY_MESSAGE",
    "WRITER_ROLES",
    "actor",
    "active_membership",
    "require_staff",
    "require_writer",
    "slot_policy",
]

# Read-only accounts (elected officials who only consult) may read but not act for the authority.
WRITER_ROLES = frozenset({Role.ADMIN, Role.AGENT, Role.ARCHIVIST})
READ_ONLY_MESSAGE = (
    "Votre compte est en consultation seule : "
    "demandez à un agent de votre collectivité de le faire pour vous."
)


def actor(user) -> Actor:
    return Actor.of_user(user)


def active_membership(user, authority) -> Membership | None:
    return Membership.objects.filter(
        user=user, authority=authority, is_active=True, user__is_active=True
    ).first()


def require_writer(user, authority) -> Membership:
    """The user's membership of ``authority`` if it may act for it.

    :raises RightsError: no active membership there, or a read-only one.
    """
    membership = active_membership(user, authority)
    if membership is None:
        raise RightsError("Vous ne faites pas partie de cette collectivité.")
    if membership.role not in WRITER_ROLES:
        raise RightsError(READ_ONLY_MESSAGE)
    return membership


def require_staff(user, operator, roles=(OperatorRole.ADMIN, OperatorRole.SUPPORT)) -> OperatorStaff:
    """:raises RightsError: the user is not staff of ``operator`` with one of ``roles``."""
    staff = OperatorStaff.objects.filter(user=user, operator=operator, role__in=roles).first()
    if staff is None:
        if roles == (OperatorRole.ADMIN,):
            raise RightsError("Cette action est réservée aux administrateurs de l'opérateur.")
        raise RightsError("Cette action est réservée à l'équipe de l'opérateur.")
    return staff


def slot_policy() -> SlotPolicy:
    start, end = parse_window(settings.SUPPORT_TRAINING_AFTERNOON)
    return SlotPolicy(tuple(settings.SUPPORT_TRAINING_WEEKDAYS), start, end)
