"""Cancel the transmission of an acknowledged act: a type-6 transaction carrying a 6-1."""

from django.db import transaction as db

from bouquet.actes import workflow
from bouquet.actes.choices import Status, TransactionType
from bouquet.actes.errors import WorkflowError
from bouquet.actes.models import Transaction
from bouquet.actes.services import common
from bouquet.core.audit import Actor

__all__ = ["cancel_act"]

PENDING = [Status.POSTE, Status.EN_ATTENTE_TRANSMISSION, Status.TRANSMIS]


def cancel_act(*, act: Transaction, actor: Actor) -> Transaction:
    """Create the cancellation (status 1, sent by the workers); the act turns "Annulé" on the 6-2.

    :raises RightsError: no TT right in the act's authority.
    :raises WorkflowError: the act is not acknowledged, or a cancellation is already under way.
    """
    common.require_transmit(actor, act.authority)
    with db.atomic():
        act = Transaction.objects.select_for_update().get(pk=act.pk)
        if act.type != TransactionType.ACTE or act.status != Status.ACQUITTEMENT_RECU:
            raise WorkflowError("Seul un acte dont l'accusé de réception a été reçu peut être annulé.")
        if act.children.filter(type=TransactionType.ANNULATION, status__in=PENDING).exists():
            raise WorkflowError("Une annulation de cet acte est déjà en cours.")
        return workflow.create_transaction(
            actor=actor,
            status=Status.POSTE,
            message="Dépôt initial",
            authority=act.authority,
            type=TransactionType.ANNULATION,
            nature=act.nature,
            number=act.number,
            subject=f"Annulation de l'acte {act.number}"[:500],
            decision_date=act.decision_date,
            classification=act.classification,
            id_acte=act.id_acte,
            related=act,
            created_by=actor.user,
        )
