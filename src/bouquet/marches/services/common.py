"""What the procurement services share: rights, subscription, snapshots."""

from django.utils import timezone

from bouquet.core.audit import Actor
from bouquet.core.choices import Access, ModuleCode
from bouquet.core.models import Membership, Subscription
from bouquet.marches.errors import NotSubscribed, RightsError, WorkflowError
from bouquet.marches.models import Consultation

__all__ = [
    "NOT_SUBSCRIBED",
    "actor_of",
    "is_subscribed",
    "marches_access",
    "require_editable",
    "require_subscription",
    "require_write",
    "snapshot",
]

NOT_SUBSCRIBED = (
    "Votre collectivité n'est pas abonnée au service Marchés publics : vous pouvez préparer vos "
    "consultations, mais pas les publier. Pour vous abonner, contactez l'opérateur."
)
READ_ONLY = "Votre accès au service Marchés publics est en consultation seule."
NO_RIGHT = "Vous n'avez pas les droits nécessaires sur le service Marchés publics."


def actor_of(user) -> Actor:
    return user if isinstance(user, Actor) else Actor.of_user(user)


def marches_access(user, authority) -> str:
    """The user's access to MARCHES in ``authority``: ``none``, ``read`` or ``write``."""
    if user is None or not getattr(user, "is_active", False):
        return Access.NONE
    membership = (
        Membership.objects.filter(user=user, authority=authority, is_active=True)
        .prefetch_related("rights__module")
        .first()
    )
    right = membership.right(ModuleCode.MARCHES) if membership else None
    return right.access if right else Access.NONE


def require_write(user, authority) -> None:
    """:raises RightsError: the user may not act for ``authority`` in MARCHES."""
    access = marches_access(user, authority)
    if access == Access.WRITE:
        return
    raise RightsError(READ_ONLY if access == Access.READ else NO_RIGHT)


def is_subscribed(authority, on=None) -> bool:
    return (
        Subscription.objects.for_tenant(authority)
        .current(on or timezone.localdate())
        .filter(module__code=ModuleCode.MARCHES)
        .exists()
    )


def require_subscription(authority) -> None:
    """:raises NotSubscribed: no current MARCHES subscription."""
    if not is_subscribed(authority):
        raise NotSubscribed(NOT_SUBSCRIBED)


def require_editable(consultation: Consultation) -> None:
    """:raises WorkflowError: the consultation is no longer a draft."""
    if not consultation.is_editable:
        raise WorkflowError(
            "La consultation est publiée : elle ne se modifie plus librement. "
            "Utilisez « Publier une modification » pour que les entreprises en soient prévenues."
        )


def snapshot(consultation: Consultation) -> dict:
    """Key fields as published, stored with each notice version."""
    return {
        "reference": consultation.reference,
        "object": consultation.object,
        "procedure": consultation.procedure,
        "kind": consultation.kind,
        "estimated_amount": str(consultation.estimated_amount),
        "question_deadline": consultation.question_deadline.isoformat()
        if consultation.question_deadline
        else None,
        "bid_deadline": consultation.bid_deadline.isoformat() if consultation.bid_deadline else None,
        "lots": [
            {"number": lot.number, "object": lot.object, "cpv": lot.cpv} for lot in consultation.lots.all()
        ],
        "dce": [
            {"name": f.name, "version": f.version, "sha256": f.sha256, "size": f.size}
            for f in consultation.dce_files.filter(replaced_at__isnull=True)
        ],
    }
