"""Post a prepared transaction (17 → 1): the TT agent's order to transmit, with an RGS** certificate."""

from bouquet.actes import workflow
from bouquet.actes.models import Transaction
from bouquet.actes.services import common
from bouquet.core.audit import Actor

__all__ = ["post_act"]


def post_act(*, transaction: Transaction, actor: Actor, rgs_level: str) -> Transaction:
    """Move ``transaction`` from "En attente d'être postée" to "Posté".

    :param rgs_level: RGS level of the certificate the agent authenticated with (``""``, ``RGS*``…).
    :raises RightsError: no TT right in the transaction's authority, or certificate below
        ``PKI_TRANSMISSION_REQUIRED_RGS``.
    :raises WorkflowError: the transaction is not waiting to be posted.
    """
    common.require_transmit(actor, transaction.authority, rgs_level)
    name = actor.user.full_name if actor.user else actor.label
    return workflow.change_status(
        transaction,
        workflow.Event.POST,
        message=f"La transaction a été postée par l'agent télétransmetteur {name}",
        actor=actor,
    )
