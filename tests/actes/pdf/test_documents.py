"""The stamped act and the bordereau of a real transaction, from its history and files."""

import datetime as dt
import io
import zoneinfo

from django.utils import timezone
from pypdf import PdfReader

from bouquet.actes.choices import FileRole
from bouquet.actes.errors import ActesServiceError
from bouquet.actes.pdf import documents
from bouquet.actes.services.apply_inbound_mail import apply_inbound_mail
from bouquet.actes.services.common import Document
from tests.actes.pdf.helpers import REAL_PDFS, make_pdf
from tests.actes.services import ministry
from tests.actes.services.helpers import ActesTestCase, make_mail


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


class DocumentsTestCase(ActesTestCase):
    def acknowledged(self, pdf: bytes):
        act = self.transmitted(document=Document("deliberation.pdf", pdf, "99_DE"))
        apply_inbound_mail(mail=make_mail(ministry.ar_acte(act)))
        act.refresh_from_db()
        return act

    def test_it_stamps_the_main_document_with_the_dates_of_the_history(self):
        original = REAL_PDFS["delib"].read_bytes()
        act = self.acknowledged(original)
        sent = act.history.get(status=3).at

        result = documents.stamped_act(act, published_at=dt.date(2025, 3, 20))

        self.assertTrue(result.stamped, result.warning)
        self.assertTrue(result.pdf.startswith(original))
        text = PdfReader(io.BytesIO(result.pdf)).pages[0].extract_text()
        paris = zoneinfo.ZoneInfo("Europe/Paris")
        self.assertIn(f"Envoyé en préfecture le {sent.astimezone(paris):%d/%m/%Y}", text)
        self.assertIn("Reçu en préfecture le 12/03/2025", text)  # ARActe/@DateReception
        self.assertIn("Publié le 20/03/2025", text)
        self.assertIn(f"ID : {act.id_acte}", text)

    def test_it_stamps_any_pdf_file_of_the_transaction(self):
        act = self.acknowledged(make_pdf())
        main = act.files.get(role=FileRole.MAIN)
        result = documents.stamped_file(main)
        self.assertTrue(result.stamped)
        self.assertIn(f"ID : {act.id_acte}", PdfReader(io.BytesIO(result.pdf)).pages[0].extract_text())

    def test_an_act_without_ar_gets_no_receipt_date(self):
        act = self.transmitted(document=Document("deliberation.pdf", make_pdf(), "99_DE"))
        self.assertIsNone(documents.received_at(act))
        text = PdfReader(io.BytesIO(documents.stamped_act(act).pdf)).pages[0].extract_text()
        self.assertIn("Reçu en préfecture le \n", text + "\n")

    def test_it_refuses_a_transaction_without_main_pdf(self):
        act = self.transmitted(document=Document("deliberation.pdf", make_pdf(), "99_DE"))
        act.files.filter(role=FileRole.MAIN).update(role=FileRole.ANNEX)
        with self.assertRaises(ActesServiceError):
            documents.stamped_act(act)

    def test_it_builds_the_bordereau_from_the_models(self):
        act = self.acknowledged(make_pdf())
        pdf = documents.transaction_bordereau(act)
        text = text_of(pdf)
        flat = "".join(text.split())
        self.assertIn("Collectivité : Commune A (SIREN 210100012)", text)
        self.assertIn("Utilisateur : alice Test <alice@a.example.test>", text)
        self.assertIn("Nature de l'acte\nDélibérations", text)
        self.assertIn("Numéro de l'acte\n2025_D001", text)
        self.assertIn("Date de la décision\n10/03/2025", text)
        self.assertIn("Documents papiers complémentaires\nNON", text)
        self.assertIn(f"Identifiant unique\n{act.id_acte}", text)
        self.assertIn("Reçu en préfecture le\n12/03/2025", text)
        self.assertRegex(text, r"Classification matières/sous-matières\n3\.2 - \S")
        main = act.files.get(role=FileRole.MAIN)
        for value in [main.original_name, main.business_name, main.stored_file.sha256, "Transmis au MI"]:
            self.assertIn("".join(value.split()), flat)
        self.assertIn("Reçu par le MI le 2025-03-12", text)
        self.assertNotIn("1-2_0.xml", flat)  # the AR is not a file of the archive sent

    def test_the_bordereau_shows_local_times(self):
        act = self.acknowledged(make_pdf())
        data = documents.bordereau_data(act)
        self.assertEqual(data.history[0].at.utcoffset(), timezone.localtime(act.created_at).utcoffset())
