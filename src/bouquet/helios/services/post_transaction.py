"""Order the transmission of a waiting PES (14 → 1, S²LOW ``helios_transac_submit``)."""

from bouquet.core.audit import Actor
from bouquet.helios import workflow
from bouquet.helios.models import Transaction
from bouquet.helios.services.common import require_destination, require_transmit

__all__ = ["post_transaction"]


def post_transaction(*, transaction: Transaction, actor: Actor, rgs_level: str | None = None) -> Transaction:
    """Move ``transaction`` from "En attente d'être télétransmis" to "Posté".

    :param rgs_level: RGS level of the certificate the agent authenticated with; ``None`` when the
        caller does not check it (a web page of an agent logged in by password).
    :raises RightsError: no TT right, or a certificate below ``PKI_TRANSMISSION_REQUIRED_RGS``.
    :raises MissingDestinationError: the authority has no P_DEST.
    :raises WorkflowError: the transaction is not waiting for a TT agent.
    """
    require_transmit(actor, transaction.authority, rgs_level)
    require_destination(transaction.authority)
    name = actor.user.full_name if actor.user else actor.label
    return workflow.change_status(
        transaction, workflow.Event.POST, message=f"Transmission demandée par {name}", actor=actor
    )
