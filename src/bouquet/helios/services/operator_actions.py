"""Operator staff's two corrections of a transaction (S²LOW's admin pages "set error" and "rollback")."""

from bouquet.core.audit import Actor
from bouquet.core.choices import OperatorRole
from bouquet.core.models import Authority
from bouquet.helios import workflow
from bouquet.helios.choices import SendState
from bouquet.helios.errors import RightsError
from bouquet.helios.models import Transaction

__all__ = ["rollback", "set_error"]


def _require_admin(actor: Actor, transaction: Transaction) -> str:
    user = actor.user
    served = Authority.objects.served_by(user).filter(pk=transaction.authority_id).exists() if user else False
    if not served or not user.operator_roles.filter(role=OperatorRole.ADMIN).exists():
        raise RightsError("Seul un administrateur de l'opérateur peut corriger l'état d'une transaction.")
    return user.full_name


def set_error(*, transaction: Transaction, actor: Actor, reason: str) -> Transaction:
    """Put a stuck transaction in error (-1) with the reason given.

    :raises RightsError: not an operator administrator. :raises WorkflowError: already closed.
    """
    name = _require_admin(actor, transaction)
    text = (reason or "").strip() or "sans motif"
    return workflow.change_status(
        transaction, workflow.Event.SET_ERROR, message=f"Mise en erreur par {name} : {text}", actor=actor
    )


def rollback(*, transaction: Transaction, actor: Actor) -> Transaction:
    """Put a transaction in error back to "Posté": it is checked and sent again (same file, same name).

    :raises RightsError: not an operator administrator. :raises WorkflowError: not in error.
    """
    name = _require_admin(actor, transaction)
    return workflow.change_status(
        transaction,
        workflow.Event.ROLLBACK,
        message=f"Transaction remise à l'état « Posté » par {name}",
        actor=actor,
        send_state=SendState.WAITING,
        next_attempt_at=None,
        sending_since=None,
        last_error="",
    )
