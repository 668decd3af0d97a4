"""Ask the préfecture for its classification (7-1); the 7-2 or 7-3 answer closes the request."""

from django.db import transaction as db

from bouquet.actes import workflow
from bouquet.actes.choices import Status, TransactionType
from bouquet.actes.models import Classification, Transaction
from bouquet.actes.services import common
from bouquet.core.audit import Actor

__all__ = ["request_classification"]


def request_classification(*, authority, actor: Actor, force: bool = False) -> Transaction:
    """Create a type-7 transaction (status 1) with the date of the version in use.

    :param force: omit ``DateClassification`` so that the préfecture sends the full classification.
    :raises RightsError: no TT right in ``authority``.
    """
    common.require_transmit(actor, authority)
    current = Classification.current_for(authority)
    with db.atomic():
        return workflow.create_transaction(
            actor=actor,
            status=Status.POSTE,
            message="Dépôt initial",
            authority=authority,
            type=TransactionType.CLASSIFICATION,
            subject="Demande de classification",
            classification_date=None if force or current is None else current.version,
            created_by=actor.user,
        )
