"""Demo data for `bouquet demo`: membership histories, a fee grid, conventions in every status,
two aids and a payment, the operator settings of its FAQ (S²LOW, ADULLACT, Libriciel).

Idempotent: each row is looked up by its natural key and created through the services (so the
journal tells the same story) only when missing.
"""

import io
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from bouquet.backoffice.choices import (
    ConventionFileKind,
    ConventionKind,
    ConventionStatus,
    MembershipStatus,
)
from bouquet.backoffice.models import (
    AidPayment,
    AidRule,
    Convention,
    FeeRule,
    MembershipStatusChange,
    OperatorSettings,
)
from bouquet.backoffice.services.aids import record_aid_payment, save_aid_rule
from bouquet.backoffice.services.attach_convention_file import attach_convention_file
from bouquet.backoffice.services.change_membership_status import change_membership_status
from bouquet.backoffice.services.conventions import change_convention_status, create_convention
from bouquet.backoffice.services.issue_fee_calls import issue_fee_calls
from bouquet.backoffice.services.save_fee_rule import save_fee_rule
from bouquet.backoffice.services.update_operator_settings import update_operator_settings
from bouquet.core.audit import Actor
from bouquet.core.choices import AuthorityKind
from bouquet.core.demo import AUTHORITIES, OPERATOR, siren_from_stem
from bouquet.core.models import Authority, Module, Operator

__all__ = ["load"]

ACTOR = Actor.system("données de démonstration")
STEMS = {key: stem for key, _name, _kind, stem, *_rest in AUTHORITIES}

# The FAQ's values: S²LOW, homologated by an agreement between the ministry and ADULLACT of
# 22 January 2007, operated by Libriciel under a contract of 31 August 2023.
SETTINGS = {
    "transmission_device": "S²LOW",
    "homologation_reference": "convention d'homologation entre le ministère de l'Intérieur et l'ADULLACT",
    "homologation_date": date(2007, 1, 22),
    "transmission_operator": "Libriciel SCOP",
    "transmission_contract_date": date(2023, 8, 31),
    "prefecture_name": "Préfecture de la Côte-d'Or",
    "prefecture_address": "Bureau du contrôle de légalité\n53 rue de la Préfecture\n21041 Dijon Cedex",
}

MEMBERSHIPS = {
    "ccvti": [
        (MembershipStatus.PROSPECT, date(2019, 6, 1)),
        (MembershipStatus.JOINING, date(2019, 11, 15)),
        (MembershipStatus.MEMBER, date(2020, 1, 1)),
    ],
    "beaune": [(MembershipStatus.MEMBER, date(2020, 1, 1))],
    "nuits": [(MembershipStatus.JOINING, date(2019, 12, 2)), (MembershipStatus.MEMBER, date(2020, 1, 1))],
    "is": [(MembershipStatus.JOINING, date(2024, 10, 1)), (MembershipStatus.MEMBER, date(2025, 1, 1))],
    "vitteaux": [(MembershipStatus.MEMBER, date(2020, 1, 1))],
    "sivos": [(MembershipStatus.MEMBER, date(2021, 3, 1))],
}

COMMUNE = AuthorityKind.COMMUNE
# (module, kind, min, max, amount, valid_from, label): 50 € a year for small communes on the
# procurement platform, no one-off fee; the ACTES price of communes of 1 000 to 5 000 rises in 2027.
FEE_GRID = [
    ("MARCHES", COMMUNE, 0, 5000, "50.00", date(2025, 1, 1), "Petites communes"),
    ("MARCHES", COMMUNE, 5000, None, "150.00", date(2025, 1, 1), "Communes de 5 000 habitants et plus"),
    ("MARCHES", "", 0, None, "300.00", date(2025, 1, 1), "Autres adhérents"),
    ("ACTES", COMMUNE, 0, 1000, "30.00", date(2025, 1, 1), ""),
    ("ACTES", COMMUNE, 1000, 5000, "60.00", date(2025, 1, 1), ""),
    ("ACTES", COMMUNE, 1000, 5000, "65.00", date(2027, 1, 1), "Tarif 2027"),
    ("ACTES", COMMUNE, 5000, None, "120.00", date(2025, 1, 1), ""),
    ("ACTES", "", 0, None, "150.00", date(2025, 1, 1), "Intercommunalités et syndicats"),
    ("HELIOS", COMMUNE, 0, 3500, "20.00", date(2025, 1, 1), ""),
    ("HELIOS", "", 0, None, "80.00", date(2025, 1, 1), ""),
]

