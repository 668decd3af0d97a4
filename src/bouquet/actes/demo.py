"""Demo data for `bouquet demo`: a classification for every ACTES member and a few acts of Beaune.

Idempotent: classifications are keyed by (authority, version), acts by their number. Add
``"bouquet.actes.demo.load"`` to ``DEMO_LOADERS`` after the core loader.
"""

import datetime as dt
import io

from django.db import transaction as db
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from bouquet.actes import workflow
from bouquet.actes.choices import Status, TransactionType
from bouquet.actes.models import Classification, Transaction
from bouquet.actes.protocol import build_message
from bouquet.actes.protocol.constants import NATURES as ABBR
from bouquet.actes.protocol.messages import Matiere, NatureActe, RetourClassification, TypePJ
from bouquet.actes.services import common
from bouquet.actes.services.outbound import act_message_name
from bouquet.actes.storage import sha256_hex
from bouquet.core.audit import Actor
from bouquet.core.demo import siren_from_stem
from bouquet.core.models import Authority

__all__ = ["CLASSIFICATION_DATE", "build_classification", "load"]

CLASSIFICATION_DATE = dt.date(2024, 1, 1)
BEAUNE_SIREN_STEM = "21210054"  # bouquet.core.demo.AUTHORITIES
ACTOR = Actor.system("données de démonstration")

# (code, label, abbreviation, [(typology, label)]) — typologies as the ministry's lists name them.
NATURES = [
    (
        1,
        "Délibérations",
        "DE",
        [
            ("99_DE", "Délibération"),
            ("99_AU", "Autre document"),
            ("99_BU", "Budget"),
            ("99_CO", "Contrat"),
            ("22_NE", "Notice explicative"),
        ],
    ),
    (2, "Arrêtés réglementaires", "AR", [("99_AR", "Arrêté"), ("99_AU", "Autre document")]),
    (3, "Arrêtés individuels", "AI", [("99_AI", "Acte individuel"), ("99_AU", "Autre document")]),
    (
        4,
        "Contrats, conventions et avenants",
        "CC",
        [("99_CO", "Contrat"), ("99_DC", "Document contractuel"), ("99_AU", "Autre document")],
    ),
    (5, "Documents budgétaires et financiers", "BF", [("99_BU", "Budget"), ("99_AU", "Autre document")]),
    (6, "Autres", "AU", [("99_AU", "Autre document")]),
]
MATIERES = [
    (
        1,
        "Commande publique",
        [(1, "Marchés publics"), (2, "Délégation de service public"), (4, "Autres contrats")],
    ),
    (
        2,
        "Urbanisme",
        [
            (1, "Documents d'urbanisme"),
            (2, "Actes relatifs au droit d'occupation des sols"),
            (3, "Droit de préemption urbain"),
        ],
    ),
    (3, "Domaine et patrimoine", [(1, "Acquisitions"), (2, "Aliénations"), (3, "Locations")]),
    (4, "Fonction publique", [(1, "Personnels titulaires et stagiaires"), (2, "Personnels contractuels")]),
    (5, "Institutions et vie politique", [(2, "Fonctionnement des assemblées"), (7, "Intercommunalité")]),
    (6, "Libertés publiques et pouvoirs de police", [(1, "Police municipale"), (4, "Circulation")]),
    (7, "Finances locales", [(1, "Décisions budgétaires"), (2, "Fiscalité"), (5, "Subventions")]),
    (8, "Domaines de compétences par thèmes", [(1, "Enseignement"), (3, "Voirie"), (9, "Culture")]),
    (9, "Autres domaines de compétences", [(1, "Autres domaines de compétences des communes")]),
]


def build_classification(version: dt.date = CLASSIFICATION_DATE) -> bytes:
    """A RetourClassification (7-2) with the six natures, typical typologies and matières."""
    message = RetourClassification(
        date_classification=version,
        natures=tuple(
            NatureActe(code, label, abbr, tuple(TypePJ(c, lib) for c, lib in types))
            for code, label, abbr, types in NATURES
        ),
        matieres=tuple(
            Matiere(code, label, tuple(Matiere(c, lib) for c, lib in kids)) for code, label, kids in MATIERES
        ),
    )
    return build_message(message)


