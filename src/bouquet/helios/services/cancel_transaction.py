"""Withdraw a PES that has not left yet (13, 14 or 1 → 0); its NomFic and content become free again."""

from bouquet.core.audit import Actor
from bouquet.helios import workflow
from bouquet.helios.models import Transaction
from bouquet.helios.services.common import require_prepare

__all__ = ["cancel_transaction"]


def cancel_transaction(*, transaction: Transaction, actor: Actor) -> Transaction:
    """:raises RightsError: no CS right. :raises WorkflowError: already on its way to the DGFiP."""
    require_prepare(actor, transaction.authority)
    name = actor.user.full_name if actor.user else actor.label
    return workflow.change_status(
        transaction, workflow.Event.CANCEL, message=f"Transaction annulée par {name}", actor=actor
    )