ACTES_CONVENTION = "Télétransmission des actes soumis au contrôle de légalité"
AMENDMENT = "Changement de dispositif de télétransmission (S²LOW)"
HELIOS_CONVENTION = "Dématérialisation des pièces comptables (PES V2)"
# (authority, module, kind, subject, [(status, on)]); the ACTES conventions signed with the previous
# operator are in force for every member, so that the demo's acts can be sent.
CONVENTIONS = [
    *[
        (key, "ACTES", ConventionKind.CONVENTION, ACTES_CONVENTION, [(ConventionStatus.SIGNED, signed)])
        for key, signed in (
            ("ccvti", date(2016, 5, 9)),
            ("beaune", date(2012, 3, 12)),
            ("nuits", date(2014, 9, 1)),
            ("is", date(2015, 2, 16)),
            ("vitteaux", date(2017, 6, 20)),
            ("sivos", date(2018, 1, 8)),
        )
    ],
    (
        "beaune",
        "ACTES",
        ConventionKind.AMENDMENT,
        AMENDMENT,
        [
            (ConventionStatus.SENT, date(2025, 1, 20)),
            (ConventionStatus.SIGNED, date(2025, 2, 10)),
        ],
    ),
    ("nuits", "ACTES", ConventionKind.AMENDMENT, AMENDMENT, [(ConventionStatus.SENT, date(2026, 10, 5))]),
    ("ccvti", "ACTES", ConventionKind.AMENDMENT, AMENDMENT, [(ConventionStatus.SENT, date(2026, 9, 28))]),
    ("vitteaux", "ACTES", ConventionKind.AMENDMENT, AMENDMENT, []),
    ("is", "ACTES", ConventionKind.AMENDMENT, AMENDMENT, []),
    (
        "beaune",
        "HELIOS",
        ConventionKind.CONVENTION,
        HELIOS_CONVENTION,
        [(ConventionStatus.SIGNED, date(2019, 4, 2))],
    ),
    (
        "ccvti",
        "HELIOS",
        ConventionKind.CONVENTION,
        HELIOS_CONVENTION,
        [(ConventionStatus.SENT, date(2026, 11, 2))],
    ),
    ("sivos", "HELIOS", ConventionKind.CONVENTION, HELIOS_CONVENTION, []),
]

AIDS = [
    {
        "name": "Dotation socle",
        "purpose": (
            "Aide de 1 000 € aux communes de moins de 5 000 habitants pour poursuivre la dématérialisation."
        ),
        "amount": Decimal("1000.00"),
        "kind": COMMUNE,
        "min_population": 0,
        "max_population": 5000,
        "required_module": None,
        "valid_from": date(2025, 1, 1),
        "valid_until": date(2027, 12, 31),
    },
    {
        "name": "Aide à l'achat de certificats RGS**",
        "purpose": "Un certificat de signature payé aux petites communes qui télétransmettent.",
        "amount": Decimal("150.00"),
        "kind": COMMUNE,
        "min_population": 0,
        "max_population": 2000,
        "required_module": "ACTES",
        "valid_from": date(2026, 1, 1),
        "valid_until": None,
    },
]
PAYMENT = ("vitteaux", "Dotation socle", Decimal("1000.00"), date(2025, 6, 16), "Mandat 2025-0412")


def _authorities() -> dict[str, Authority]:
    sirens = {key: siren_from_stem(stem) for key, stem in STEMS.items()}
    found = {
        a.siren: a for a in Authority.objects.filter(siren__in=sirens.values()).select_related("operator")
    }
    return {key: found[siren] for key, siren in sirens.items() if siren in found}


