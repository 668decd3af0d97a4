"""The evidence report of a consultation's deposits, for disputes (CE 23 Sept 2021, RATP, n° 449250):
per deposit, the start of the upload, every piece received, refusals and errors, the validation and
the acknowledgement, with the server's load; then the platform's health around the deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from .common import Styles, build, key_values, local, p, table

__all__ = ["DepositEvidence", "EvidenceLine", "EvidenceReport", "HealthLine", "evidence_report_pdf"]

TITLE = "Rapport de preuve des dépôts électroniques"


@dataclass(frozen=True)
class EvidenceLine:
    at: datetime
    kind: str
    detail: str
    load: str


@dataclass(frozen=True)
class DepositEvidence:
    number: str
    company: str
    depositor: str
    status: str
    started_at: datetime
    last_byte_at: datetime | None
    received_at: datetime | None
    late: bool
    counts: bool
    chain_ok: bool
    chain_head: str
    lines: tuple[EvidenceLine, ...]


@dataclass(frozen=True)
class HealthLine:
    at: datetime
    load: str
    uploads: int
    pieces: int
    errors: int
    db_ms: str
    disk_free: str


@dataclass(frozen=True)
class EvidenceReport:
    buyer: str
    reference: str
    object: str
    deadline: datetime | None
    generated_at: datetime
    generated_by: str
    deposits: tuple[DepositEvidence, ...]
    health: tuple[HealthLine, ...]


def evidence_report_pdf(report: EvidenceReport) -> bytes:
    s = Styles()
    story = [
        p(TITLE, s.title),
        key_values(
            [
                ("Acheteur", report.buyer),
                ("Consultation", f"{report.reference} — {report.object}"),
                ("Date limite de remise des plis", local(report.deadline) or "—"),
                ("Rapport établi le", f"{local(report.generated_at)} par {report.generated_by}"),
                ("Plis", str(len(report.deposits))),
            ],
            s,
        ),
    ]
    story.append(Spacer(1, 2 * mm))
    story.append(
        p(
            "Chaque dépôt a son journal chaîné (SHA-256) : « chaîne intacte » signifie "
            "qu'aucune ligne n'a été "
            "modifiée, retirée ou ajoutée depuis son écriture. Heures du serveur, heure de Paris.",
            s.small,
        )
    )
    for deposit in report.deposits:
        story += _deposit(deposit, s)
    story += [p("Santé de la plateforme autour de la date limite", s.heading)]
    if report.health:
        rows = [
            [local(h.at), h.load, str(h.uploads), str(h.pieces), str(h.errors), h.db_ms, h.disk_free]
            for h in report.health
        ]
        story.append(
            table(
                [
                    "Relevé",
                    "Charge (1 min)",
                    "Envois en cours",
                    "Morceaux/min",
                    "Erreurs/min",
                    "Base (ms)",
                    "Disque libre",
                ],
                rows,
                [44 * mm, 20 * mm, 22 * mm, 22 * mm, 20 * mm, 20 * mm, 32 * mm],
                s,
            )
        )
    else:
        story.append(p("Aucun relevé de santé dans la fenêtre autour de la date limite.", s.text))
    return build(story, title=TITLE, footer=f"{TITLE} — {report.reference} — {local(report.generated_at)}")


def _deposit(d: DepositEvidence, s: Styles) -> list:
    head = f"Pli n° {d.number} — {d.company}"
    verdict = (
        "hors délai (conservé, non ouvert)"
        if d.late
        else ("retenu (dernier dans les délais)" if d.counts else "remplacé ou non validé")
    )
    rows = [
        ("Déposant", d.depositor),
        ("État", f"{d.status} — {verdict}"),
        ("Début de l'envoi", local(d.started_at)),
        ("Dernier octet reçu", local(d.last_byte_at) or "—"),
        ("Réception (horodatage)", local(d.received_at) or "—"),
        ("Journal de preuve", ("chaîne intacte" if d.chain_ok else "CHAÎNE ROMPUE") + f" — {d.chain_head}"),
    ]
    lines = [[local(line.at), line.kind, line.detail, line.load] for line in d.lines]
    return [
        p(head, s.heading),
        key_values(rows, s),
        Spacer(1, 1.5 * mm),
        table(["Heure", "Événement", "Détail", "Charge"], lines, [44 * mm, 34 * mm, 86 * mm, 16 * mm], s),
    ]
