"""The buyer's home (yearly fee when the back-office computes it) and the journal of buyer actions."""

from decimal import Decimal
from unittest import mock

from django.urls import reverse

from bouquet.core.models import JournalEntry
from bouquet.marches.choices import Status
from bouquet.marches.services.edit_consultation import create_consultation, update_consultation
from bouquet.marches.services.manage_dce import add_dce_file
from bouquet.marches.services.manage_lots import add_lot
from bouquet.marches.services.modify_consultation import Modification, modify_consultation
from bouquet.marches.services.publish_consultation import publish_consultation
from bouquet.marches.services.questions import answer_question, ask_question
from tests.marches.helpers import MarchesTestCase, make_company_user, make_consultation, pdf_upload, siret_of


class HomeTestCase(MarchesTestCase):
    def test_the_home_shows_the_yearly_fee_when_the_back_office_gives_it(self):
        self.login(self.alice)
        with mock.patch("bouquet.backoffice.fees.yearly_fee", return_value=Decimal("50")) as fee:
            self.assertContains(self.client.get(reverse("marches:home")), "50,00 €")
        self.assertEqual(fee.call_args.args[:2], (self.authority_a, "MARCHES"))
        with mock.patch("bouquet.backoffice.fees.yearly_fee", side_effect=RuntimeError("grille absente")):
            response = self.client.get(reverse("marches:home"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Cotisation annuelle")


class JournalTestCase(MarchesTestCase):
    def test_every_buyer_action_is_journaled(self):
        data = {
            "reference": "J-1",
            "object": "Objet",
            "procedure": "mapa",
            "kind": "works",
            "buyer_siret": siret_of(self.authority_a),
            "cpv_main": "45233140-2",
            "execution_place": "A",
            "estimated_amount": Decimal(30_000),
            "notice_text": "Avis",
        }
        consultation = create_consultation(authority=self.authority_a, actor=self.alice, data=data)
        update_consultation(
            consultation=consultation,
            actor=self.alice,
            data={"bid_deadline": make_consultation(self.authority_a, "TMP").bid_deadline},
        )
        add_lot(consultation=consultation, actor=self.alice, data={"object": "L1", "cpv": "45233140-2"})
        add_lot(consultation=consultation, actor=self.alice, data={"object": "L2", "cpv": "45233140-2"})
        add_dce_file(consultation=consultation, actor=self.alice, upload=pdf_upload())
        publish_consultation(consultation=consultation, actor=self.alice, confirm_warnings=True)
        modify_consultation(
            consultation=consultation,
            actor=self.alice,
            change=Modification(summary="S", notice_text="Avis 2"),
        )
        user, _ = make_company_user()
        question = ask_question(consultation=consultation, user=user, text="?")
        answer_question(question=question, actor=self.alice, answer="!")
        actions = list(
            JournalEntry.objects.filter(object_id=str(consultation.pk), actor_user=self.alice)
            .order_by("id")
            .values_list("action", flat=True)
        )
        expected = [
            "marches.create",
            "marches.update",
            "marches.lot_added",
            "marches.lot_added",
            "marches.dce_add",
            "marches.publish",
            "marches.modify",
            "marches.question_answer",
        ]
        self.assertEqual(actions, expected)
        self.assertTrue(
            all(
                e.authority_id == self.authority_a.pk
                for e in JournalEntry.objects.filter(action__in=expected)
            )
        )
        consultation.refresh_from_db()
        self.assertEqual(consultation.status, Status.PUBLISHED)
        self.assertEqual(consultation.events.count(), 9)
