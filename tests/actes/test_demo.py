from bouquet.actes import demo
from bouquet.actes.choices import Status
from bouquet.actes.models import Classification, Transaction
from bouquet.core import demo as core_demo
from bouquet.test import BaseTestCase


class DemoTestCase(BaseTestCase):
    def test_it_loads_idempotently(self):
        core_demo.load()
        demo.load()
        demo.load()
        self.assertEqual(
            set(Transaction.objects.values_list("authority__name", flat=True)), {"Commune de Beaune"}
        )
        self.assertEqual(Transaction.objects.count(), len(demo.BEAUNE_ACTS))
        statuses = set(Transaction.objects.values_list("status", flat=True))
        expected = {
            Status.ACQUITTEMENT_RECU,
            Status.TRANSMIS,
            Status.POSTE,
            Status.ERREUR,
            Status.EN_ATTENTE_POSTE,
        }
        self.assertEqual(statuses, expected)
        demo_members = Classification.objects.exclude(authority__in=[self.authority_a, self.authority_b])
        self.assertEqual(demo_members.filter(version=demo.CLASSIFICATION_DATE).count(), 6)
        acked = Transaction.objects.get(status=Status.ACQUITTEMENT_RECU)
        self.assertRegex(acked.id_acte, r"^021-\d{9}-\d{8}-2026_D001-DE$")
        self.assertEqual(acked.history.count(), 4)

    def test_the_worker_can_check_the_posted_demo_act(self):
        """`bouquet run` processes posted acts at once: the demo's must be complete, not crash it."""
        from bouquet.actes.services.check_transaction import check_transaction

        core_demo.load()
        demo.load()
        posted = Transaction.objects.get(status=Status.POSTE)
        checked = check_transaction(transaction=posted)
        self.assertEqual(checked.status, Status.EN_ATTENTE_TRANSMISSION, checked.history.last().message)
        self.assertTrue(all(t.files.filter(role="main").exists() for t in Transaction.objects.all()))

    def test_a_transaction_without_its_document_is_refused_with_a_reason(self):
        from bouquet.actes.services.check_transaction import check_transaction

        core_demo.load()
        demo.load()
        posted = Transaction.objects.get(status=Status.POSTE)
        posted.files.all().delete()
        checked = check_transaction(transaction=posted)
        self.assertEqual(checked.status, Status.ERREUR)
        self.assertIn("document principal est absent", checked.history.last().message)
