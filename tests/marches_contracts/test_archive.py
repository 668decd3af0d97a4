"""The archive export of a consultation: documents, deposits, messages, history, Excel summary."""

import hashlib
import io
import zipfile
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from bouquet.core.models import JournalEntry
from bouquet.marches.bids.models import Deposit, DepositFile, Envelope, Message
from bouquet.marches.contracts.services.add_modification import add_modification
from bouquet.marches.contracts.services.publish_contract import publish_contract
from bouquet.marches.models import Company, ConsultationEvent, DceFile, Download, NoticeVersion, Question
from bouquet.marches.services.history import add_event

from .base import ContractsTestCase, award, complete

PDF = b"%PDF-1.4 reglement de consultation"


class ArchiveTestCase(ContractsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        c = cls.consultation
        digest = hashlib.sha256(PDF).hexdigest()
        path = f"marches/dce/{digest[:2]}/{digest}"
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile(PDF))
        DceFile.objects.create(
            consultation=c,
            name="RC.pdf",
            sha256=digest,
            size=len(PDF),
            mime_type="application/pdf",
            format_label="PDF",
            path=path,
        )
        NoticeVersion.objects.create(consultation=c, number=1, text="Avis de marché : rénovation de l'école.")
        cls.company = Company.objects.create(
            siret="73282932000074",
            name='=HYPERLINK("http://x") ../../Toitures',
            address="1 rue",
            postal_code="21000",
            city="Dijon",
            email="contact@toitures.example.test",
        )
        Question.objects.create(
            consultation=c,
            company=cls.company,
            asked_by=cls.bob,
            text="Visite obligatoire ?",
            answer="Non, facultative.",
        )
        Download.objects.create(
            consultation=c, version=1, ip="192.0.2.7", email="veille@example.test", is_archive=True
        )
        late = Deposit.objects.create(
            authority=cls.authority_a,
            consultation=c,
            company=cls.company,
            depositor=cls.bob,
            status="received",
            declared_size=10,
            number=1,
            is_late=True,
        )
        envelope = Envelope.objects.create(deposit=late, kind="offer", lot=cls.lot1)
        DepositFile.objects.create(envelope=envelope, name="offre.pdf", size=10, sha256="a" * 64)
        Message.objects.create(
            authority=cls.authority_a,
            consultation=c,
            company=cls.company,
            direction="to_company",
            kind="information",
            subject="Information",
            body="Bonjour",
            sent_by=cls.alice,
            digest="b" * 64,
        )
        add_event(c, "published", "Consultation publiée.", cls.alice)
        contract = publish_contract(contract=complete(award(c, cls.lot1), cls.alice), actor=cls.alice)
        add_modification(
            contract=contract, actor=cls.alice, reason="Avenant", notified_on=date.today(), duration_months=12
        )

    def _archive(self) -> zipfile.ZipFile:
        self.login(self.alice)
        response = self.client.get(reverse("marches_contracts:archive", args=[self.consultation.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/zip")
        self.assertIn("archive-2026-MAPA-01-", response["Content-Disposition"])
        return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    def test_the_zip_holds_every_register_and_document(self):
        archive = self._archive()
        names = set(archive.namelist())
        for expected in (
            "LISEZMOI.txt",
            "synthese.xlsx",
            "avis/avis-version-1.txt",
            "dce/v1 - RC.pdf",
            "questions-reponses.csv",
            "registre-des-retraits.csv",
            "echanges/messages.csv",
            "historique-des-evenements.csv",
            "contrats/2026-MAPA-01-L1/donnees-essentielles.json",
            "contrats/2026-MAPA-01-L1/donnees-essentielles.xml",
            "contrats/2026-MAPA-01-L1/contrat.json",
        ):
            self.assertIn(expected, names)
        self.assertEqual(archive.read("dce/v1 - RC.pdf"), PDF)
        self.assertIn("Visite obligatoire ?", archive.read("questions-reponses.csv").decode("utf-8-sig"))
        self.assertIn(
            "Consultation publiée.", archive.read("historique-des-evenements.csv").decode("utf-8-sig")
        )
        self.assertIn(b"<modification>", archive.read("contrats/2026-MAPA-01-L1/donnees-essentielles.xml"))

    def test_entry_names_never_leave_the_archive(self):
        for name in self._archive().namelist():
            self.assertFalse(name.startswith("/") or ".." in name.split("/"), name)

    def test_a_late_bid_stays_sealed_and_is_only_listed(self):
        archive = self._archive()
        self.assertFalse([n for n in archive.namelist() if n.endswith("offre.pdf")])
        workbook = load_workbook(io.BytesIO(archive.read("synthese.xlsx")))
        rows = list(workbook["Fichiers des plis"].values)
        self.assertEqual(rows[1][2:], ("offre.pdf", 10, "a" * 64, "non : pli hors délai, conservé scellé"))
        self.assertTrue(rows[1][0] == 1)

    def test_the_excel_summary_has_one_sheet_per_register_and_no_formula(self):
        workbook = load_workbook(io.BytesIO(self._archive().read("synthese.xlsx")))
        self.assertEqual(
            workbook.sheetnames,
            [
                "Consultation",
                "Lots",
                "DCE",
                "Questions",
                "Retraits",
                "Plis",
                "Fichiers des plis",
                "Attributions",
                "Échanges",
                "Contrats",
                "Conservation",
                "Historique",
            ],
        )
        plis = list(workbook["Plis"].values)
        self.assertEqual(plis[1][1], '=HYPERLINK("http://x") ../../Toitures')
        self.assertEqual(workbook["Plis"]["B2"].data_type, "s")  # text, not a formula
        contracts = list(workbook["Contrats"].values)
        self.assertEqual(contracts[1][0], "2026-MAPA-01-L1")
        self.assertEqual(contracts[1][6], 1)

    def test_the_export_is_in_the_history_and_the_journal(self):
        self._archive()
        self.assertTrue(
            ConsultationEvent.objects.filter(
                consultation=self.consultation, kind="contracts.archive"
            ).exists()
        )
        self.assertTrue(JournalEntry.objects.filter(action="marches_contracts.archive.export").exists())

    def test_only_agents_with_write_access_of_the_buyer_export(self):
        url = reverse("marches_contracts:archive", args=[self.consultation.pk])
        self.login(self.bob)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.charlie)
        self.assertEqual(self.client.get(url).status_code, 404)
