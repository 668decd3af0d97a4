from bouquet.actes.models import Envelope, Transaction
from bouquet.actes.services.check_transaction import check_transaction

from .services.helpers import ActesTestCase


class TenantScopingTestCase(ActesTestCase):
    def test_it_shows_a_member_only_its_authoritys_transactions(self):
        mine = self.create()
        theirs = self.create(authority=self.authority_b, number="B1")
        check_transaction(transaction=mine)
        check_transaction(transaction=theirs)
        self.assertEqual(list(Transaction.objects.visible_to(self.alice)), [mine])
        self.assertEqual(list(Transaction.objects.visible_to(self.bob)), [mine])
        self.assertEqual(list(Transaction.objects.visible_to(self.charlie)), [theirs])
        self.assertEqual(list(Transaction.objects.visible_to(self.olga)), [])
        self.assertEqual(Envelope.objects.visible_to(self.charlie).get().authority, self.authority_b)

    def test_it_reaches_members_through_the_operator_scope_only(self):
        self.create()
        self.create(authority=self.authority_b, number="B1")
        self.assertEqual(Transaction.objects.served_by(self.olga).count(), 2)
        self.assertEqual(Transaction.objects.served_by(self.alice).count(), 0)
