import datetime as dt
from unittest import mock

from bouquet.actes.choices import EnvelopeState, Status
from bouquet.actes.errors import WorkflowError
from bouquet.actes.models import Envelope
from bouquet.actes.protocol import open_transmission
from bouquet.actes.services.check_transaction import check_transaction
from bouquet.actes.services.common import Document

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
