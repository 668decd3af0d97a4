"""Give the signed version of a PES waiting for its signature (13 → 1, S²LOW ``helios_transac_sign``).

S²LOW signs in the browser and splices the signatures into the stored file; here the agent gives the
file signed by its parapheur or signing tool. It must be the same PES (same NomFic, CodCol and
bordereaux), carry at least one signature, and every signature must verify.
"""

from django.db import transaction as db

from bouquet.core.audit import Actor
from bouquet.helios import workflow
from bouquet.helios.choices import Status
from bouquet.helios.errors import HeliosRefusal, RefusalItem
from bouquet.helios.models import Transaction
from bouquet.helios.services.common import Source, as_source, require_prepare
from bouquet.helios.services.preflight import preflight
from bouquet.helios.services.upload_pes import clean_filename
from bouquet.helios.storage import store

__all__ = ["submit_signed_file"]


def _same_pes(transaction: Transaction, report) -> list[RefusalItem]:
    doc = report.document
    problems = []
    if (doc.envelope.nom_fic, doc.header.cod_col) != (transaction.nom_fic, transaction.cod_col):
        problems.append(
            RefusalItem(
                "not_the_same_pes",
                f"Ce fichier n'est pas le PES attendu : NomFic « {doc.envelope.nom_fic} » / CodCol "
                f"« {doc.header.cod_col} » au lieu de « {transaction.nom_fic} » / « {transaction.cod_col} ».",
            )
        )
    if not doc.signatures:
        problems.append(RefusalItem("not_signed", "Ce fichier ne porte aucune signature électronique."))
    return problems


def submit_signed_file(*, transaction: Transaction, actor: Actor, filename: str, data: Source) -> Transaction:
    """Replace the waiting file by its signed version and post it (status 1).

    :raises RightsError: no CS right. :raises WorkflowError: the transaction does not wait for a signature.
    :raises HeliosRefusal: not the same PES, unsigned, or a signature that does not verify.
    """
    require_prepare(actor, transaction.authority)
    workflow.target(transaction, workflow.Event.SIGNED)
    source = as_source(data)
    others = Transaction.objects.exclude(pk=transaction.pk).exclude(status=Status.ANNULE)
    report = preflight(
        source,
        filename=clean_filename(filename),
        authority=transaction.authority,
        is_known=lambda nom_fic, cod_col: others.filter(nom_fic=nom_fic, cod_col=cod_col).exists(),
        is_duplicate=lambda sha256: others.filter(sha256=sha256).exists(),
    )
    problems = list(report.errors) + (_same_pes(transaction, report) if report.document else [])
    if problems:
        raise HeliosRefusal(problems, report)
    with db.atomic():
        stored = store(source)
        return workflow.change_status(
            transaction,
            workflow.Event.SIGNED,
            message="Fichier signé",
            actor=actor,
            details={"sha256_before": transaction.sha256, "sha256": stored.sha256},
            file=stored,
            sha256=stored.sha256,
            size=stored.size,
            filename=clean_filename(filename),
            intake_report=report.as_json(),
        )