def _memberships(authorities: dict[str, Authority]) -> int:
    created = 0
    for key, steps in MEMBERSHIPS.items():
        for status, on in steps:
            if not MembershipStatusChange.objects.filter(
                authority=authorities[key], status=status, effective_date=on
            ).exists():
                change_membership_status(
                    authority=authorities[key], status=status, effective_date=on, actor=ACTOR
                )
                created += 1
    return created


def _fee_grid(operator: Operator) -> int:
    modules = {m.code: m for m in Module.objects.all()}
    created = 0
    for code, kind, low, high, amount, start, label in FEE_GRID:
        key = {
            "module": modules[code],
            "kind": kind,
            "min_population": low,
            "max_population": high,
            "valid_from": start,
        }
        if not FeeRule.objects.filter(operator=operator, **key).exists():
            data = {**key, "amount": Decimal(amount), "valid_until": None, "label": label}
            save_fee_rule(operator=operator, data=data, actor=ACTOR)
            created += 1
    return created


def _demo_pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont("Helvetica", 14)
    page.drawString(72, 760, text)
    page.save()
    return buffer.getvalue()


def _conventions(authorities: dict[str, Authority]) -> int:
    created = 0
    for key, module, kind, subject, steps in CONVENTIONS:
        authority = authorities[key]
        found = Convention.objects.filter(
            authority=authority, module=module, kind=kind, subject=subject
        ).first()
        if found is not None:
            continue
        amends = None
        if kind == ConventionKind.AMENDMENT:
            amends = Convention.objects.get(
                authority=authority, module=module, kind=ConventionKind.CONVENTION, subject=ACTES_CONVENTION
            )
        convention = create_convention(
            authority=authority, module=module, kind=kind, amends=amends, subject=subject, actor=ACTOR
        )
        for status, on in steps:
            convention = change_convention_status(convention=convention, status=status, on=on, actor=ACTOR)
        if convention.status == ConventionStatus.SIGNED and kind == ConventionKind.AMENDMENT:
            upload = SimpleUploadedFile("avenant-signe.pdf", _demo_pdf(f"Avenant signé — {authority.name}"))
            attach_convention_file(
                convention=convention, uploaded=upload, kind=ConventionFileKind.SIGNED, actor=ACTOR
            )
        created += 1
    return created


def _aids(operator: Operator, authorities: dict[str, Authority]) -> int:
    modules = {m.code: m for m in Module.objects.all()}
    created = 0
    for aid in AIDS:
        if not AidRule.objects.filter(operator=operator, name=aid["name"]).exists():
            data = {**aid, "required_module": modules.get(aid["required_module"])}
            save_aid_rule(operator=operator, data=data, actor=ACTOR)
            created += 1
    key, name, amount, paid_on, reference = PAYMENT
    aid = AidRule.objects.get(operator=operator, name=name)
    if not AidPayment.objects.filter(aid=aid, authority=authorities[key]).exists():
        record_aid_payment(
            aid=aid,
            authority=authorities[key],
            amount=amount,
            paid_on=paid_on,
            reference=reference,
            actor=ACTOR,
        )
    return created


@transaction.atomic
def load() -> list[str]:
    """Create what is missing; return the lines to print."""
    operator = Operator.objects.filter(name=OPERATOR["name"]).first()
    authorities = _authorities()
    if operator is None or len(authorities) != len(STEMS):
        return ["Back-office : données de base absentes (lancer d'abord le chargement du cœur)."]
    if not OperatorSettings.objects.filter(operator=operator).exists():
        update_operator_settings(operator=operator, data=SETTINGS, actor=ACTOR)
    statuses = _memberships(authorities)
    rules = _fee_grid(operator)
    conventions = _conventions(authorities)
    aids = _aids(operator, authorities)
    issue_fee_calls(operator=operator, year=2025, actor=ACTOR)
    return [
        f"Back-office : {statuses} statut(s) d'adhésion, {rules} ligne(s) de grille, "
        f"{conventions} convention(s), {aids} aide(s) ajoutés ; appels de cotisation 2025 émis.",
        "  Espace de gestion : /operateur/gestion/ (admin.operateur@demo.bouquet.test)",
    ]
