"""Demo data for `bouquet demo` (runs after the marches and bids demos); idempotent.

A newcomer sees the whole cycle: two awarded consultations (one with two lots) whose contracts,
all above 40 000 € HT, have their essential data completed and published, one of them with a
modification; and a few past consultations imported from a previous platform's Excel export.

Consultations are looked up by (authority, reference) and contracts by (consultation, lot); what
exists is left as it is (the bids demo may already have awarded and notified them).
"""

import io
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from bouquet.core.audit import Actor
from bouquet.core.models import Authority
from bouquet.core.validators import luhn_ok
from bouquet.marches.choices import Kind, Procedure, Status
from bouquet.marches.contracts.models import Contract, ImportedConsultation
from bouquet.marches.contracts.services.add_modification import add_modification
from bouquet.marches.contracts.services.complete_contract import complete_contract
from bouquet.marches.contracts.services.import_history import import_history
from bouquet.marches.contracts.services.open_contract import open_contract
from bouquet.marches.contracts.services.publish_contract import publish_contract
from bouquet.marches.models import Consultation, Lot
from bouquet.marches.services.history import add_event

SYSTEM = Actor.system("données de démonstration")

BEAUNE_LOTS = [
    ("Couverture et zinguerie", Decimal("148750.40"), ("73282932000074", "Bâtiments et Routes de Bourgogne")),
    ("Pierre de taille", Decimal("96300.00"), ("55204599900869", "Taille de pierre du Morvan")),
]
CCVTI_LOTS = [(None, Decimal("212400.00"), ("44306184100047", "Équipements urbains de l'Auxois"))]
# (SIREN stem, reference, object, procedure, kind, CPV, place code, duration, lots: (object, amount, holder))
AWARDED = [
    (
        "21210054",
        "BEAUNE-2025-09",
        "Restauration de la toiture et des façades de l'Hôtel-Dieu annexe",
        Procedure.MAPA,
        Kind.WORKS,
        "45261210-9",
        "21054",
        10,
        BEAUNE_LOTS,
    ),
    (
        "20000702",
        "CCVTI-2025-07",
        "Fourniture de bacs de collecte des biodéchets",
        Procedure.OPEN,
        Kind.SUPPLIES,
        "34928480-6",
        "21",
        24,
        CCVTI_LOTS,
    ),
]
COMPLETION = {
    "techniques": ["Sans objet"],
    "execution_modes": ["Sans objet"],
    "price_form": "Forfaitaire",
    "price_types": ["Définitif révisable"],
    "social_considerations": ["Clause sociale"],
    "environmental_considerations": ["Clause environnementale"],
    "offers_received": 3,
}
HISTORY_HEADERS = [
    "N° de consultation",
    "Intitulé",
    "Type de procédure",
    "Date de mise en ligne",
    "Date limite de remise des plis",
    "Attributaire",
    "SIRET titulaire",
    "Montant attribué (€ HT)",
    "Date de notification",
    "Statut",
]
HISTORY_ROWS = [
    [
        "2023-VOI-02",
        "Réfection du chemin de la Montagne",
        "Procédure adaptée",
        "06/03/2023",
        "07/04/2023 12:00",
    ]
    + ["Bâtiments et Routes de Bourgogne", "73282932000074", "86 420,00", "12/05/2023", "Attribuée"],
    ["2023-ECL-05", "Remplacement des lanternes de la place Carnot", "Procédure adaptée", "02/10/2023"]
    + ["03/11/2023 12:00", None, None, None, None, "Infructueuse"],
    ["2024-CAN-01", "Fourniture de repas pour la cantine scolaire", "Appel d'offres ouvert", "15/01/2024"]
    + ["19/02/2024 16:00", "Cuisines du Val", "55204599900869", "231 004,10", "25/03/2024", "Attribuée"],
]


def _authority(stem: str) -> Authority | None:
    return Authority.objects.filter(siren__startswith=stem).order_by("siren").first()


def _siret(authority: Authority) -> str:
    row = authority.sirets.order_by("siret").first()
    if row is not None:
        return row.siret
    return next(
        authority.siren + "0001" + str(d) for d in range(10) if luhn_ok(authority.siren + "0001" + str(d))
    )


