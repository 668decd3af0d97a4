"""Mark a préfecture document read (S²LOW ``document_prefecture_mark_as_read``)."""

from django.db import transaction as db

from bouquet.actes.errors import ActesServiceError, RightsError
from bouquet.actes.models import Transaction
from bouquet.core.audit import Actor, record

__all__ = ["mark_document_read"]

RECEIVED_TYPES = (2, 3, 4, 5)


def mark_document_read(*, transaction: Transaction, actor: Actor) -> Transaction:
    """Set ``is_read`` on a received letter or referral (idempotent).

    :raises RightsError: the actor is not a member of the document's authority.
    :raises ActesServiceError: the transaction is not a document received from the préfecture.
    """
    if (
        actor.user is None
        or not Transaction.objects.visible_to(actor.user).filter(pk=transaction.pk).exists()
    ):
        raise RightsError("Ce document n'appartient pas à l'une de vos collectivités.")
    if transaction.type not in RECEIVED_TYPES or transaction.response_kind is not None:
        raise ActesServiceError("Seuls les documents reçus de la préfecture se marquent comme lus.")
    with db.atomic():
        if Transaction.objects.filter(pk=transaction.pk, is_read=False).update(is_read=True):
            record(
                actor=actor, action="actes.document_read", authority=transaction.authority, obj=transaction
            )
    transaction.is_read = True
    return transaction
