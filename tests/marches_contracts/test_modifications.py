"""Modifications (avenants): appended to the published record, which stays valid and append-only."""

import json
from datetime import date
from decimal import Decimal

from lxml import etree

from bouquet.marches.contracts.errors import ContractError, DecpNotPublishable, RightsError
from bouquet.marches.contracts.models import ContractModification
from bouquet.marches.contracts.services.add_modification import add_modification
from bouquet.marches.contracts.services.publish_contract import publish_contract
from bouquet.marches.decp import Dataset, Marche, build_json, build_xml
from bouquet.marches.decp.mapping import from_json
from bouquet.marches.decp.schema import json_schema_findings, xml_schema_findings

from .base import OTHER_HOLDER, ContractsTestCase, award, complete


class ModificationTestCase(ContractsTestCase):
    def setUp(self):
        contract = complete(award(self.consultation, self.lot1), self.alice)
        self.contract = publish_contract(contract=contract, actor=self.alice, today=date(2026, 3, 9))

    def _modify(self, **changes):
        values = {
            "reason": "Travaux supplémentaires de charpente",
            "notified_on": date(2026, 6, 15),
            "amount_ht": Decimal("161200"),
            "today": date(2026, 6, 20),
        }
        return add_modification(contract=self.contract, actor=self.alice, **{**values, **changes})

    def test_a_modification_is_published_and_the_record_stays_valid_in_both_forms(self):
        self._modify()
        self._modify(
            reason="Changement de titulaire (cession)",
            amount_ht=None,
            duration_months=12,
            holders=[{"id": OTHER_HOLDER, "name": "Charpentes du Morvan"}],
            notified_on=date(2026, 9, 1),
            today=date(2026, 9, 3),
        )
        self.contract.refresh_from_db()
        record = self.contract.published_record
        # Initial data untouched (append-only), changes in "modifications".
        self.assertEqual((record["montant"], record["datePublicationDonnees"]), (148750.4, "2026-03-09"))
        first, second = (m["modification"] for m in record["modifications"])
        self.assertEqual(
            (first["id"], first["montant"], first["datePublicationDonneesModification"]),
            (1, 161200, "2026-06-20"),
        )
        self.assertEqual((second["id"], second["dureeMois"]), (2, 12))
        self.assertEqual(
            second["titulaires"], [{"titulaire": {"id": OTHER_HOLDER, "typeIdentifiant": "SIRET"}}]
        )
        dataset = Dataset(marches=(from_json(Marche, record, ""),))
        self.assertEqual(json_schema_findings(json.loads(build_json(dataset))), ())
        self.assertEqual(xml_schema_findings(etree.fromstring(build_xml(dataset))), ())
        self.assertEqual(
            list(self.contract.modifications.values_list("number", "published_on")),
            [(1, date(2026, 6, 20)), (2, date(2026, 9, 3))],
        )

    def test_refusals_change_nothing(self):
        cases = [
            ({"amount_ht": None}, "au moins le montant, la durée ou les titulaires"),
            ({"reason": "  "}, "Décrivez l'objet"),
            ({"notified_on": date(2026, 2, 1)}, "avant le marché lui-même"),
            ({"signed_on": date(2026, 7, 1)}, "notifiée après avoir été signée"),
            ({"amount_ht": Decimal("0")}, "au moins 1 € HT"),
            ({"holders": [{"id": "55204599900868"}]}, "n'est pas valide"),
        ]
        for changes, message in cases:
            with self.subTest(message=message), self.assertRaisesMessage(ContractError, message):
                self._modify(**changes)
        with self.assertRaises(RightsError):
            add_modification(
                contract=self.contract,
                actor=self.bob,
                reason="x",
                notified_on=date(2026, 6, 1),
                amount_ht=Decimal("2"),
            )
        self.assertFalse(ContractModification.objects.exists())

    def test_a_modification_breaking_a_rule_is_refused_with_the_verdict(self):
        with self.assertRaises(DecpNotPublishable) as caught:
            self._modify(today=date(2026, 6, 1))  # published before it was notified
        self.assertIn(
            "précède la date de notification de la modification",
            caught.exception.verdict.rule_findings[0].message,
        )
        self.contract.refresh_from_db()
        self.assertNotIn("modifications", self.contract.published_record)

    def test_data_due_for_publication_must_be_published_before_a_modification(self):
        draft = complete(award(self.consultation, self.lot2), self.alice)
        with self.assertRaisesMessage(ContractError, "Publiez d'abord"):
            add_modification(
                contract=draft,
                actor=self.alice,
                reason="x",
                notified_on=date(2026, 6, 1),
                amount_ht=Decimal("100000"),
            )

    def test_below_the_threshold_a_modification_is_kept_without_publication(self):
        small = award(self.consultation, self.lot2, amount="25000")
        modification = add_modification(
            contract=small,
            actor=self.alice,
            reason="Prolongation",
            notified_on=date(2026, 5, 1),
            duration_months=12,
        )
        self.assertIsNone(modification.published_on)
        self.assertEqual(small.published_record, {})
