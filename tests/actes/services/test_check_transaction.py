import datetime as dt
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bouquet.actes import tasks
from bouquet.actes.choices import EnvelopeState, Status
from bouquet.actes.errors import WorkflowError
from bouquet.actes.models import Envelope, Transaction
from bouquet.actes.protocol import open_transmission
from bouquet.actes.services.check_transaction import check_posted, check_transaction
from bouquet.actes.services.common import Document
from bouquet.actes.services.outbound import outbound_for
from bouquet.core.audit import verify_chain
from bouquet.core.models import JournalEntry

from .helpers import PDF, PNG, ActesTestCase


class CheckTransactionTestCase(ActesTestCase):
    def test_it_builds_and_stores_the_archive(self):
        act = self.create(annexes=[Document("plan.png", PNG, "99_AU")])
        check_transaction(transaction=act, today=dt.date(2025, 3, 12))
        act.refresh_from_db()
        self.assertEqual(act.status, Status.EN_ATTENTE_TRANSMISSION)
        self.assertEqual(act.history.last().message, "Accepté par le TdT : validation OK")
        envelope = act.envelope
        self.assertEqual(envelope.name, "EACT--210100012--20250312-1.xml")
        self.assertEqual(envelope.archive_name, "BQT-EACT--210100012--20250312-1.tar.gz")
        self.assertEqual(envelope.state, EnvelopeState.BUILT)
        opened = open_transmission(envelope.archive.read())
        self.assertEqual(opened.envelope.message.adresses_retour[0], "actes@tdt.bouquet.test")
        ((name, parsed),) = opened.messages
        self.assertEqual(name, "021-210100012-20250310-2025_D001-DE-1-1_0.xml")
        self.assertEqual(
            parsed.message.annexes[0].nom_fichier, "99_AU-021-210100012-20250310-2025_D001-DE-1-1_2.png"
        )
        self.assertEqual(opened.files[parsed.message.document.nom_fichier], PDF)

    def test_it_numbers_envelopes_per_authority_and_day(self):
        day = dt.date(2025, 3, 12)
        for number in ("A1", "A2"):
            check_transaction(transaction=self.create(number=number), today=day)
        check_transaction(transaction=self.create(number="A3"), today=day + dt.timedelta(days=1))
        check_transaction(transaction=self.create(authority=self.authority_b, number="B1"), today=day)
        names = set(Envelope.objects.values_list("name", flat=True))
        self.assertEqual(
            names,
            {
                "EACT--210100012--20250312-1.xml",
                "EACT--210100012--20250312-2.xml",
                "EACT--210100012--20250313-1.xml",
                "EACT--210200010--20250312-1.xml",
            },
        )

    def test_it_puts_an_oversized_archive_in_error(self):
        act = self.create()
        with mock.patch("bouquet.actes.services.common.MAX_ARCHIVE_SIZE", 100):
            check_transaction(transaction=act)
        act.refresh_from_db()
        self.assertEqual(act.status, Status.ERREUR)
        self.assertIn("Enveloppe invalide : L'archive fait", act.history.last().message)
        self.assertIsNone(act.envelope)

    def test_it_checks_only_posted_transactions(self):
        act = self.create(wait=True)
        with self.assertRaises(WorkflowError):
            check_transaction(transaction=act)


class CheckPostedInBatchesTestCase(ActesTestCase):
    """The worker checks posted acts by batches: same outcome per act, a bounded number of statements."""

    def test_a_batch_moves_each_act_with_its_own_envelope_history_and_journal_entry(self):
        day = dt.date(2025, 3, 12)
        acts = [self.create(number=f"2025_D00{n}") for n in (1, 2, 3)]
        other = self.create(authority=self.authority_b, number="B1")
        checked = check_posted(today=day)
        self.assertEqual({t.pk for t in checked}, {t.pk for t in [*acts, other]})
        names = sorted(Envelope.objects.values_list("name", flat=True))
        self.assertEqual(
            names,
            [
                "EACT--210100012--20250312-1.xml",
                "EACT--210100012--20250312-2.xml",
                "EACT--210100012--20250312-3.xml",
                "EACT--210200010--20250312-1.xml",
            ],
        )
        for act in [*acts, other]:
            act.refresh_from_db()
            self.assertEqual(act.status, Status.EN_ATTENTE_TRANSMISSION)
            self.assertEqual(act.history.last().message, "Accepté par le TdT : validation OK")
            ((name, parsed),) = open_transmission(act.envelope.archive.read()).messages
            self.assertEqual(parsed.message.numero_interne, act.number)
        entries = JournalEntry.objects.filter(action="actes.check_ok")
        self.assertEqual(sorted(int(e.object_id) for e in entries), sorted(t.pk for t in [*acts, other]))
        self.assertEqual({e.details["from"] for e in entries}, {Status.POSTE})
        self.assertTrue(verify_chain().ok)
        self.assertEqual(check_posted(today=day), [])

    def test_one_act_failing_its_rules_does_not_hold_back_the_others(self):
        good = self.create(number="2025_D001")
        bad = self.create(number="2025_D002")
        # Changed behind the service's back (an import, a hand edit): the check re-validates.
        Transaction.objects.filter(pk=bad.pk).update(decision_date=dt.date(2025, 3, 20))
        check_posted(today=dt.date(2025, 3, 12))
        good.refresh_from_db()
        bad.refresh_from_db()
        self.assertEqual(good.status, Status.EN_ATTENTE_TRANSMISSION)
        self.assertEqual(good.envelope.name, "EACT--210100012--20250312-1.xml")
        self.assertEqual(bad.status, Status.ERREUR)
        self.assertIn("Enveloppe invalide : ", bad.history.last().message)
        self.assertIn("date", bad.history.last().message)
        self.assertIsNone(bad.envelope)

    def test_the_statements_of_a_batch_do_not_grow_with_its_size(self):
        def statements(count: int, prefix: str) -> int:
            for n in range(count):
                self.create(number=f"{prefix}{n:03d}")
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(len(check_posted(limit=50)), count)
            return len(queries)

        statements(1, "2025_W")  # the day's serial counter and the journal head now exist
        self.assertEqual(statements(2, "2025_A"), statements(12, "2025_B"))

    def test_the_worker_checks_one_by_one_when_a_batch_fails_unexpectedly(self):
        good = self.create(number="2025_D001")
        broken = self.create(number="2025_D002")
        real = outbound_for

        def fails_on_broken(transaction, files=None):
            if transaction.pk == broken.pk:
                raise RuntimeError("bogue")
            return real(transaction, files)

        with (
            mock.patch("bouquet.actes.services.check_transaction.outbound_for", side_effect=fails_on_broken),
            self.assertLogs("bouquet.actes.tasks", "ERROR") as logs,
        ):
            self.assertEqual(tasks.process_posted.call(), 1)
        good.refresh_from_db()
        broken.refresh_from_db()
        self.assertEqual((good.status, broken.status), (Status.EN_ATTENTE_TRANSMISSION, Status.POSTE))
        self.assertIn(f"transaction ACTES {broken.pk} impossible", "\n".join(logs.output))
