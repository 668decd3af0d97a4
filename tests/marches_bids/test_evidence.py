"""Evidence for disputes: each deposit's chained log (start, every piece, refusals, validation,
acknowledgement, server load), the health history, and the PDF report for the consultation."""

import io
from datetime import timedelta

from django.urls import reverse
from pypdf import PdfReader

from bouquet.core.audit import Actor
from bouquet.marches.bids.models import DepositFile, EvidenceEvent, HealthSample
from bouquet.marches.bids.services.deposit_start import FileSpec, start_deposit
from bouquet.marches.bids.services.evidence import verify_evidence
from bouquet.marches.bids.services.health import (
    deadline_near,
    maybe_sample,
    next_pause,
    samples_around,
    take_sample,
)
from bouquet.marches.bids.services.receive_piece import receive_piece
from tests.marches_bids.helpers import CHUNK, BidsTestCase, at, deposit


class EvidenceTestCase(BidsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with at(cls.deadline - timedelta(minutes=5)):
            cls.bid = deposit(
                cls.consultation, cls.dupont, cls.routes, {"lot-1": [("o.pdf", b"o" * (CHUNK * 2 + 1))]}
            )
            # An upload that never finished: its start and pieces are evidence too.
            cls.unfinished = start_deposit(
                consultation=cls.consultation,
                company=cls.batiments,
                actor=Actor.of_user(cls.martin),
                files=[FileSpec("lot-2", "b.pdf", CHUNK * 3)],
            )
            receive_piece(
                deposit=cls.unfinished,
                file=DepositFile.objects.get(envelope__deposit=cls.unfinished),
                offset=0,
                data=b"b" * CHUNK,
            )

    def test_every_step_is_recorded_with_the_server_state_and_chained(self):
        events = list(self.bid.evidence.order_by("seq"))
        self.assertEqual(
            [e.kind for e in events], ["start", "chunk", "chunk", "chunk", "file_complete", "commit", "ack"]
        )
        self.assertEqual(
            [e.details.get("offset") for e in events if e.kind == "chunk"], [0, CHUNK, 2 * CHUNK]
        )
        self.assertTrue(all("load1" in e.server and "pid" in e.server for e in events))
        self.assertEqual(events[0].details["client_ip"], "192.0.2.10")
        self.assertTrue(verify_evidence(self.bid))

    def test_an_edited_or_removed_event_breaks_the_chain(self):
        chunk = self.bid.evidence.filter(kind="chunk").first()
        EvidenceEvent.objects.filter(pk=chunk.pk).update(details={**chunk.details, "offset": 999})
        self.assertFalse(verify_evidence(self.bid))
        EvidenceEvent.objects.filter(pk=chunk.pk).update(details=chunk.details)
        self.assertTrue(verify_evidence(self.bid))
        self.bid.evidence.order_by("-seq").first().delete()
        self.assertFalse(verify_evidence(self.bid))

    def test_health_is_sampled_while_deposits_arrive_and_around_deadlines(self):
        self.assertTrue(HealthSample.objects.filter(source="upload").exists())
        now = self.before(60)
        with at(now):
            self.assertTrue(deadline_near())
            self.assertEqual(next_pause(), 30.0)
            sample = take_sample()
            self.assertIsNone(maybe_sample())  # one a moment is enough
        self.assertGreaterEqual(sample.uploads_in_progress, 1)
        self.assertGreater(sample.disk_free_bytes, 0)
        self.assertIn(sample, list(samples_around(self.deadline)))
        with at(self.after(86400 * 3)):
            self.assertFalse(deadline_near())

    def test_the_report_tells_each_deposit_and_the_platform_health(self):
        with at(self.before(120)):
            take_sample()
        self.login(self.alice)
        with at(self.before()):
            early = self.client.get(
                reverse("marches_bids:evidence_pdf", args=[self.consultation.pk]), follow=True
            )
        self.assertContains(early, "disponible après la date limite")
        with at(self.after()):
            response = self.client.get(reverse("marches_bids:evidence_pdf", args=[self.consultation.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
        for expected in [
            "Rapport de preuve",
            "Routes et Cie",
            "Bâtiments SA",
            "Début de l'envoi",
            "Morceau reçu",
            "Dépôt validé",
            "chaîne intacte",
            "Santé de la plateforme",
            "non validé",
        ]:
            self.assertIn(expected, text)
        self.login(self.charlie)
        self.assertEqual(
            self.client.get(reverse("marches_bids:evidence_pdf", args=[self.consultation.pk])).status_code,
            404,
        )
