"""Proof of sending and reading of a secure message (what a registered letter's receipt gives)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from .common import Styles, build, human_size, key_values, local, p

__all__ = ["ProofData", "message_proof_pdf"]

TITLE = "Preuve d'envoi et de lecture d'un message"


@dataclass(frozen=True)
class ProofData:
    buyer: str
    consultation: str
    company: str
    direction: str
    kind: str
    subject: str
    body: str
    sent_at: datetime
    sent_by: str
    digest: str
    read_at: datetime | None
    read_by: str
    attachment: str
    attachment_size: int
    attachment_sha256: str


def message_proof_pdf(data: ProofData) -> bytes:
    s = Styles()
    rows = [
        ("Acheteur", data.buyer),
        ("Consultation", data.consultation),
        ("Entreprise", data.company),
        ("Sens", data.direction),
        ("Nature", data.kind),
        ("Objet", data.subject),
        ("Envoyé le", f"{local(data.sent_at)} par {data.sent_by}"),
        ("Empreinte du message (SHA-256)", data.digest),
        ("Lu le", f"{local(data.read_at)} par {data.read_by}" if data.read_at else "pas encore lu"),
    ]
    if data.attachment:
        rows.append(
            (
                "Pièce jointe",
                f"{data.attachment} ({human_size(data.attachment_size)}), SHA-256 {data.attachment_sha256}",
            )
        )
    story = [p(TITLE, s.title), key_values(rows, s), Spacer(1, 4 * mm), p("Texte du message", s.heading)]
    story.append(p(data.body, s.text))
    story.append(Spacer(1, 4 * mm))
    story.append(
        p(
            "Les heures sont celles du serveur de la plateforme. "
            "L'empreinte est calculée sur l'expéditeur, le "
            "destinataire, l'heure d'envoi, l'objet, le texte et l'empreinte de la pièce jointe : toute "
            "modification du message la changerait.",
            s.small,
        )
    )
    return build(story, title=TITLE, footer=f"{TITLE} — {data.consultation} — {data.digest[:16]}")
