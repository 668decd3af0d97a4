"""The operator's open-data files: public, valid against both schemas, published records only;
the buyer profile declaration; ``bouquet marches decp-export``."""

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from lxml import etree

from bouquet.core.models import Siret
from bouquet.marches.contracts.services.add_modification import add_modification
from bouquet.marches.contracts.services.publish_contract import publish_contract
from bouquet.marches.decp.schema import json_schema_findings, xml_schema_findings

from .base import BUYER_A, BUYER_B, ContractsTestCase, award, complete


class OpenDataTestCase(ContractsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        published = publish_contract(
            contract=complete(award(cls.consultation, cls.lot1), cls.alice), actor=cls.alice
        )
        add_modification(
            contract=published,
            actor=cls.alice,
            reason="Avenant n° 1",
            notified_on=date.today(),
            amount_ht=Decimal("160000"),
        )
        award(cls.consultation, cls.lot2, amount="90000")  # a draft: never in the open data
        publish_contract(
            contract=complete(award(cls.consultation_b, amount="61000"), cls.charlie), actor=cls.charlie
        )

    def _urls(self, name):
        return reverse(f"marches_contracts:opendata_{name}", args=[self.operator.pk])

    def test_the_json_dataset_is_public_valid_and_holds_only_published_records(self):
        response = self.client.get(self._urls("json"))  # anonymous
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        document = json.loads(response.content)
        self.assertEqual(json_schema_findings(document), ())
        records = document["marches"]["marche"]
        self.assertEqual([r["acheteur"]["id"] for r in records], [BUYER_A, BUYER_B])
        self.assertEqual(records[0]["modifications"][0]["modification"]["montant"], 160000)
        self.assertNotIn(b"2026-MAPA-01-L2", response.content)

    def test_the_xml_dataset_is_valid_against_the_xsd(self):
        response = self.client.get(self._urls("xml"))
        root = etree.fromstring(response.content)
        self.assertEqual(xml_schema_findings(root), ())
        self.assertEqual(len(root.findall("marche")), 2)
        self.assertEqual(root.findtext("marche/modifications/modification/montant"), "160000")

    @override_settings(MARCHES_PUBLIC_URL="https://marches.example.test/")
    def test_the_profile_declaration_lists_every_subscribed_buyer(self):
        Siret.objects.create(authority=self.authority_a, siret="21010001200025", label="Budget eau")
        rows = list(csv.reader(io.StringIO(self.client.get(self._urls("dpa")).content.decode("utf-8"))))
        self.assertEqual(rows[0], ["siretAcheteur", "urlProfilAcheteur", "urlDCAT", "coordonnees"])
        self.assertEqual([r[0] for r in rows[1:]], [BUYER_A, "21010001200025", BUYER_B])
        self.assertEqual(rows[1][1], "https://marches.example.test/consultations/?buyer=Commune+A")
        self.assertEqual(rows[1][3], "Commune A")

    def test_an_unknown_operator_is_404(self):
        response = self.client.get(reverse("marches_contracts:opendata_json", args=[999]))
        self.assertEqual(response.status_code, 404)

    def test_the_index_page_links_the_files(self):
        response = self.client.get(reverse("marches_contracts:opendata"))
        self.assertContains(response, "2 marchés publiés")
        self.assertContains(response, self._urls("xml"))

    def test_decp_export_writes_both_datasets_and_prints_their_paths(self):
        out = io.StringIO()
        with TemporaryDirectory() as folder:
            call_command("marches", "decp-export", "--output", folder, stdout=out, stderr=io.StringIO())
            paths = [Path(line) for line in out.getvalue().splitlines()]
            self.assertEqual(
                [p.name for p in paths],
                [
                    "decp-operateur-de-test.json",
                    "decp-operateur-de-test.xml",
                    "profils-acheteurs-operateur-de-test.csv",
                ],
            )
            self.assertEqual(json_schema_findings(json.loads(paths[0].read_bytes())), ())
            self.assertEqual(xml_schema_findings(etree.fromstring(paths[1].read_bytes())), ())
            self.assertIn(BUYER_B, paths[2].read_text())

    def test_decp_export_with_an_unknown_operator_fails_clearly(self):
        with TemporaryDirectory() as folder, self.assertRaisesMessage(CommandError, "Aucun opérateur"):
            call_command("marches", "decp-export", "--output", folder, "--operator", "999")


class DecpCheckCommandTestCase(ContractsTestCase):
    FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "decp"

    def _run(self, path) -> tuple[str, int]:
        out = io.StringIO()
        try:
            call_command("marches", "decp-check", str(path), stdout=out, stderr=out)
        except SystemExit as exc:
            return out.getvalue(), exc.code
        return out.getvalue(), 0

    def test_it_diagnoses_any_decp_file(self):
        text, code = self._run(self.FIXTURES / "xml" / "Marche.xml")
        self.assertEqual((code, text.splitlines()[-1]), (0, "Conforme."))
        text, code = self._run(self.FIXTURES / "json" / "marches_avec_modifications.json")
        self.assertEqual(code, 1)
        self.assertIn("règles de cohérence — marché n° 1 (TEST2022) › acheteur", text)
        with TemporaryDirectory() as folder:
            bad = Path(folder) / "bad.xml"
            bad.write_bytes(b'<!DOCTYPE m [<!ENTITY a "b">]><marches/>')
            text, code = self._run(bad)
        self.assertEqual(code, 2)
        self.assertIn("DOCTYPE et ENTITY sont interdites", text)
