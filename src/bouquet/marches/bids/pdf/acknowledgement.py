"""The acknowledgement of receipt of a deposit (arrêté of 22 March 2019, art. 2, III): the
depositor's identity, the buyer, the consultation, the date and time of receipt to the second,
and every file with its size and SHA-256."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from .common import Styles, build, human_size, key_values, local, p, table

__all__ = ["AckData", "AckFile", "acknowledgement_pdf"]

TITLE = "Accusé de réception d'un dépôt électronique"


@dataclass(frozen=True)
class AckFile:
    envelope: str
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class AckData:
    """Everything the acknowledgement states, already as text."""

    deposit_uuid: str
    number: int
    company_name: str
    company_siret: str
    depositor: str
    depositor_email: str
    buyer_name: str
    buyer_siret: str
    consultation_reference: str
    consultation_object: str
    bid_deadline: datetime | None
    started_at: datetime
    received_at: datetime
    is_late: bool
    is_test: bool
    files: tuple[AckFile, ...]
    evidence_head: str
    platform: str = "Bouquet"


def acknowledgement_pdf(data: AckData) -> bytes:
    s = Styles()
    story = [p(TITLE, s.title)]
    if data.is_test:
        story.append(p("DÉPÔT D'ENTRAÎNEMENT — consultation de test, sans valeur juridique.", s.alert))
    story.append(
        p(
            f"La plateforme {data.platform} atteste avoir reçu le pli décrit ci-dessous. "
            "L'heure de réception "
            "est celle de l'horloge du serveur à la fin de l'envoi (validation du dépôt).",
            s.text,
        )
    )
    story.append(Spacer(1, 3 * mm))
    if data.is_late:
        story.append(
            p(
                "Ce pli a été reçu APRÈS la date et l'heure limites de remise des plis : il est conservé "
                "mais ne sera pas ouvert avec les autres.",
                s.alert,
            )
        )
    story += [p("Dépôt", s.heading), key_values(_deposit_rows(data), s)]
    story += [p("Déposant", s.heading), key_values(_depositor_rows(data), s)]
    story += [p("Acheteur et consultation", s.heading), key_values(_consultation_rows(data), s)]
    story += [p(f"Fichiers reçus ({len(data.files)})", s.heading), _files(data, s)]
    story.append(Spacer(1, 3 * mm))
    story.append(
        p(
            "Chaque empreinte SHA-256 est calculée sur le fichier exactement tel qu'il a été reçu ; "
            "vous pouvez "
            "la comparer à celle de votre copie (par exemple avec « sha256sum » ou « certutil -hashfile "
            "FICHIER SHA256 »). Les fichiers sont chiffrés dès leur arrivée et personne ne peut les lire "
            "avant la date limite.",
            s.small,
        )
    )
    footer = f"{TITLE} — pli {data.deposit_uuid} — reçu le {local(data.received_at)}"
    return build(story, title=TITLE, footer=footer)


def _deposit_rows(data: AckData) -> list[tuple[str, str]]:
    return [
        ("Date et heure de réception", local(data.received_at)),
        ("Début de l'envoi", local(data.started_at)),
        ("Dans les délais", "non — reçu hors délai" if data.is_late else "oui"),
        ("Numéro d'ordre", str(data.number)),
        ("Identifiant du pli", data.deposit_uuid),
        ("Empreinte du journal de preuve", data.evidence_head),
    ]


def _depositor_rows(data: AckData) -> list[tuple[str, str]]:
    return [
        ("Entreprise", data.company_name),
        ("SIRET", data.company_siret),
        ("Déposé par", f"{data.depositor} <{data.depositor_email}>"),
    ]


def _consultation_rows(data: AckData) -> list[tuple[str, str]]:
    return [
        ("Acheteur", data.buyer_name),
        ("SIRET de l'acheteur", data.buyer_siret),
        ("Consultation", data.consultation_reference),
        ("Objet", data.consultation_object),
        ("Date limite de remise des plis", local(data.bid_deadline, seconds=False) or "—"),
    ]


def _files(data: AckData, s: Styles):
    rows = [
        [f.envelope, [p(f.name, s.cell), p(f"SHA-256 : {f.sha256}", s.mono)], human_size(f.size)]
        for f in data.files
    ]
    return table(["Enveloppe", "Fichier et empreinte", "Taille"], rows, [32 * mm, 128 * mm, 20 * mm], s)