def ensure_classification(authority, version: dt.date = CLASSIFICATION_DATE) -> Classification:
    raw = build_classification(version)
    found = Classification.objects.filter(authority=authority, version=version).first()
    return found or Classification.objects.create(
        authority=authority, version=version, raw=raw, sha256=sha256_hex(raw)
    )


# (number, nature, subject, classification, days ago, statuses after creation, IDActe?)
BEAUNE_ACTS = [
    ("2026_D001", 1, "Vote du budget primitif 2026", "7.1", 40, [2, 3, 4], True),
    ("2026_D002", 1, "Tarifs municipaux de la saison culturelle", "7.2", 20, [2, 3], False),
    ("2026_A014", 3, "Arrêté de nomination d'un agent stagiaire", "4.1", 5, [], False),
    ("2026_A015", 2, "Réglementation de la circulation rue Paul Chanson", "6.4", 2, [2, 3, -1], False),
    ("2026_D003", 1, "Convention de mise à disposition de la salle des fêtes", "3.3", 1, None, False),
]
_EVENTS = {
    2: workflow.Event.CHECK_OK,
    3: workflow.Event.SEND_OK,
    4: workflow.Event.ACK_RECEIVED,
    -1: workflow.Event.ANOMALY,
}
_MESSAGES = {
    2: "Accepté par le TdT : validation OK",
    3: "Transmis au MI",
    4: "Reçu par le MI",
    -1: "Anomalie signalee par le MI : 004 - Classification inconnue (démonstration)",
}


def demo_pdf(title: str) -> bytes:
    """A one-page PDF showing ``title``: every demo act carries a real main document."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    page.setFont("Helvetica", 14)
    page.drawString(72, 770, title)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _demo_act(authority, number, nature, subject, classification, days, steps, with_id) -> None:
    if Transaction.objects.filter(authority=authority, type=TransactionType.ACTE, number=number).exists():
        return
    decided = timezone.localdate() - dt.timedelta(days=days)
    act = workflow.create_transaction(
        actor=ACTOR,
        status=Status.POSTE if steps is not None else Status.EN_ATTENTE_POSTE,
        message="Dépôt initial (démonstration)",
        authority=authority,
        type=TransactionType.ACTE,
        nature=nature,
        number=number,
        subject=subject,
        decision_date=decided,
        classification=classification,
        classification_date=CLASSIFICATION_DATE,
    )
    typology = f"99_{ABBR[nature][0]}"
    document = common.Document(f"{number}.pdf", demo_pdf(subject), typology)
    name = str(act_message_name(act).document(1, "pdf", typology))
    common.attach_files(act, [(document, common.FileRole.MAIN, name)])
    for status in steps or []:
        id_acte = f"{authority.departement}-{authority.siren}-{decided:%Y%m%d}-{number}-{ABBR[nature][0]}"
        fields = {"id_acte": id_acte}
        workflow.change_status(
            act,
            _EVENTS[status],
            message=_MESSAGES[status],
            actor=ACTOR,
            **(fields if status == 4 and with_id else {}),
        )


@db.atomic
def load() -> list[str]:
    """Give every ACTES subscriber a current classification, and Beaune a few acts."""
    authorities = Authority.objects.filter(subscriptions__module__code="ACTES").distinct()
    for authority in authorities:
        ensure_classification(authority)
    beaune = authorities.filter(siren=siren_from_stem(BEAUNE_SIREN_STEM)).first()
    if beaune is not None:
        for row in BEAUNE_ACTS:
            _demo_act(beaune, *row)
    return [
        f"ACTES : classification du {CLASSIFICATION_DATE:%d/%m/%Y} pour {authorities.count()} collectivités"
    ]
