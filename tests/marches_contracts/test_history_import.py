"""Import of a previous platform's Excel export: tolerant headers and dates, nothing twice,
bad files refused clearly, searchable read-only history."""

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from bouquet.core.audit import Actor
from bouquet.core.models import JournalEntry
from bouquet.marches.contracts.errors import HistoryImportError, RightsError
from bouquet.marches.contracts.models import ImportedConsultation
from bouquet.marches.contracts.services.import_history import import_history

from .base import PARIS, ContractsTestCase
from .workbooks import HEADERS, ROWS, legacy_export


class HistoryImportTestCase(ContractsTestCase):
    def _import(self, data: bytes, name: str = "export-consultations.xlsx", actor=None):
        return import_history(authority=self.authority_a, actor=actor or self.alice, data=data, filename=name)

    def test_it_reads_tolerant_headers_dates_and_amounts(self):
        report = self._import(legacy_export())
        self.assertEqual((report.sheet, report.created, report.already), ("Consultations", 4, 0))
        self.assertEqual(report.ignored, ["Montant TTC", "Commentaire"])
        voirie = ImportedConsultation.objects.get(reference="2021-TX-004")
        self.assertEqual(voirie.object, "Réfection de la voirie communale")
        self.assertEqual(voirie.published_on, date(2021, 3, 1))
        self.assertEqual(voirie.bid_deadline, datetime(2021, 4, 15, 12, 0, tzinfo=PARIS))
        self.assertEqual(
            (voirie.estimated_amount, voirie.amount_ht), (Decimal("185000.00"), Decimal("172450.50"))
        )
        self.assertEqual((voirie.holder_siret, voirie.notified_on), ("73282932000074", date(2021, 6, 2)))
        self.assertEqual(
            voirie.extra, {"Montant TTC": "206 940,60 €", "Commentaire": "Marché exécuté sans avenant"}
        )
        self.assertEqual((voirie.source_sheet, voirie.source_row), ("Consultations", 4))
        lot1, lot2 = ImportedConsultation.objects.filter(reference="2022-FCS-011").order_by("lot")
        self.assertEqual((lot1.lot, lot2.lot, lot2.lot_object), ("1", "2", "Produits bio"))
        self.assertEqual(lot1.bid_deadline, datetime(2022, 2, 21, 16, 0, tzinfo=PARIS))
        self.assertEqual(lot2.bid_deadline, datetime(2022, 2, 21, 16, 0, tzinfo=PARIS))
        self.assertEqual(
            (lot1.notified_on, lot1.duration_months, lot1.offers_received), (date(2022, 3, 14), 48, 4)
        )
        infructueuse = ImportedConsultation.objects.get(reference="2023-SV-002")
        self.assertEqual(infructueuse.published_on, date(2023, 3, 15))  # Excel serial 45000
        self.assertEqual((infructueuse.status, infructueuse.holder_name), ("Infructueuse", ""))
        self.assertTrue(infructueuse.is_imported)
        self.assertTrue(JournalEntry.objects.filter(action="marches_contracts.history.import").exists())

    def test_a_second_run_imports_nothing_twice(self):
        self._import(legacy_export())
        report = self._import(legacy_export())
        self.assertEqual((report.created, report.already), (0, 4))
        more = [[*ROWS[0][:1], *ROWS[0][1:]], ["2024-TX-001", "Éclairage public", *[None] * 17]]
        more[0][0] = "2021-TX-004"
        report = self._import(legacy_export(more))
        self.assertEqual((report.created, report.already), (1, 1))
        self.assertEqual(ImportedConsultation.objects.count(), 5)

    def test_other_spellings_of_the_headers_are_understood(self):
        headers = [
            "REFERENCE",
            "objet de la consultation",
            "Procedure",
            "DLRO",
            "Titulaire(s)",
            "Montant HT",
            "Date d'attribution",
        ]
        rows = [
            [
                "R-1",
                "Entretien des espaces verts",
                "MAPA",
                "02.05.2023 09h30",
                "Jardins & Cie",
                "12.345,60",
                "2023-06-01",
            ]
        ]
        self._import(legacy_export(rows, headers, title_rows=0))
        row = ImportedConsultation.objects.get(reference="R-1")
        self.assertEqual(row.bid_deadline, datetime(2023, 5, 2, 9, 30, tzinfo=PARIS))
        self.assertEqual(
            (row.amount_ht, row.awarded_on, row.holder_name),
            (Decimal("12345.60"), date(2023, 6, 1), "Jardins & Cie"),
        )

    def test_unreadable_lines_are_all_listed_and_nothing_is_imported(self):
        rows = [list(ROWS[0]), list(ROWS[1]), list(ROWS[1])]
        rows[0][7] = "le 3 du mois"
        rows[0][12] = "123"
        rows[1][13] = "beaucoup"
        with self.assertRaises(HistoryImportError) as caught:
            self._import(legacy_export(rows))
        self.assertIn("Rien n'a été importé : 4 problèmes", caught.exception.message)
        self.assertEqual(
            caught.exception.problems,
            [
                "Ligne 4, colonne « Date de mise en ligne » : "
                "« le 3 du mois » n'est pas une date (ex. 15/03/2023).",
                "Ligne 4, colonne « SIRET titulaire » : « 123 » n'est pas un SIRET de 14 chiffres.",
                "Ligne 5, colonne « Montant attribué (€ HT) » : "
                "« beaucoup » n'est pas un montant (ex. 12 345,67).",
                "Ligne 6 : la consultation 2022-FCS-011, lot 1 figure déjà ligne 5.",
            ],
        )
        self.assertFalse(ImportedConsultation.objects.exists())

    def test_bad_files_are_refused_clearly(self):
        valid = legacy_export()
        broken_zip = io.BytesIO()
        with zipfile.ZipFile(broken_zip, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("xl/workbook.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><workbook/>')
        cases = [
            (b"reference;objet\n2021-01;Voirie\n", "n'est pas un classeur Excel .xlsx"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "enregistrez-le au format .xlsx"),
            (valid[:2000], "est endommagé"),
            (broken_zip.getvalue(), "déclarations XML interdites"),
            (legacy_export(headers=["Colonne A", "Colonne B"]), "n'a de ligne d'en-têtes reconnue"),
            (legacy_export([["R-9", None]], ["Référence", "Objet"]), "la colonne « Objet » est vide"),
            (
                legacy_export(headers=["Référence", "Montant"], rows=[["R-1", 10]]),
                "Colonne obligatoire introuvable : Objet",
            ),
        ]
        for data, message in cases:
            with self.subTest(message=message), self.assertRaises(HistoryImportError) as caught:
                self._import(data)
            text = " ".join([caught.exception.message, *caught.exception.problems])
            self.assertIn(message, text)
        self.assertFalse(ImportedConsultation.objects.exists())

    def test_a_read_only_agent_cannot_import(self):
        with self.assertRaises(RightsError):
            self._import(legacy_export(), actor=self.bob)

    def test_the_pages_search_the_read_only_history(self):
        import_history(
            authority=self.authority_b,
            actor=Actor.system(),
            data=legacy_export([["B-1", "Piscine"]], ["Référence", "Objet"]),
            filename="b.xlsx",
        )
        self.login(self.alice)
        upload = SimpleUploadedFile("export.xlsx", legacy_export())
        response = self.client.post(
            reverse("marches_contracts:history_import"), {"file": upload}, follow=True
        )
        self.assertContains(response, "4 consultation(s) importée(s)")
        response = self.client.get(reverse("marches_contracts:history"), {"q": "cantine"})
        self.assertContains(response, "2022-FCS-011")
        self.assertContains(response, "importée")
        self.assertNotContains(response, "2021-TX-004")
        self.assertNotContains(response, "Piscine")
        row = ImportedConsultation.objects.get(reference="2021-TX-004")
        response = self.client.get(reverse("marches_contracts:history_detail", args=[row.pk]))
        self.assertContains(response, "lecture seule")
        self.assertContains(response, "Marché exécuté sans avenant")
        response = self.client.post(
            reverse("marches_contracts:history_import"),
            {"file": SimpleUploadedFile("notes.xlsx", b"pas un classeur")},
        )
        self.assertContains(response, "n&#x27;est pas un classeur Excel .xlsx")
        self.login(self.bob)
        self.assertEqual(self.client.get(reverse("marches_contracts:history_import")).status_code, 403)

    def test_the_command_imports_for_a_siren_and_twice_imports_nothing(self):
        with TemporaryDirectory() as folder:
            path = Path(folder) / "export.xlsx"
            path.write_bytes(legacy_export())
            out = io.StringIO()
            call_command("marches", "import-history", str(path), "--siren", "210100012", stdout=out)
            self.assertIn("4 consultation(s) importée(s), 0 déjà présente(s)", out.getvalue())
            out = io.StringIO()
            call_command("marches", "import-history", str(path), "--siren", "210100012", stdout=out)
            self.assertIn("0 consultation(s) importée(s), 4 déjà présente(s)", out.getvalue())
            with self.assertRaisesMessage(CommandError, "Aucune collectivité de SIREN 999999999"):
                call_command("marches", "import-history", str(path), "--siren", "999999999")
            path.write_bytes(b"not excel")
            with self.assertRaisesMessage(CommandError, "n'est pas un classeur Excel"):
                call_command(
                    "marches", "import-history", str(path), "--siren", "210100012", stderr=io.StringIO()
                )
        self.assertEqual(ImportedConsultation.objects.count(), 4)


def test_the_documented_headers_cover_the_test_workbook():
    from bouquet.marches.contracts.history_excel import match_header

    assert [h for h in HEADERS if match_header(h) is None] == ["Montant TTC", "Commentaire"]
