import datetime as dt

from bouquet.actes.choices import InboundState, Status, TransactionType
from bouquet.actes.errors import ActesServiceError, RightsError
from bouquet.actes.models import Transaction
from bouquet.actes.services.apply_inbound_mail import apply_inbound_mail
from bouquet.actes.services.common import Document
from bouquet.actes.services.mark_document_read import mark_document_read
from bouquet.actes.services.retry_inbound_message import retry_inbound_message
from bouquet.core.audit import Actor

from .helpers import PDF, ActesTestCase, fixture_files, make_mail


class ErrorQueueTestCase(ActesTestCase):
    def test_it_replays_a_mail_once_its_act_exists(self):
        inbound = apply_inbound_mail(mail=make_mail(fixture_files("test-courrier-simple"))).message
        self.assertEqual(inbound.state, InboundState.ERROR)
        zero = self.make_authority("000000000")
        self.transmitted(
            zero,
            number="20170725A",
            nature=3,
            decision_date=dt.date(2017, 7, 1),
            classification="2.2",
            document=Document("a.pdf", PDF, "99_AI"),
        )
        olga = Actor.of_user(self.olga)
        result = retry_inbound_message(inbound=inbound, actor=olga)
        self.assertEqual(
            (result.state, result.message.reason, result.message.authority), ("applied", "", zero)
        )
        letter = Transaction.objects.get(type=TransactionType.COURRIER_SIMPLE)
        self.assertEqual(letter.status, Status.DOCUMENT_RECU_PAS_AR)
        with self.assertRaisesMessage(ActesServiceError, "Seul un courriel en erreur peut être rejoué."):
            retry_inbound_message(inbound=inbound, actor=olga)

        mark_document_read(transaction=letter, actor=self.actor_for(zero))
        letter.refresh_from_db()
        self.assertTrue(letter.is_read)
        self.assertFalse(Transaction.objects.unread_documents().exists())
        with self.assertRaises(ActesServiceError):
            mark_document_read(transaction=letter.related, actor=self.alice_actor)

    def test_it_marks_read_only_for_members(self):
        act = self.transmitted()
        letter = Transaction.objects.create(
            authority=self.authority_a,
            type=TransactionType.COURRIER_SIMPLE,
            status=21,
            number=act.number,
            related=act,
        )
        with self.assertRaises(RightsError):
            mark_document_read(transaction=letter, actor=Actor.of_user(self.charlie))
        mark_document_read(transaction=letter, actor=Actor.of_user(self.bob))
        self.assertTrue(Transaction.objects.get(pk=letter.pk).is_read)
