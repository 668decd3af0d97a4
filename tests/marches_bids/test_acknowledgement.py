"""The acknowledgement (PDF and e-mail) says who deposited, for which buyer and consultation, when to
the second, and each file with its SHA-256 — the same values a company computes on its copy."""

import hashlib
import io
import os
import re

from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from bouquet.marches.bids.models import Deposit
from bouquet.marches.bids.pdf.common import local
from tests.marches_bids.helpers import CHUNK, BidsTestCase, at, deposit


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


class AcknowledgementTestCase(BidsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.files = {
            "candidature": [("DC1 candidature.pdf", os.urandom(300))],
            "lot-1": [("Offre lot 1.pdf", os.urandom(CHUNK * 2 + 7)), ("BPU lot 1.xlsx", os.urandom(50))],
            "lot-2": [("Offre lot 2.pdf", os.urandom(CHUNK))],
        }

    def _deposit(self) -> Deposit:
        with at(self.before(3600).replace(second=37)):
            return deposit(self.consultation, self.dupont, self.routes, self.files)

    def test_the_pdf_names_the_parties_the_time_to_the_second_and_every_hash(self):
        result = self._deposit()
        self.login(self.dupont)
        response = self.client.get(reverse("marches_bids:ack_pdf", args=[result.uuid]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = pdf_text(response.content)
        self.assertIn("Accusé de réception", text)
        for expected in [
            "Routes et Cie",
            self.routes.siret,
            self.dupont.email,
            self.authority_a.name,
            self.consultation.buyer_siret,
            self.consultation.reference,
            self.consultation.object,
            local(result.received_at),
        ]:
            self.assertIn(expected, text)
        self.assertRegex(local(result.received_at), r"\d{2}/\d{2}/\d{4} à \d{2}:\d{2}:37")
        for items in self.files.values():
            for name, data in items:
                self.assertIn(name, text)
                self.assertIn(hashlib.sha256(data).hexdigest(), text)
        self.assertNotIn("HORS DÉLAI", text.upper().replace("APRÈS", ""))
        self.assertEqual(hashlib.sha256(response.content).hexdigest(), result.ack_sha256)

    def test_the_email_goes_to_the_depositor_and_the_company_with_the_pdf(self):
        result = self._deposit()
        message = mail.outbox[-1]
        self.assertEqual(sorted(message.to), [self.dupont.email])  # the company's contact address is the same
        self.assertIn(self.consultation.reference, message.subject)
        for items in self.files.values():
            for name, data in items:
                self.assertIn(f"{name} ({len(data)} octets)", message.body)
                self.assertIn(f"SHA-256 : {hashlib.sha256(data).hexdigest()}", message.body)
        _, content, mimetype = message.attachments[0]
        self.assertEqual(mimetype, "application/pdf")
        self.assertEqual(hashlib.sha256(content).hexdigest(), result.ack_sha256)
        self.assertRegex(message.body, r"Date et heure de réception : \d{2}/\d{2}/\d{4} à \d{2}:\d{2}:\d{2}")

    def test_a_late_deposit_says_so_in_its_acknowledgement(self):
        with at(self.after(1)):
            result = deposit(self.consultation, self.dupont, self.routes, {"lot-1": [("o.pdf", b"tard")]})
        text = pdf_text(self.client_pdf(result))
        self.assertIn("APRÈS", text)
        self.assertIn("non — reçu hors délai", text)

    def test_another_company_cannot_fetch_the_acknowledgement(self):
        result = self._deposit()
        self.login(self.martin)
        self.assertEqual(
            self.client.get(reverse("marches_bids:ack_pdf", args=[result.uuid])).status_code, 404
        )
        self.login(self.alice)
        self.assertEqual(
            self.client.get(reverse("marches_bids:ack_pdf", args=[result.uuid])).status_code, 403
        )

    def client_pdf(self, result) -> bytes:
        self.login(self.dupont)
        return self.client.get(reverse("marches_bids:ack_pdf", args=[result.uuid])).content


def test_hash_lines_fit_on_one_line_of_the_pdf():
    """A SHA-256 cut in two would not be found by a search in the PDF."""
    from datetime import UTC, datetime

    from bouquet.marches.bids.pdf.acknowledgement import AckData, AckFile, acknowledgement_pdf

    digest = hashlib.sha256(b"x").hexdigest()
    now = datetime(2026, 3, 2, 15, 4, 5, tzinfo=UTC)
    data = AckData(
        "u",
        1,
        "E",
        "1",
        "D",
        "d@e.test",
        "B",
        "2",
        "R",
        "O" * 900,
        now,
        now,
        now,
        False,
        True,
        (AckFile("Offre — lot 1", "n" * 180 + ".pdf", 5, digest),),
        "0" * 64,
    )
    text = pdf_text(acknowledgement_pdf(data))
    assert re.search(rf"SHA-256 : {digest}", text)
    assert "ENTRAÎNEMENT" in text
