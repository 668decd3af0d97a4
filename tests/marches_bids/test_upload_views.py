"""The upload protocol over HTTP, as deposit.js speaks it: start, pieces with offsets and checksums,
status after a cut, final step; and the company pages around it."""

import hashlib
import json
import os

from django.urls import reverse

from bouquet.marches.bids.models import Deposit
from bouquet.marches.bids.pdf.common import local
from bouquet.marches.choices import Status
from tests.marches.helpers import make_consultation
from tests.marches_bids.helpers import CHUNK, BidsTestCase, at


class UploadViewsTestCase(BidsTestCase):
    def start(self, files, consultation=None):
        url = reverse("marches_bids:deposit", args=[(consultation or self.consultation).pk])
        return self.client.post(url, json.dumps({"files": files}), content_type="application/json")

    def put(self, entry, offset, data, checksum=None):
        headers = {"X-Upload-Offset": str(offset)}
        if checksum is not False:
            headers["X-Chunk-Sha256"] = checksum or hashlib.sha256(data).hexdigest()
        return self.client.post(entry["url"], data, content_type="application/octet-stream", headers=headers)

    def test_a_company_deposits_through_the_protocol_and_resumes_after_a_cut(self):
        data = os.urandom(CHUNK * 2 + 10)
        self.login(self.dupont)
        with at(self.before(600)):
            page = self.client.get(reverse("marches_bids:deposit", args=[self.consultation.pk]))
            self.assertContains(page, "Offre — lot 2")
            self.assertContains(page, 'data-slot="lot-1"')
            started = self.start([{"slot": "lot-1", "name": "offre.pdf", "size": len(data)}])
            self.assertEqual(started.status_code, 201)
            body = started.json()
            entry = body["files"][0]
            self.assertEqual(body["chunk_size"], CHUNK)
            self.assertEqual(self.put(entry, 0, data[:CHUNK]).json()["received"], CHUNK)
            # A damaged piece: refused, then sent again.
            self.assertEqual(
                self.put(entry, CHUNK, data[CHUNK : 2 * CHUNK], checksum="0" * 64).status_code, 422
            )
            status = self.client.get(body["status_url"]).json()
            self.assertEqual(status["files"][0]["received"], CHUNK)
            # A piece sent twice (the answer was lost): the server says where it is.
            replay = self.put(entry, 0, data[:CHUNK])
            self.assertEqual((replay.status_code, replay.json()["received"]), (409, CHUNK))
            self.put(entry, CHUNK, data[CHUNK : 2 * CHUNK])
            last = self.put(entry, 2 * CHUNK, data[2 * CHUNK :], checksum=False).json()
            self.assertTrue(last["complete"])
            self.assertEqual(last["sha256"], hashlib.sha256(data).hexdigest())
        with at(self.before(590)):
            done = self.client.post(body["commit_url"]).json()
        self.assertFalse(done["late"])
        self.assertEqual(done["received_at_text"], local(self.before(590)))
        self.assertEqual(self.client.get(done["ack_url"])["Content-Type"], "application/pdf")
        page = self.client.get(done["redirect"])
        self.assertContains(page, hashlib.sha256(data).hexdigest())
        self.assertContains(self.client.get(reverse("marches_bids:my_deposits")), self.consultation.reference)

    def test_the_last_piece_can_carry_the_final_step(self):
        self.login(self.dupont)
        with at(self.before(5)):
            body = self.start([{"slot": "lot-2", "name": "o.pdf", "size": CHUNK + 5}]).json()
            entry = body["files"][0]
            first = self.put(entry, 0, b"a" * CHUNK, checksum=False)
            self.assertNotIn("commit", first.json())
            headers = {"X-Upload-Offset": str(CHUNK), "X-Deposit-Commit": "1"}
            last = self.client.post(
                entry["url"], b"b" * 5, content_type="application/octet-stream", headers=headers
            )
        self.assertEqual(last.json()["commit"]["received_at_text"], local(self.before(5)))
        self.assertFalse(last.json()["commit"]["late"])
        deposit = Deposit.objects.get()
        self.assertEqual(deposit.received_at, deposit.last_byte_at)  # closed with its last byte
        self.assertEqual(self.client.post(body["commit_url"]).json()["error"], "Ce pli est déjà validé.")

    def test_bad_requests_get_a_french_error_and_change_nothing(self):
        self.login(self.dupont)
        url = reverse("marches_bids:deposit", args=[self.consultation.pk])
        response = self.client.post(url, "pas du json", content_type="application/json")
        self.assertEqual(response.json()["error"], "La demande de dépôt est mal formée ; rechargez la page.")
        response = self.start([{"slot": "lot-1", "name": "a.pdf", "size": -5}])
        self.assertIn("vide", response.json()["error"])
        draft = make_consultation(self.authority_a, "BROUILLON", status=Status.DRAFT)
        self.assertEqual(self.start([{"slot": "offre", "name": "a.pdf", "size": 1}], draft).status_code, 404)
        self.assertFalse(Deposit.objects.exists())
        started = self.start([{"slot": "lot-1", "name": "a.pdf", "size": CHUNK * 2}]).json()
        entry = started["files"][0]
        response = self.client.post(entry["url"], b"x" * 10, content_type="application/octet-stream")
        self.assertEqual(response.json()["error"], "Position du morceau absente.")
        too_big = self.put(entry, 0, b"x" * (CHUNK + 64))
        self.assertEqual(too_big.status_code, 422)
        self.assertIn("Taille de morceau invalide", too_big.json()["error"])
        self.assertEqual(self.client.post(started["commit_url"]).status_code, 400)

    def test_only_the_depositing_company_reaches_its_deposit(self):
        self.login(self.dupont)
        with at(self.before()):
            started = self.start([{"slot": "lot-1", "name": "a.pdf", "size": 3}]).json()
        for user, status in ((self.martin, 404), (self.alice, 403), (self.olga, 403)):
            self.login(user)
            self.assertEqual(self.client.get(started["status_url"]).status_code, status)
            self.assertEqual(self.put(started["files"][0], 0, b"abc").status_code, status)
            self.assertEqual(self.client.post(started["commit_url"]).status_code, status)
        self.client.logout()
        self.assertEqual(self.client.get(started["status_url"]).status_code, 302)

    def test_the_public_page_offers_deposit_and_practice_then_late_deposit(self):
        url = reverse("marches_public:consultation", args=[self.consultation.pk])
        with at(self.before()):
            page = self.client.get(url)
        self.assertContains(page, "Déposer un pli")
        self.assertContains(page, reverse("marches_bids:practice"))
        with at(self.after()):
            page = self.client.get(url)
        self.assertContains(page, "hors délai")
        self.assertNotContains(page, "S'entraîner et tester")

    def test_the_buyer_panel_counts_sealed_deposits_without_names(self):
        with at(self.before(100)):
            from tests.marches_bids.helpers import deposit

            deposit(self.consultation, self.dupont, self.routes, {"lot-1": [("o.pdf", b"o")]})
        self.login(self.alice)
        with at(self.before(50)):
            page = self.client.get(reverse("marches:detail", args=[self.consultation.pk]))
        self.assertContains(page, "<strong>1</strong> pli(s) reçu(s) à ce jour", html=False)
        self.assertNotContains(page, "Routes et Cie")


