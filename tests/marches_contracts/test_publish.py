"""Publication of the essential data: both official schemas first, nothing invalid published."""

import json
from datetime import date
from decimal import Decimal

from lxml import etree

from bouquet.core.models import JournalEntry
from bouquet.marches.contracts.errors import ContractError, DecpNotPublishable, IncompleteData, RightsError
from bouquet.marches.contracts.services.complete_contract import complete_contract
from bouquet.marches.contracts.services.publish_contract import publish_contract
from bouquet.marches.decp import Dataset, Marche, build_json, build_xml
from bouquet.marches.decp.mapping import from_json
from bouquet.marches.decp.schema import json_schema_findings, xml_schema_findings
from bouquet.marches.models import ConsultationEvent

from .base import ContractsTestCase, award, complete

TODAY = date(2026, 3, 20)


class PublishTestCase(ContractsTestCase):
    def test_a_complete_contract_is_published_valid_against_both_schemas(self):
        contract = complete(award(self.consultation, self.lot1), self.alice)
        contract = publish_contract(contract=contract, actor=self.alice, today=TODAY)
        self.assertTrue(contract.is_published)
        self.assertEqual(contract.published_on, TODAY)
        record = contract.published_record
        self.assertEqual(record["datePublicationDonnees"], "2026-03-20")
        self.assertEqual(record["acheteur"], {"id": "21010001200017"})
        self.assertEqual(record["montant"], 148750.4)
        dataset = Dataset(marches=(from_json(Marche, record, ""),))
        self.assertEqual(json_schema_findings(json.loads(build_json(dataset))), ())
        self.assertEqual(xml_schema_findings(etree.fromstring(build_xml(dataset))), ())
        self.assertTrue(ConsultationEvent.objects.filter(kind="contracts.published").exists())
        self.assertTrue(JournalEntry.objects.filter(action="marches_contracts.contract.publish").exists())

    def test_missing_data_are_named_in_french_and_nothing_is_published(self):
        contract = award(self.consultation, self.lot1)
        with self.assertRaises(IncompleteData) as caught:
            publish_contract(contract=contract, actor=self.alice)
        self.assertEqual(
            caught.exception.missing,
            [
                "nombre d'offres reçues",
                "types de prix",
                "forme du prix",
                "considérations sociales",
                "considérations environnementales",
            ],
        )
        contract.refresh_from_db()
        self.assertFalse(contract.is_published)

    def test_schema_errors_block_publication_with_explained_findings(self):
        contract = complete(
            award(self.consultation, self.lot1), self.alice, cpv="4521", place_code_type="Code postal"
        )
        with self.assertRaises(DecpNotPublishable) as caught:
            publish_contract(contract=contract, actor=self.alice)
        verdict = caught.exception.verdict
        self.assertTrue(any("code CPV de 8 chiffres" in f.message for f in verdict.json_findings))
        self.assertTrue(any("<codeCPV>" in f.message for f in verdict.xml_findings))
        contract.refresh_from_db()
        self.assertEqual((contract.status, contract.published_record), ("draft", {}))

    def test_coherence_rules_block_publication_too(self):
        contract = complete(
            award(self.consultation, self.lot1),
            self.alice,
            origin_eu=Decimal("0.2"),
            origin_france=Decimal("0.5"),
        )
        with self.assertRaises(DecpNotPublishable) as caught:
            publish_contract(contract=contract, actor=self.alice)
        self.assertIn("part de produits français", caught.exception.verdict.rule_findings[0].message)

    def test_the_threshold_is_40000_euros_excluded_below(self):
        at_threshold = complete(award(self.consultation, self.lot1, amount="40000"), self.alice)
        publish_contract(contract=at_threshold, actor=self.alice)
        below = complete(award(self.consultation, self.lot2, amount="39999.99"), self.alice)
        with self.assertRaisesMessage(ContractError, "sous le seuil de publication (40000 € HT)"):
            publish_contract(contract=below, actor=self.alice)

    def test_a_read_only_agent_cannot_complete_nor_publish(self):
        contract = award(self.consultation, self.lot1)
        with self.assertRaises(RightsError):
            complete(contract, self.bob)
        with self.assertRaises(RightsError):
            publish_contract(contract=complete(contract, self.alice), actor=self.bob)

    def test_published_data_no_longer_change(self):
        contract = publish_contract(
            contract=complete(award(self.consultation, self.lot1), self.alice), actor=self.alice
        )
        with self.assertRaisesMessage(ContractError, "Ajoutez une modification"):
            complete_contract(contract=contract, actor=self.alice, data={"amount_ht": Decimal("1")})
        with self.assertRaisesMessage(ContractError, "déjà publiées"):
            publish_contract(contract=contract, actor=self.alice)

    def test_an_identifier_taken_or_invalid_is_refused(self):
        first = award(self.consultation, self.lot1)
        second = award(self.consultation, self.lot2)
        with self.assertRaisesMessage(ContractError, "déjà pris"):
            complete_contract(contract=second, actor=self.alice, data={"decp_id": first.decp_id})
        with self.assertRaisesMessage(ContractError, "caractères à éviter"):
            complete_contract(contract=second, actor=self.alice, data={"decp_id": "2026;L2"})
