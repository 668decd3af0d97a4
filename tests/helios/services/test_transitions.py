from bouquet.core.audit import Actor
from bouquet.core.models import JournalEntry
from bouquet.helios.choices import SendState, Status
from bouquet.helios.errors import MissingDestinationError, RightsError, WorkflowError
from bouquet.helios.models import HeliosParameters, Transaction
from bouquet.helios.services import cancel_transaction, post_transaction, rollback, set_error, set_parameters
from bouquet.helios.services.check_transaction import check_transaction
from bouquet.helios.services.send_transaction import send_transaction
from bouquet.helios.transport import TransportError

from ..helpers import FakeDgfip, HeliosTestCase, pes


class PostTestCase(HeliosTestCase):
    def test_a_tt_agent_posts_a_waiting_transaction(self):
        transaction = self.upload(user=self.cecile)
        with self.assertRaises(RightsError):
            post_transaction(transaction=transaction, actor=Actor.of_user(self.cecile))
        post_transaction(transaction=transaction, actor=Actor.of_user(self.alice))
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.POSTE)
        self.assertIn(self.alice.full_name, transaction.history.last().message)

    def test_posting_needs_the_required_certificate_level_when_given(self):
        transaction = self.upload(wait=True)
        with self.assertRaises(RightsError) as caught:
            post_transaction(transaction=transaction, actor=Actor.of_user(self.alice), rgs_level="")
        self.assertIn("RGS", caught.exception.message)
        post_transaction(transaction=transaction, actor=Actor.of_user(self.alice), rgs_level="RGS**")

    def test_posting_needs_a_destination(self):
        transaction = self.upload(wait=True)
        HeliosParameters.objects.filter(authority=self.authority_a).update(p_dest="")
        with self.assertRaises(MissingDestinationError):
            post_transaction(transaction=transaction, actor=Actor.of_user(self.alice))

    def test_a_posted_transaction_cannot_be_posted_again(self):
        transaction = self.upload()
        with self.assertRaises(WorkflowError):
            post_transaction(transaction=transaction, actor=Actor.of_user(self.alice))


class CancelTestCase(HeliosTestCase):
    def test_it_cancels_before_sending_only(self):
        waiting = self.upload(pes("C1"), wait=True)
        cancel_transaction(transaction=waiting, actor=Actor.of_user(self.cecile))
        self.assertEqual(waiting.status, Status.ANNULE)
        sent = check_transaction(transaction=self.upload(pes("C2")))
        with self.assertRaises(WorkflowError):
            cancel_transaction(transaction=sent, actor=Actor.of_user(self.alice))
        with self.assertRaises(RightsError):
            cancel_transaction(transaction=self.upload(pes("C3"), wait=True), actor=Actor.of_user(self.bob))


class OperatorActionsTestCase(HeliosTestCase):
    def test_an_operator_admin_sets_an_error_and_rolls_it_back(self):
        transaction = check_transaction(transaction=self.upload())
        send_transaction(transaction=transaction, client=FakeDgfip(TransportError("refus", permanent=True)))
        transaction.refresh_from_db()
        self.assertEqual((transaction.status, transaction.send_state), (Status.ERREUR, SendState.FAILED))
        for user in (self.alice, self.sam):  # a member, operator support
            with self.subTest(user=user.email), self.assertRaises(RightsError):
                rollback(transaction=transaction, actor=Actor.of_user(user))
        rollback(transaction=transaction, actor=Actor.of_user(self.olga))
        transaction.refresh_from_db()
        self.assertEqual((transaction.status, transaction.send_state), (Status.POSTE, SendState.WAITING))
        name = transaction.transmitted_name
        transaction = check_transaction(transaction=transaction)
        client = FakeDgfip()
        send_transaction(transaction=transaction, client=client)
        self.assertEqual(client.sent[0][0], name)

        set_error(transaction=transaction, actor=Actor.of_user(self.olga), reason="fichier bloqué à la DGFiP")
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.ERREUR)
        self.assertIn("fichier bloqué", transaction.history.last().message)
        with self.assertRaises(WorkflowError):
            set_error(transaction=transaction, actor=Actor.of_user(self.olga), reason="encore")


class ParametersTestCase(HeliosTestCase):
    def test_it_records_and_journals_the_destination(self):
        set_parameters(authority=self.authority_a, actor=Actor.of_user(self.olga), p_dest=" vhpce12 ")
        self.assertEqual(HeliosParameters.objects.get(authority=self.authority_a).p_dest, "VHPCE12")
        entry = JournalEntry.objects.filter(action="helios.parameters").latest("id")
        self.assertEqual(entry.details["p_dest"], {"before": "VHPCE11", "after": "VHPCE12"})

    def test_it_refuses_a_code_that_could_inject_ftp_commands(self):
        from bouquet.helios.errors import HeliosServiceError

        with self.assertRaises(HeliosServiceError) as caught:
            set_parameters(authority=self.authority_a, actor=Actor.of_user(self.olga), p_dest="X\r\nDELE a")
        self.assertIn("site destinataire", caught.exception.message)
        self.assertEqual(HeliosParameters.objects.get(authority=self.authority_a).p_dest, "VHPCE11")


class TransactionScopeTestCase(HeliosTestCase):
    def test_members_see_their_authoritys_transactions_only(self):
        mine = self.upload(pes("S-A"))
        self.upload(pes("S-B", id_post="034001"), user=self.charlie, authority=self.authority_b)
        self.assertEqual(list(Transaction.objects.visible_to(self.alice)), [mine])
        self.assertEqual(list(Transaction.objects.visible_to(self.olga)), [])
        self.assertEqual(Transaction.objects.served_by(self.olga).count(), 2)
