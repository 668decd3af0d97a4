"""Check a posted transaction before sending (1 → 2, or -1): the stored file is still the one received.

The full analysis happened at intake; S²LOW's worker re-checks the stored file's hash before queueing
it ("le fichier a été altéré"), and so does this step, in chunks (files reach 128 MiB).
"""

from bouquet.core.audit import Actor
from bouquet.helios import workflow
from bouquet.helios.choices import Status
from bouquet.helios.errors import WorkflowError
from bouquet.helios.models import Transaction
from bouquet.helios.storage import digests

__all__ = ["check_transaction"]

ACTOR = Actor.system("vérification des transactions HELIOS")


def check_transaction(*, transaction: Transaction) -> Transaction:
    """:raises WorkflowError: the transaction is not "Posté" (another worker took it)."""
    if transaction.status != Status.POSTE:
        raise WorkflowError("Seule une transaction « Posté » peut être vérifiée.")
    try:
        with transaction.file.open() as stream:
            sha256, _sha1, _size = digests(stream)
        intact = sha256 == transaction.sha256
    except OSError:
        intact = False
    if not intact:
        return workflow.change_status(
            transaction,
            workflow.Event.CHECK_FAILED,
            message="Le fichier a été altéré ou est introuvable dans le stockage : il ne sera pas transmis.",
            actor=ACTOR,
        )
    return workflow.change_status(
        transaction,
        workflow.Event.CHECK_OK,
        message=f"Transaction {transaction.pk} dans la file d'attente",
        actor=ACTOR,
    )
