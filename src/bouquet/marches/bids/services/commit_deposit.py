"""Close a deposit: the company's explicit final step, which timestamps it with the server's clock."""

from django.db import transaction
from django.db.models import Max

from bouquet.core.audit import Actor, record
from bouquet.marches.bids import clock
from bouquet.marches.bids.choices import DepositStatus, EvidenceKind
from bouquet.marches.bids.errors import DepositRefused
from bouquet.marches.bids.models import Deposit, DepositFile, SealingKey
from bouquet.marches.bids.pdf.common import local
from bouquet.marches.bids.services.acknowledgement import send_acknowledgement
from bouquet.marches.bids.services.deposit_start import DEPOSIT_ACTOR
from bouquet.marches.bids.services.evidence import add_evidence
from bouquet.marches.bids.services.rights import require_company_member
from bouquet.marches.services.history import add_event

__all__ = ["commit_deposit"]


def commit_deposit(*, deposit: Deposit, actor: Actor) -> Deposit:
    """Timestamp the deposit (``received_at``: the server's clock now), decide whether it is late,
    give it its number, then send the acknowledgement.

    The time that counts is the end of the upload: every file must be complete. A deposit received
    at or after the deadline is kept and marked late (``is_late``).

    :raises RightsError: the actor does not act for the deposit's company.
    :raises DepositRefused: already validated, or some file is not complete.
    """
    require_company_member(actor, deposit.company)
    with transaction.atomic():
        # The consultation's key row serialises the numbering of its deposits.
        SealingKey.objects.select_for_update().get(consultation_id=deposit.consultation_id)
        deposit = (
            Deposit.objects.select_for_update().select_related("consultation__authority").get(pk=deposit.pk)
        )
        if deposit.status != DepositStatus.UPLOADING:
            raise DepositRefused("Ce pli est déjà validé.")
        missing = [f.name for f in _files(deposit) if not f.is_complete]
        if missing:
            raise DepositRefused(
                "Ces fichiers ne sont pas encore arrivés en entier : " + ", ".join(missing) + "."
            )
        now = clock.now()
        consultation = deposit.consultation
        late = bool(not deposit.is_test and consultation.bid_deadline and now >= consultation.bid_deadline)
        number = (Deposit.objects.filter(consultation=consultation).aggregate(n=Max("number"))["n"] or 0) + 1
        Deposit.objects.filter(pk=deposit.pk).update(
            status=DepositStatus.RECEIVED, received_at=now, is_late=late, number=number
        )
        deposit.status, deposit.received_at, deposit.is_late, deposit.number = (
            DepositStatus.RECEIVED,
            now,
            late,
            number,
        )
        files = [
            {"name": f.name, "size": f.size, "sha256": f.sha256, "envelope": f.envelope.label}
            for f in _files(deposit)
        ]
        add_evidence(
            deposit, EvidenceKind.COMMIT, at=now, details={"late": late, "number": number, "files": files}
        )
        message = f"Pli n° {number} reçu le {local(now)}" + (
            " HORS DÉLAI (conservé, non ouvert)." if late else "."
        )
        add_event(
            consultation, "bids.deposit_received", message, DEPOSIT_ACTOR, deposit=deposit.pk, late=late
        )
        record(
            actor=actor,
            action="marches_bids.deposit.received",
            authority=deposit.authority,
            obj=deposit,
            details={
                "received_at": now,
                "late": late,
                "number": number,
                "files": files,
                "evidence_head": deposit.evidence_head,
            },
        )
    send_acknowledgement(deposit)
    return deposit


def _files(deposit: Deposit):
    return (
        DepositFile.objects.filter(envelope__deposit=deposit)
        .select_related("envelope__lot")
        .order_by("position")
    )
