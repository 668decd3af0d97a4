"""Nobody can read a bid before the deadline: not the operator's staff, not the buyer, not someone
reading the file storage or the database directly; after it, only the buyer's authorised agents."""

import os
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.urls import reverse

from bouquet.core.audit import Actor
from bouquet.core.models import JournalEntry
from bouquet.marches.bids.errors import RightsError, TooEarly
from bouquet.marches.bids.models import DepositFile, Piece
from bouquet.marches.bids.sealing.crypto import MAGIC
from bouquet.marches.bids.services.keys import vault
from bouquet.marches.bids.services.opening import open_bids
from bouquet.marches.models import Consultation
from tests.marches_bids.helpers import CHUNK, BidsTestCase, at, deposit


class ConfidentialityTestCase(BidsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.marker = b"PRIX-SECRET-" + os.urandom(8).hex().encode()
        cls.offer = cls.marker + os.urandom(CHUNK * 2) + cls.marker
        with at(cls.deadline - timedelta(hours=1)):
            cls.deposit = deposit(
                cls.consultation, cls.dupont, cls.routes, {"lot-1": [("offre.pdf", cls.offer)]}
            )
        cls.file = DepositFile.objects.get(envelope__deposit=cls.deposit)

    def _pages(self):
        return [
            reverse("marches_bids:buyer_register", args=[self.consultation.pk]),
            reverse("marches_bids:buyer_deposit", args=[self.deposit.pk]),
            reverse("marches_bids:buyer_file", args=[self.file.pk]),
            reverse("marches_bids:evidence_pdf", args=[self.consultation.pk]),
        ]

    def test_operator_staff_cannot_reach_any_bid(self):
        for user in (self.olga, self.sam):
            self.login(user)
            for url in self._pages():
                with at(self.after()):  # not even after the deadline
                    response = self.client.get(url)
                self.assertIn(response.status_code, {403, 404}, url)
                self.assertNotIn(self.marker, response.content)
        with self.assertRaises(RightsError):
            open_bids(consultation=self.consultation, actor=Actor.of_user(self.olga))

    def test_the_buyer_cannot_open_or_download_before_the_deadline(self):
        self.login(self.alice)
        with at(self.before(1)):
            for url in self._pages():
                response = self.client.get(url, follow=True)
                self.assertNotIn(self.marker, response.content)
                self.assertNotIn(b"Routes et Cie", response.content)  # not even who deposited
            response = self.client.post(
                reverse("marches_bids:open", args=[self.consultation.pk]), follow=True
            )
            self.assertContains(response, "scellés")
            with self.assertRaises(TooEarly):
                open_bids(consultation=self.consultation, actor=Actor.of_user(self.alice))
        self.assertFalse(self.file.envelope.deposit.envelopes.filter(opened_at__isnull=False).exists())

    def test_moving_the_deadline_earlier_in_the_database_does_not_unseal(self):
        Consultation.objects.filter(pk=self.consultation.pk).update(
            bid_deadline=self.deadline - timedelta(days=5)
        )
        self.consultation.refresh_from_db()
        with at(self.before(60)):
            with self.assertRaises(TooEarly):
                open_bids(consultation=self.consultation, actor=Actor.of_user(self.alice))
        self.assertTrue(JournalEntry.objects.filter(action="marches_bids.key.refused").exists())
        self.assertFalse(JournalEntry.objects.filter(action="marches_bids.key.unsealed").exists())

    def test_the_file_storage_holds_ciphertext_only(self):
        pieces = Piece.objects.filter(file=self.file)
        self.assertEqual(pieces.count(), 3)
        root = Path(settings.MEDIA_ROOT) / "marches_bids"
        stored = [p for p in root.rglob("*.bqb")]
        self.assertTrue(stored)
        for path in stored:
            data = path.read_bytes()
            self.assertTrue(data.startswith(MAGIC))
            self.assertNotIn(self.marker, data)
            self.assertNotIn(self.offer[20:60], data)

    def test_the_database_and_the_vault_hold_no_plaintext(self):
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names():
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
                for row in cursor.fetchall():
                    for value in row:
                        raw = bytes(value) if isinstance(value, (bytes, memoryview)) else str(value).encode()
                        self.assertNotIn(self.marker, raw, table)
        for path in vault().directory.rglob("*"):
            if path.is_file():
                self.assertNotIn(self.marker, path.read_bytes())

    def test_after_the_deadline_an_authorised_agent_opens_and_reads_it(self):
        self.login(self.alice)
        with at(self.after(5)):
            self.client.post(reverse("marches_bids:open", args=[self.consultation.pk]))
            response = self.client.get(reverse("marches_bids:buyer_file", args=[self.file.pk]))
            self.assertEqual(response.status_code, 200)
            self.assertEqual(b"".join(response.streaming_content), self.offer)
        self.assertTrue(JournalEntry.objects.filter(action="marches_bids.key.unsealed").exists())
        self.assertTrue(
            JournalEntry.objects.filter(
                action="marches_bids.file.download", object_id=str(self.file.pk)
            ).exists()
        )