def _consultation(authority, reference, obj, procedure, kind, cpv, place, months, lots) -> Consultation:
    existing = Consultation.objects.filter(authority=authority, reference=reference).first()
    if existing is not None:
        return existing
    now = timezone.now()
    consultation = Consultation.objects.create(
        authority=authority,
        buyer_siret=_siret(authority),
        reference=reference,
        object=obj,
        procedure=procedure,
        kind=kind,
        cpv_main=cpv,
        execution_place=authority.name,
        execution_place_code=place,
        execution_place_code_type="Code commune" if len(place) == 5 else "Code département",
        estimated_amount=sum(amount for _, amount, _ in lots) * Decimal("1.1"),
        duration_months=months,
        notice_text=f"Avis de marché : {obj}.",
        published_at=now - timedelta(days=150),
        question_deadline=now - timedelta(days=125),
        bid_deadline=now - timedelta(days=118),
        status=Status.AWARDED,
        status_changed_at=now - timedelta(days=80),
    )
    for number, (lot_object, amount, _holder) in enumerate(lots, 1):
        if lot_object:
            Lot.objects.create(
                consultation=consultation,
                number=number,
                object=lot_object,
                cpv=cpv,
                estimated_amount=amount * Decimal("1.1"),
            )
    add_event(consultation, "awarded", "Consultation attribuée (données de démonstration).", SYSTEM)
    return consultation


def _contract(consultation, lot, amount, holder, notified_on) -> Contract:
    contract = Contract.objects.filter(consultation=consultation, lot=lot).first()
    if contract is None:
        contract = open_contract(
            consultation=consultation,
            lot=lot,
            holder_siret=holder[0],
            holder_name=holder[1],
            amount_ht=amount,
            notified_on=notified_on,
            actor=SYSTEM,
        )
    if not contract.is_published:
        missing = {k: v for k, v in COMPLETION.items() if not getattr(contract, k)}
        if missing:
            contract = complete_contract(contract=contract, actor=SYSTEM, data=missing)
        contract = publish_contract(contract=contract, actor=SYSTEM)
    return contract


def _history(authority: Authority) -> int:
    from openpyxl import Workbook

    imported = set(ImportedConsultation.objects.for_tenant(authority).values_list("reference", flat=True))
    if {row[0] for row in HISTORY_ROWS} <= imported:
        return 0  # already there: a second `bouquet demo` must not journal a second import
    workbook = Workbook()
    for row in [HISTORY_HEADERS, *HISTORY_ROWS]:
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    report = import_history(
        authority=authority, actor=SYSTEM, data=data.getvalue(), filename="export-ancienne-plateforme.xlsx"
    )
    return report.created


def load() -> list[str]:
    lines: list[str] = []
    today = timezone.localdate()
    for stem, reference, obj, procedure, kind, cpv, place, months, lots in AWARDED:
        authority = _authority(stem)
        if authority is None:
            continue
        consultation = _consultation(authority, reference, obj, procedure, kind, cpv, place, months, lots)
        db_lots = list(consultation.lots.order_by("number")) or [None]
        for lot, (_obj, amount, holder) in zip(db_lots, lots, strict=False):
            contract = _contract(consultation, lot, amount, holder, today - timedelta(days=60))
            lines.append(f"contrat {contract.decp_id} ({authority.name}) : données essentielles publiées")
    first = Contract.objects.filter(consultation__reference=AWARDED[0][1]).order_by("lot__number").first()
    if first is not None and first.is_published and not first.modifications.exists():
        add_modification(
            contract=first,
            actor=SYSTEM,
            reason="Travaux supplémentaires : reprise de la charpente du chevet",
            notified_on=today - timedelta(days=10),
            amount_ht=first.amount_ht + Decimal("12449.60"),
            duration_months=(first.duration_months or 10) + 2,
        )
        lines.append(f"modification n° 1 du contrat {first.decp_id}")
    beaune = _authority("21210054")
    if beaune is not None:
        created = _history(beaune)
        total = ImportedConsultation.objects.for_tenant(beaune).count()
        lines.append(
            f"historique importé de l'ancienne plateforme : {total} consultation(s) ({created} ajoutée(s))"
        )
    return lines
