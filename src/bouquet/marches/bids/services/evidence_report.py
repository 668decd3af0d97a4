"""Build the evidence report of a consultation (PDF), for the buyer or the operator."""

from datetime import timedelta

from django.db import transaction

from bouquet.core.audit import Actor, record
from bouquet.marches.bids import clock
from bouquet.marches.bids.choices import EvidenceKind
from bouquet.marches.bids.models import Deposit, HealthSample
from bouquet.marches.bids.pdf.common import human_size
from bouquet.marches.bids.pdf.evidence_report import (
    DepositEvidence,
    EvidenceLine,
    EvidenceReport,
    HealthLine,
    evidence_report_pdf,
)
from bouquet.marches.bids.services.evidence import verify_evidence
from bouquet.marches.bids.services.health import samples_around
from bouquet.marches.bids.services.opening import counting_deposits
from bouquet.marches.models import Consultation
from bouquet.marches.services.history import add_event

__all__ = ["evidence_report"]


def _detail(event) -> str:
    d = event.details
    if event.kind == EvidenceKind.START:
        files = d.get("files", [])
        agent = d.get("user_agent", "")[:80]
        return f"{len(files)} fichier(s) annoncé(s) ; navigateur : {agent} ; IP {d.get('client_ip')}"
    if event.kind == EvidenceKind.CHUNK:
        where = f"octets {d.get('offset')} + {d.get('size')}"
        return f"fichier {str(d.get('file'))[:8]}… morceau {d.get('index')} : {where}"
    if event.kind == EvidenceKind.FILE_COMPLETE:
        return f"« {d.get('name')} » complet, SHA-256 {d.get('sha256')}"
    if event.kind == EvidenceKind.COMMIT:
        late = " HORS DÉLAI" if d.get("late") else ""
        return f"pli n° {d.get('number')}{late}, {len(d.get('files', []))} fichier(s)"
    if event.kind == EvidenceKind.ACK:
        return f"accusé PDF SHA-256 {d.get('pdf_sha256')}{'' if d.get('mailed') else ' (courriel en échec)'}"
    return str(d.get("reason") or d.get("error") or d)[:300]


def _deposit(deposit: Deposit, counting: set[int]) -> DepositEvidence:
    lines = tuple(
        EvidenceLine(e.at, EvidenceKind(e.kind).label, _detail(e), f"{e.server.get('load1', '')}")
        for e in deposit.evidence.order_by("seq")
    )
    return DepositEvidence(
        number=str(deposit.number or "—"),
        company=f"{deposit.company.name} (SIRET {deposit.company.siret})",
        depositor=f"{deposit.depositor.full_name} <{deposit.depositor.email}>",
        status=deposit.get_status_display(),
        started_at=deposit.started_at,
        last_byte_at=deposit.last_byte_at,
        received_at=deposit.received_at,
        late=deposit.is_late,
        counts=deposit.pk in counting,
        chain_ok=verify_evidence(deposit),
        chain_head=deposit.evidence_head,
        lines=lines,
    )


def evidence_report(*, consultation: Consultation, actor: Actor) -> bytes:
    """The PDF; its production is journaled (it names the bidders)."""
    deposits = Deposit.objects.filter(consultation=consultation).select_related("company", "depositor")
    counting = {d.pk for d in counting_deposits(consultation)}
    deadline = consultation.bid_deadline
    health = samples_around(deadline) if deadline else []
    if deadline is None:
        start = min((d.started_at for d in deposits), default=clock.now())
        health = HealthSample.objects.filter(at__gte=start - timedelta(hours=1)).order_by("at")[:500]
    report = EvidenceReport(
        buyer=f"{consultation.authority.name} (SIRET {consultation.buyer_siret})",
        reference=consultation.reference,
        object=consultation.object,
        deadline=deadline,
        generated_at=clock.now(),
        generated_by=actor.label,
        deposits=tuple(_deposit(d, counting) for d in deposits.order_by("started_at", "id")),
        health=tuple(
            HealthLine(
                h.at,
                f"{h.load1:.2f}",
                h.uploads_in_progress,
                h.pieces_last_minute,
                h.errors_last_minute,
                f"{h.db_latency_ms:.1f}",
                human_size(h.disk_free_bytes),
            )
            for h in health
        ),
    )
    pdf = evidence_report_pdf(report)
    with transaction.atomic():
        add_event(consultation, "bids.evidence_report", "Rapport de preuve des dépôts produit.", actor)
        record(
            actor=actor,
            action="marches_bids.evidence.exported",
            authority=consultation.authority,
            obj=consultation,
            details={"deposits": len(report.deposits)},
        )
    return pdf
