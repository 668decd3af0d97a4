"""Shared set-up of the contracts tests: MARCHES rights, an awarded consultation with two lots."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bouquet.core.choices import Access, ModuleCode
from bouquet.core.models import Membership, Module, ModuleRight
from bouquet.marches.choices import Kind, Procedure, Status
from bouquet.marches.contracts.services.complete_contract import complete_contract
from bouquet.marches.contracts.services.open_contract import open_contract
from bouquet.marches.models import Consultation, Lot
from bouquet.test import BaseTestCase

PARIS = ZoneInfo("Europe/Paris")
BUYER_A = "21010001200017"  # SIREN of authority A + NIC, Luhn-valid
BUYER_B = "21020001000010"
HOLDER = "73282932000074"
OTHER_HOLDER = "55204599900869"

#: What a buyer typically completes after the award (rates as fractions of 1).
COMPLETION = {
    "price_form": "Forfaitaire",
    "price_types": ["Définitif révisable"],
    "social_considerations": ["Pas de considération sociale"],
    "environmental_considerations": ["Clause environnementale"],
    "offers_received": 3,
}


def grant(user, authority, access) -> None:
    membership = Membership.objects.get(user=user, authority=authority)
    ModuleRight.objects.update_or_create(
        membership=membership, module=Module.objects.get(code=ModuleCode.MARCHES), defaults={"access": access}
    )


def make_consultation(authority, reference: str, *, siret: str, lots: int = 0, **fields) -> Consultation:
    values = {
        "object": "Rénovation de l'école Jules-Ferry",
        "procedure": Procedure.MAPA,
        "kind": Kind.WORKS,
        "cpv_main": "45214200-2",
        "execution_place": "Commune",
        "execution_place_code": "21054",
        "estimated_amount": Decimal("180000"),
        "duration_months": 9,
        "status": Status.AWARDED,
        "published_at": datetime(2026, 1, 10, 9, 0, tzinfo=PARIS),
        "bid_deadline": datetime(2026, 2, 10, 12, 0, tzinfo=PARIS),
        **fields,
    }
    consultation = Consultation.objects.create(
        authority=authority, buyer_siret=siret, reference=reference, **values
    )
    for number in range(1, lots + 1):
        Lot.objects.create(
            consultation=consultation,
            number=number,
            object=f"Lot {number} : {['gros œuvre', 'couverture'][number % 2]}",
            cpv="45261210-9",
            estimated_amount=Decimal("90000"),
        )
    return consultation


def award(
    consultation, lot=None, *, amount="148750.40", notified_on=date(2026, 3, 2), holder=HOLDER, actor=None
):
    return open_contract(
        consultation=consultation,
        lot=lot,
        holder_siret=holder,
        holder_name="Toitures de Bourgogne",
        amount_ht=Decimal(amount),
        notified_on=notified_on,
        actor=actor,
    )


def complete(contract, actor, **changes):
    return complete_contract(contract=contract, actor=actor, data={**COMPLETION, **changes})


class ContractsTestCase(BaseTestCase):
    """Alice writes, Bob reads (authority A); Charlie writes in B. A has an awarded consultation
    with two lots; B has one awarded consultation without lots."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        grant(cls.alice, cls.authority_a, Access.WRITE)
        grant(cls.bob, cls.authority_a, Access.READ)
        grant(cls.charlie, cls.authority_b, Access.WRITE)
        cls.consultation = make_consultation(cls.authority_a, "2026-MAPA-01", siret=BUYER_A, lots=2)
        cls.lot1, cls.lot2 = cls.consultation.lots.order_by("number")
        cls.consultation_b = make_consultation(cls.authority_b, "B-2026-01", siret=BUYER_B)
