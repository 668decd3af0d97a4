"""Award per lot: rejection letters with the standstill period, notification with proof of receipt,
the contract passed to the contracts app, and the award notice."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse

from bouquet.core.audit import Actor
from bouquet.marches.bids.choices import AwardOutcome, MessageKind
from bouquet.marches.bids.errors import BidsError, RightsError
from bouquet.marches.bids.models import Award, Message
from bouquet.marches.bids.rules import standstill_for
from bouquet.marches.bids.services.awards import decide, notify_winner, publish_award_notice, record_receipt
from bouquet.marches.bids.services.messaging import Attachment, mark_read
from bouquet.marches.bids.services.opening import open_bids
from bouquet.marches.choices import Procedure, Status
from tests.marches_bids.helpers import BidsTestCase, at, deposit


class StandstillTestCase(BidsTestCase):
    def test_eleven_days_for_formalised_procedures_none_for_mapa_or_a_single_bidder(self):
        sent = self.after()
        rule = standstill_for(Procedure.OPEN, sent, bidders=2)
        self.assertEqual(rule.days, 11)
        self.assertEqual(rule.until, sent.date() + timedelta(days=11))
        self.assertEqual(standstill_for(Procedure.OPEN, sent, bidders=2, electronic=False).days, 16)
        self.assertIsNone(standstill_for(Procedure.MAPA, sent, bidders=3).days)
        self.assertIsNone(standstill_for(Procedure.NEGOTIATED, sent, bidders=1).days)


class AwardTestCase(BidsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with at(cls.deadline - timedelta(hours=1)):
            cls.routes_bid = deposit(
                cls.consultation,
                cls.dupont,
                cls.routes,
                {"lot-1": [("o1.pdf", b"offre 1")], "lot-2": [("o2.pdf", b"offre 2")]},
            )
            cls.bat_bid = deposit(
                cls.consultation, cls.martin, cls.batiments, {"lot-1": [("b1.pdf", b"offre b")]}
            )

    def _open(self):
        with at(self.after()):
            open_bids(consultation=self.consultation, actor=Actor.of_user(self.alice))

    def _award_lot1(self, **extra):
        values = {
            "consultation": self.consultation,
            "lot": self.lot1,
            "actor": Actor.of_user(self.alice),
            "outcome": AwardOutcome.AWARDED,
            "reasons": "Offre économiquement la plus avantageuse (prix 60 %).",
            "deposit": self.routes_bid,
            "amount_ht": Decimal("125000.00"),
            **extra,
        }
        with at(self.after(3600)):
            return decide(**values)

    def test_awarding_sends_rejection_letters_showing_the_standstill(self):
        self._open()
        award = self._award_lot1()
        self.assertEqual(award.standstill_days, 11)
        letters = Message.objects.filter(award=award)
        self.assertEqual([m.company for m in letters], [self.batiments])
        letter = letters.get()
        self.assertEqual(letter.kind, MessageKind.REJECTION)
        self.assertIn("Routes et Cie", letter.body)
        self.assertIn("125\u202f000,00 € HT", letter.body)
        self.assertIn("Délai de suspension de 11 jours", letter.body)
        self.assertIn((self.after(3600).date() + timedelta(days=11)).strftime("%d/%m/%Y"), letter.body)
        self.consultation.refresh_from_db()
        self.assertEqual(self.consultation.status, Status.OPENED)  # lot 2 still to decide

    def test_decisions_are_checked(self):
        with at(self.after()):
            with self.assertRaisesMessage(BidsError, "après l'ouverture"):
                decide(
                    consultation=self.consultation,
                    lot=self.lot1,
                    actor=Actor.of_user(self.alice),
                    outcome=AwardOutcome.UNSUCCESSFUL,
                    reasons="x",
                )
        self._open()
        with self.assertRaises(RightsError):
            self._award_lot1(actor=Actor.of_user(self.bob))
        with self.assertRaisesMessage(BidsError, "montant"):
            self._award_lot1(amount_ht=None)
        with self.assertRaisesMessage(BidsError, "motifs"):
            self._award_lot1(reasons="  ")
        with self.assertRaisesMessage(BidsError, "offre ouverte"):
            self._award_lot1(lot=self.lot2, deposit=self.bat_bid)  # Bâtiments made no offer for lot 2
        self._award_lot1()
        with self.assertRaisesMessage(BidsError, "déjà"):
            self._award_lot1()

    def test_when_every_lot_is_decided_the_consultation_is_awarded_and_the_notice_published(self):
        self._open()
        self._award_lot1()
        with at(self.after(4000)):
            decide(
                consultation=self.consultation,
                lot=self.lot2,
                actor=Actor.of_user(self.alice),
                outcome=AwardOutcome.UNSUCCESSFUL,
                reasons="Offre inacceptable (au-delà des crédits).",
            )
        self.consultation.refresh_from_db()
        self.assertEqual(self.consultation.status, Status.AWARDED)
        self.assertEqual(
            Message.objects.filter(kind=MessageKind.REJECTION).count(), 2
        )  # lot 2 unsuccessful too
        with at(self.after(5000)):
            notice = publish_award_notice(consultation=self.consultation, actor=Actor.of_user(self.alice))
        self.assertIn("Lot 1", notice.text)
        self.assertIn("Routes et Cie", notice.text)
        self.assertIn("infructueux", notice.text)
        page = self.client.get(reverse("marches_bids:award_notice", args=[self.consultation.pk]))
        self.assertContains(page, "Routes et Cie")

    def test_the_winner_is_notified_after_the_standstill_and_its_reading_is_the_receipt(self):
        self._open()
        award = self._award_lot1()
        contract = Attachment("marche-signe.pdf", b"%PDF marche signe")
        with at(self.after(86400 * 5)), self.assertRaisesMessage(BidsError, "délai de suspension court"):
            notify_winner(award=award, actor=Actor.of_user(self.alice), body="", attachment=contract)
        notified_at = award.standstill_until + timedelta(hours=10)
        with at(notified_at):
            message = notify_winner(
                award=award, actor=Actor.of_user(self.alice), body="", attachment=contract
            )
        self.assertEqual(message.kind, MessageKind.NOTIFICATION)
        self.assertEqual(message.company, self.routes)
        with at(notified_at + timedelta(hours=2)):
            mark_read(message=message, actor=Actor.of_user(self.dupont))
        award.refresh_from_db()
        self.assertEqual(award.notification_received_at, notified_at + timedelta(hours=2))
        self.assertTrue(award.contract_opened)
        from bouquet.marches.contracts.models import Contract

        contract_row = Contract.objects.get(consultation=self.consultation, lot=self.lot1)
        self.assertEqual(contract_row.amount_ht, Decimal("125000.00"))
        self.assertEqual(
            contract_row.notified_on, (notified_at + timedelta(hours=2)).astimezone(contract_row_tz()).date()
        )

    def test_a_receipt_proven_otherwise_is_recorded_by_the_buyer(self):
        self._open()
        award = self._award_lot1()
        with at(award.standstill_until + timedelta(hours=1)):
            notify_winner(award=award, actor=Actor.of_user(self.alice), body="")
        with at(award.standstill_until + timedelta(days=3)):
            with self.assertRaisesMessage(BidsError, "entre l'envoi"):
                record_receipt(
                    award=award, actor=Actor.of_user(self.alice), received_at=award.standstill_until
                )
            record_receipt(
                award=award,
                actor=Actor.of_user(self.alice),
                received_at=award.standstill_until + timedelta(days=2),
            )
        self.assertEqual(
            Award.objects.get(pk=award.pk).notification_received_at,
            award.standstill_until + timedelta(days=2),
        )


def contract_row_tz():
    from bouquet.marches.bids.pdf.common import PARIS

    return PARIS
