import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bouquet.actes.choices import Status, TransactionType
from bouquet.actes.demo import build_classification
from bouquet.actes.errors import RightsError
from bouquet.actes.models import Classification
from bouquet.actes.protocol import open_transmission
from bouquet.actes.services.apply_inbound_mail import apply_inbound_mail
from bouquet.actes.services.check_transaction import check_transaction
from bouquet.actes.services.request_classification import request_classification
from bouquet.actes.services.send_envelope import send_envelope
from bouquet.core.audit import Actor

from . import ministry
from .helpers import S2LOW, ActesTestCase, FakeClient, make_mail


class ClassificationTestCase(ActesTestCase):
    def requested(self, force: bool = False):
        request = request_classification(authority=self.authority_a, actor=self.alice_actor, force=force)
        check_transaction(transaction=request)
        request.refresh_from_db()
        send_envelope(envelope=request.envelope, client=FakeClient())
        request.refresh_from_db()
        return request

    def test_it_asks_with_the_version_in_use(self):
        request = self.requested()
        self.assertEqual((request.type, request.status), (TransactionType.CLASSIFICATION, Status.TRANSMIS))
        ((name, parsed),) = open_transmission(request.envelope.archive.read()).messages
        self.assertEqual(name, "021-210100012----7-1_0.xml")
        self.assertEqual(parsed.message.date_classification, dt.date(2024, 1, 1))

    def test_it_stores_a_new_classification_byte_identical(self):
        request = self.requested(force=True)
        raw = (S2LOW / "classification.xml").read_bytes()
        result = apply_inbound_mail(mail=make_mail(ministry.classification_answer(self.authority_a, raw)))
        self.assertEqual(result.state, "applied", result.message.reason)
        request.refresh_from_db()
        self.assertEqual(request.status, Status.ACQUITTEMENT_RECU)
        self.assertEqual(
            request.history.last().message,
            "Mise à jour de la classification (date de classification: 2004-04-01)",
        )
        stored = Classification.objects.filter(authority=self.authority_a, version=dt.date(2004, 4, 1)).get()
        self.assertEqual(bytes(stored.raw), raw)
        self.assertEqual(stored.parsed.nature(3).type_abrege, "AI")
        self.assertEqual(Classification.current_for(self.authority_a), stored)

    def test_it_closes_the_request_without_change(self):
        request = self.requested()
        apply_inbound_mail(mail=make_mail(ministry.classification_answer(self.authority_a, None)))
        request.refresh_from_db()
        self.assertEqual(
            (request.status, request.history.last().message),
            (4, "Classification sans changement (2024-01-01)"),
        )
        self.assertEqual(Classification.objects.filter(authority=self.authority_a).count(), 1)

    def test_it_derives_natures_and_typologies(self):
        current = Classification.current_for(self.authority_a)
        self.assertEqual(bytes(current.raw), build_classification())
        self.assertIn(("99_DE", "Délibération"), current.typologies(1))
        self.assertEqual([m.code for m in current.parsed.matieres][:3], [1, 2, 3])

    def test_its_bytes_are_read_once_per_process_and_version_not_for_every_act(self):
        with CaptureQueriesContext(connection) as queries:
            for n in range(3):
                self.create(number=f"2025_K{n:03d}")
        reads = [q["sql"] for q in queries if 'FROM "actes_classification"' in q["sql"]]
        self.assertLessEqual(len(reads), 4)  # the current version for each act
        # Its bytes at most once (none when an earlier test of this process already parsed them).
        self.assertLessEqual(sum('"actes_classification"."raw"' in sql for sql in reads), 1)
        # Served byte for byte all the same (the S²LOW API, the download).
        self.assertEqual(bytes(Classification.current_for(self.authority_a).raw), build_classification())

    def test_it_needs_tt(self):
        with self.assertRaises(RightsError):
            request_classification(authority=self.authority_a, actor=Actor.of_user(self.cecile))