class PracticeTestCase(BidsTestCase):
    def test_anyone_can_check_the_browser_and_find_the_test_consultations(self):
        test = make_consultation(self.authority_a, "TEST-DEPOT", status=Status.PUBLISHED, is_test=True)
        page = self.client.get(reverse("marches_bids:practice"))
        self.assertContains(page, "Tester mon navigateur")
        self.assertContains(page, reverse("marches_bids:deposit", args=[test.pk]))
        probe = self.client.post(
            reverse("marches_bids:probe"), b"z" * 1000, content_type="application/octet-stream"
        )
        self.assertEqual(probe.json()["sha256"], hashlib.sha256(b"z" * 1000).hexdigest())
        big = self.client.post(
            reverse("marches_bids:probe"), b"z" * (1024 * 1024 + 1), content_type="application/octet-stream"
        )
        self.assertEqual(big.status_code, 400)
        self.assertIn("now", self.client.get(reverse("marches_bids:server_time")).json())

    def test_a_practice_deposit_goes_the_whole_way_and_is_marked_so(self):
        test = make_consultation(
            self.authority_a, "TEST-DEPOT", status=Status.PUBLISHED, is_test=True, bid_deadline=None
        )
        from tests.marches_bids.helpers import deposit

        result = deposit(test, self.dupont, self.routes, {"offre": [("essai.pdf", b"essai")]})
        self.assertTrue(result.is_test)
        self.assertFalse(result.is_late)
        from django.core import mail

        self.assertTrue(mail.outbox[-1].subject.startswith("[Entraînement]"))


class GarbageFormsTestCase(BidsTestCase):
    def test_buyer_forms_answer_garbage_with_a_french_message_not_an_error_page(self):
        self.login(self.alice)
        with at(self.after()):
            pk = self.consultation.pk
            cases = [
                ("marches_bids:open", {"lot": "abc"}),
                (
                    "marches_bids:award",
                    {"lot": "x", "deposit": "1 OR 1=1", "amount_ht": "beaucoup", "reasons": "r"},
                ),
                (
                    "marches_bids:backups",
                    {"company_name": "X", "medium": "papier", "received_at": "2026-13-45T10:00"},
                ),
                (
                    "marches_bids:buyer_messages",
                    {"company": "[]", "kind": "complement", "answer_due": "demain"},
                ),
            ]
            for name, data in cases:
                response = self.client.post(reverse(name, args=[pk]), data, follow=True)
                self.assertEqual(response.status_code, 200, name)
                self.assertContains(response, 'class="message message-error"', msg_prefix=name)
