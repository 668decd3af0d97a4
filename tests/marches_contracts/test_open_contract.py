"""``open_contract``: the contract of an awarded lot, with what the consultation already knows."""

from datetime import date, datetime
from decimal import Decimal

from bouquet.core.models import JournalEntry
from bouquet.marches.bids.models import Deposit, Envelope
from bouquet.marches.contracts.errors import ContractError
from bouquet.marches.contracts.models import Contract
from bouquet.marches.contracts.services import open_contract
from bouquet.marches.models import Company, ConsultationEvent

from .base import BUYER_A, PARIS, ContractsTestCase, award, make_consultation


class OpenContractTestCase(ContractsTestCase):
    def test_it_fills_the_essential_data_known_from_the_consultation(self):
        contract = award(self.consultation, self.lot2, actor=self.alice)
        self.assertEqual(contract.authority, self.authority_a)
        self.assertEqual(contract.buyer_siret, BUYER_A)
        self.assertEqual(contract.decp_id, "2026-MAPA-01-L2")
        self.assertEqual(contract.object, "Rénovation de l'école Jules-Ferry — lot 2 : Lot 2 : gros œuvre")
        self.assertEqual(contract.cpv, "45261210-9")  # the lot's, not the consultation's
        self.assertEqual(contract.procedure, "Procédure adaptée")
        self.assertEqual(contract.ccag, "Travaux")
        self.assertEqual((contract.place_code, contract.place_code_type), ("21054", "Code commune"))
        self.assertEqual(contract.duration_months, 9)
        self.assertEqual(
            contract.holders, [{"id": "73282932000074", "type": "SIRET", "name": "Toitures de Bourgogne"}]
        )
        self.assertEqual(contract.amount_ht, Decimal("148750.40"))
        self.assertFalse(contract.is_published)

    def test_it_writes_the_history_and_the_journal(self):
        contract = award(self.consultation, self.lot1, actor=self.alice)
        event = ConsultationEvent.objects.get(consultation=self.consultation, kind="contracts.opened")
        self.assertIn(contract.decp_id, event.message)
        self.assertIn("Toitures de Bourgogne", event.message)
        entry = JournalEntry.objects.get(action="marches_contracts.contract.open")
        self.assertEqual((entry.authority, entry.object_id), (self.authority_a, str(contract.pk)))

    def test_the_exact_signature_the_bids_app_uses_works_with_a_datetime(self):
        contract = open_contract(
            consultation=self.consultation,
            lot=self.lot1,
            holder_siret="73282932000074",
            holder_name="Toitures de Bourgogne",
            amount_ht=Decimal("90000"),
            notified_on=datetime(2026, 3, 2, 23, 30, tzinfo=PARIS),
            actor=None,
        )
        self.assertEqual(contract.notified_on, date(2026, 3, 2))

    def test_a_second_award_of_the_same_lot_updates_instead_of_duplicating(self):
        first = award(self.consultation, self.lot1)
        again = award(self.consultation, self.lot1, amount="95000", holder="55204599900869")
        self.assertEqual(first.pk, again.pk)
        self.assertEqual(Contract.objects.filter(consultation=self.consultation).count(), 1)
        again.refresh_from_db()
        self.assertEqual((again.amount_ht, again.holders[0]["id"]), (Decimal("95000"), "55204599900869"))

    def test_a_published_contract_is_never_reopened(self):
        contract = award(self.consultation, self.lot1)
        Contract.objects.filter(pk=contract.pk).update(status="published")
        with self.assertRaisesMessage(ContractError, "passe par une modification"):
            award(self.consultation, self.lot1, amount="1000000")

    def test_bad_input_is_refused_and_creates_nothing(self):
        other = make_consultation(self.authority_a, "2026-AUTRE", siret=BUYER_A, lots=1)
        cases = [
            ({"lot": other.lots.get()}, "n'appartient pas à cette consultation"),
            ({"lot": None}, "est allotie"),
            ({"holder": "73282932000075"}, "n'est pas valide"),
            ({"amount": "0"}, "au moins 1 € HT"),
        ]
        for changes, message in cases:
            lot = changes.pop("lot", self.lot1)
            with self.subTest(message=message), self.assertRaisesMessage(ContractError, message):
                award(self.consultation, lot, **changes)
        self.assertFalse(Contract.objects.exists())

    def test_an_unusable_reference_gives_a_sequential_identifier(self):
        consultation = make_consultation(self.authority_a, "2026 MAPA;07", siret=BUYER_A)
        contract = award(consultation, notified_on=date(2026, 4, 1))
        self.assertEqual(contract.decp_id, "2026-MAPA-07")  # space and ; replaced
        near = make_consultation(self.authority_a, "BEAUNE-2025-09", siret=BUYER_A, lots=1)
        contract = award(near, near.lots.get(), notified_on=date(2026, 4, 1))
        self.assertEqual(contract.decp_id, "BEAUNE-2025-09L1")  # "-L1" would make 17 characters
        long_ref = make_consultation(self.authority_a, "2026-TRAVAUX-001", siret=BUYER_A, lots=1)
        contract = award(long_ref, long_ref.lots.get(), notified_on=date(2026, 4, 1))
        self.assertEqual(contract.decp_id, "2026M0001")  # "2026-TRAVAUX-001L1" is over 16 characters

    def test_offers_received_counts_companies_with_an_offer_in_time(self):
        for n, late in enumerate((False, False, True), 1):
            company = Company.objects.create(
                siret=["73282932000074", "55204599900869", "44306184100047"][n - 1],
                name=f"Entreprise {n}",
                address="1 rue",
                postal_code="21000",
                city="Dijon",
                email=f"e{n}@example.test",
            )
            deposit = Deposit.objects.create(
                authority=self.authority_a,
                consultation=self.consultation,
                company=company,
                depositor=self.bob,
                status="received",
                declared_size=10,
                is_late=late,
                number=n,
            )
            Envelope.objects.create(deposit=deposit, kind="offer", lot=self.lot1)
        contract = award(self.consultation, self.lot1)
        self.assertEqual(contract.offers_received, 2)
        self.assertIsNone(award(self.consultation, self.lot2).offers_received)
