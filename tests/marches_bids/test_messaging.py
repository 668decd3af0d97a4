"""Secure exchanges: the buyer writes to bidders after the deadline; a company writes freely before it
and afterwards can only answer, once; proofs of sending and reading."""

import io
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from bouquet.core.audit import Actor
from bouquet.marches.bids.choices import MessageKind
from bouquet.marches.bids.errors import BidsError, RightsError
from bouquet.marches.bids.models import Message
from bouquet.marches.bids.services.messaging import Attachment, mark_read, send_to_buyer, send_to_company
from bouquet.marches.choices import Procedure
from bouquet.marches.models import Consultation
from tests.marches_bids.helpers import BidsTestCase, at, deposit


class MessagingTestCase(BidsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with at(cls.deadline - timedelta(hours=1)):
            deposit(cls.consultation, cls.dupont, cls.routes, {"lot-1": [("o.pdf", b"offre")]})

    def _request(self, **extra):
        fields = {
            "consultation": self.consultation,
            "company": self.routes,
            "actor": Actor.of_user(self.alice),
            "kind": MessageKind.COMPLEMENT,
            "subject": "Attestation manquante",
            "body": "Merci de transmettre votre attestation URSSAF.",
            **extra,
        }
        return send_to_company(**fields)

    def test_the_buyer_writes_to_a_bidder_only_after_the_deadline(self):
        with at(self.before()), self.assertRaisesMessage(BidsError, "après la date limite"):
            self._request()
        with at(self.after()):
            with self.assertRaisesMessage(BidsError, "n'a pas déposé"):
                self._request(company=self.batiments)
            with self.assertRaises(RightsError):
                self._request(actor=Actor.of_user(self.bob))
            with self.captureOnCommitCallbacks(execute=True):
                message = self._request(attachment=Attachment("../demande.pdf", b"%PDF demande"))
        self.assertEqual(message.attachment_name, "demande.pdf")
        self.assertEqual(len(message.digest), 64)
        self.assertIn(self.dupont.email, mail.outbox[-1].to)
        self.assertNotIn("URSSAF", mail.outbox[-1].body)  # the content stays on the platform

    def test_negotiation_only_where_the_procedure_allows_it(self):
        with at(self.after()), self.assertRaisesMessage(BidsError, "ne permet pas de négocier"):
            self._request(kind=MessageKind.NEGOTIATION)
        Consultation.objects.filter(pk=self.consultation.pk).update(procedure=Procedure.MAPA)
        self.consultation.refresh_from_db()
        with at(self.after()):
            self.assertEqual(self._request(kind=MessageKind.NEGOTIATION).kind, MessageKind.NEGOTIATION)

    def test_after_the_deadline_a_company_can_only_answer_once_and_in_time(self):
        actor = Actor.of_user(self.dupont)
        with at(self.before()):
            send_to_buyer(
                consultation=self.consultation,
                company=self.routes,
                actor=actor,
                subject="Question",
                body="Avant la date limite, je peux écrire.",
            )
        with at(self.after()):
            with self.assertRaisesMessage(BidsError, "seulement répondre"):
                send_to_buyer(
                    consultation=self.consultation, company=self.routes, actor=actor, subject="S", body="B"
                )
            request = self._request(answer_due=self.after(7200))
            info = self._request(kind=MessageKind.INFORMATION)
            with self.assertRaisesMessage(BidsError, "n'attend pas de réponse"):
                send_to_buyer(
                    consultation=self.consultation,
                    company=self.routes,
                    actor=actor,
                    subject="S",
                    body="B",
                    in_reply_to=info,
                )
            with self.assertRaises(RightsError):
                send_to_buyer(
                    consultation=self.consultation,
                    company=self.routes,
                    actor=Actor.of_user(self.martin),
                    subject="S",
                    body="B",
                    in_reply_to=request,
                )
            answer = send_to_buyer(
                consultation=self.consultation,
                company=self.routes,
                actor=actor,
                subject="Re",
                body="Voici l'attestation.",
                in_reply_to=request,
            )
            with self.assertRaisesMessage(BidsError, "déjà répondu"):
                send_to_buyer(
                    consultation=self.consultation,
                    company=self.routes,
                    actor=actor,
                    subject="Re",
                    body="encore",
                    in_reply_to=request,
                )
            late_request = self._request(answer_due=self.after(7200))
        with at(self.after(7201)), self.assertRaisesMessage(BidsError, "délai de réponse"):
            send_to_buyer(
                consultation=self.consultation,
                company=self.routes,
                actor=actor,
                subject="Re",
                body="trop tard",
                in_reply_to=late_request,
            )
        self.assertEqual(answer.in_reply_to, request)

    def test_reading_is_recorded_once_and_shown_in_the_proof(self):
        with at(self.after()):
            message = self._request()
        self.login(self.dupont)
        with at(self.after(600)):
            page = self.client.get(reverse("marches_bids:company_message", args=[message.pk]))
            self.assertContains(page, "URSSAF")
            self.client.get(reverse("marches_bids:company_message", args=[message.pk]))
        message.refresh_from_db()
        self.assertEqual(message.read_at, self.after(600))
        self.assertEqual(message.read_by, self.dupont)
        proof = self.client.get(reverse("marches_bids:message_proof", args=[message.pk]))
        text = PdfReader(io.BytesIO(proof.content)).pages[0].extract_text()
        self.assertIn(message.digest, text)
        self.assertIn("Lu le", text)
        self.assertIn("depot@routes.example.test", text)
        self.login(self.alice)  # the buyer gets the same proof
        self.assertEqual(
            self.client.get(reverse("marches_bids:message_proof", args=[message.pk])).status_code, 200
        )
        for user in (self.martin, self.charlie, self.olga):
            self.login(user)
            self.assertEqual(
                self.client.get(reverse("marches_bids:message_proof", args=[message.pk])).status_code, 404
            )
            self.assertEqual(
                self.client.get(reverse("marches_bids:company_message", args=[message.pk])).status_code,
                403 if user != self.martin else 404,
            )

    def test_reading_by_the_wrong_side_is_refused(self):
        with at(self.after()):
            message = self._request()
            with self.assertRaises(RightsError):
                mark_read(message=message, actor=Actor.of_user(self.martin))
        self.assertIsNone(Message.objects.get(pk=message.pk).read_at)

    def test_the_buyer_pages_reveal_nothing_before_the_deadline(self):
        self.login(self.alice)
        with at(self.before()):
            page = self.client.get(reverse("marches_bids:buyer_messages", args=[self.consultation.pk]))
            self.assertNotContains(page, "Routes et Cie")
            thread = self.client.get(
                reverse("marches_bids:buyer_thread", args=[self.consultation.pk, self.routes.pk])
            )
            self.assertEqual(thread.status_code, 404)
        with at(self.after()):
            page = self.client.post(
                reverse("marches_bids:buyer_messages", args=[self.consultation.pk]),
                {"company": self.routes.pk, "kind": "complement", "subject": "Pièce", "body": "Merci"},
                follow=True,
            )
        self.assertContains(page, "Message envoyé à Routes et Cie")
