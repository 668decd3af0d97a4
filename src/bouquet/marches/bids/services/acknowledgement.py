"""The acknowledgement of a deposit: the PDF (kept, and its SHA-256 on the deposit) and the e-mail."""

import hashlib
import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

from bouquet.core.audit import Actor, record
from bouquet.marches.bids import clock, storage
from bouquet.marches.bids.choices import EvidenceKind
from bouquet.marches.bids.models import Deposit, DepositFile
from bouquet.marches.bids.pdf.acknowledgement import AckData, AckFile, acknowledgement_pdf
from bouquet.marches.bids.services.evidence import add_evidence

__all__ = ["ack_data", "ack_storage_name", "acknowledgement_bytes", "send_acknowledgement"]

logger = logging.getLogger(__name__)


def ack_storage_name(deposit: Deposit) -> str:
    return f"marches_bids/acks/{deposit.consultation_id}/{deposit.uuid}.pdf"


def ack_data(deposit: Deposit) -> AckData:
    consultation, company, user = deposit.consultation, deposit.company, deposit.depositor
    files = DepositFile.objects.filter(envelope__deposit=deposit).select_related("envelope__lot")
    return AckData(
        deposit_uuid=str(deposit.uuid),
        number=deposit.number or 0,
        company_name=company.name,
        company_siret=company.siret,
        depositor=user.full_name,
        depositor_email=user.email,
        buyer_name=consultation.authority.name,
        buyer_siret=consultation.buyer_siret,
        consultation_reference=consultation.reference,
        consultation_object=consultation.object,
        bid_deadline=consultation.bid_deadline,
        started_at=deposit.started_at,
        received_at=deposit.received_at,
        is_late=deposit.is_late,
        is_test=deposit.is_test,
        files=tuple(AckFile(f.envelope.label, f.name, f.size, f.sha256) for f in files.order_by("position")),
        evidence_head=deposit.evidence_head,
    )


def acknowledgement_bytes(deposit: Deposit) -> bytes:
    """The PDF as sent (read back from storage), or built now if it was never stored."""
    try:
        return storage.read(ack_storage_name(deposit))
    except (FileNotFoundError, OSError):
        return acknowledgement_pdf(ack_data(deposit))


def _email(deposit: Deposit, pdf: bytes) -> EmailMultiAlternatives:
    context = {"deposit": deposit, "data": ack_data(deposit)}
    subject = " ".join(render_to_string("marches_bids/emails/ack_subject.txt", context).split())
    recipients = sorted({deposit.depositor.email, deposit.company.email} - {""})
    message = EmailMultiAlternatives(
        subject, render_to_string("marches_bids/emails/ack.txt", context), to=recipients
    )
    message.attach_alternative(render_to_string("marches_bids/emails/ack.html", context), "text/html")
    message.attach(
        f"accuse-reception-{deposit.consultation.reference}-{deposit.number}.pdf", pdf, "application/pdf"
    )
    return message


def send_acknowledgement(deposit: Deposit) -> bytes:
    """Build and keep the PDF, e-mail it to the depositor and the company, record both as evidence.

    A mail failure is recorded (evidence ``error``) and does not undo anything: the acknowledgement
    stays downloadable from the deposit's page.
    """
    pdf = acknowledgement_pdf(ack_data(deposit))
    storage.delete(ack_storage_name(deposit))
    storage.write(ack_storage_name(deposit), pdf)
    digest = hashlib.sha256(pdf).hexdigest()
    try:
        _email(deposit, pdf).send()
        error = ""
    except Exception as exc:  # noqa: BLE001 - any transport failure is evidence, not a crash
        logger.exception("acknowledgement mail failed for deposit %s", deposit.uuid)
        error = f"{type(exc).__name__}: {exc}"[:300]
    now = clock.now()
    with transaction.atomic():
        locked = Deposit.objects.select_for_update().get(pk=deposit.pk)
        Deposit.objects.filter(pk=deposit.pk).update(ack_sent_at=now, ack_sha256=digest)
        deposit.ack_sent_at, deposit.ack_sha256 = now, digest
        if error:
            add_evidence(locked, EvidenceKind.ERROR, at=now, details={"step": "ack_mail", "error": error})
        add_evidence(locked, EvidenceKind.ACK, at=now, details={"pdf_sha256": digest, "mailed": not error})
        record(
            actor=Actor.system(),
            action="marches_bids.deposit.acknowledged",
            authority=deposit.authority,
            obj=deposit,
            details={"pdf_sha256": digest, "mailed": not error},
        )
    return pdf
