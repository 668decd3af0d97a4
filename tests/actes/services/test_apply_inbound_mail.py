import datetime as dt

from bouquet.actes.choices import FileRole, InboundState, Status, TransactionType
from bouquet.actes.models import InboundMessage, Transaction
from bouquet.actes.services.apply_inbound_mail import apply_inbound_mail
from bouquet.actes.services.check_transaction import check_transaction
from bouquet.actes.services.common import Document
from bouquet.actes.services.send_envelope import send_envelope

from .helpers import (
    MULTICHANNEL_TEXT,
    PDF,
    S2LOW,
    ActesTestCase,
    FakeClient,
    FakeMail,
    fixture_files,
    make_mail,
)

AR_NAME = "034-000000000-20170701-20170721D-AI-1-2_0.xml"


class ApplyInboundMailTestCase(ActesTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.zero = cls.make_authority(cls, "000000000")

    def fixture_act(self, number: str = "20170721D"):
        return self.transmitted(
            self.zero,
            number=number,
            nature=3,
            decision_date=dt.date(2017, 7, 1),
            classification="2.2",
            document=Document("arrete.pdf", PDF, "99_AI"),
        )

    def apply(self, files, **kwargs):
        return apply_inbound_mail(mail=make_mail(files, **kwargs))

    def test_it_applies_a_real_ar_acte_once(self):
        act = self.fixture_act()
        files = fixture_files("test-archive-MISILCL")
        mail = make_mail(files)
        result = apply_inbound_mail(mail=mail)
        act.refresh_from_db()
        self.assertEqual((result.state, result.duplicate), (InboundState.APPLIED, False))
        self.assertEqual(act.status, Status.ACQUITTEMENT_RECU)
        self.assertEqual(act.id_acte, "034-000000000-20170701-20170721D-AI")
        row = act.history.last()
        self.assertEqual(row.message, "Reçu par le MI le 2017-07-21")
        self.assertEqual(bytes(row.received_xml), (S2LOW / "test-archive-MISILCL" / AR_NAME).read_bytes())
        ar_file = act.files.get(role=FileRole.AR)
        self.assertEqual((ar_file.business_name, ar_file.read()), (AR_NAME, files[AR_NAME]))
        self.assertEqual(list(result.message.transactions.all()), [act])
        self.assertEqual(result.message.authority, self.zero)

        again = apply_inbound_mail(mail=mail)
        self.assertTrue(again.duplicate)
        self.assertEqual(InboundMessage.objects.count(), 1)
        self.assertEqual(act.history.filter(status=Status.ACQUITTEMENT_RECU).count(), 1)

    def test_an_ar_proves_delivery_of_a_send_the_worker_never_finished(self):
        """Killed between the ministry's 200 and the status save: the AR must not be lost."""
        from unittest import mock

        from bouquet.actes.choices import EnvelopeState

        act = self.create(
            self.zero, number="20170721D", nature=3, decision_date=dt.date(2017, 7, 1),
            classification="2.2", document=Document("arrete.pdf", PDF, "99_AI"),
        )  # fmt: skip
        check_transaction(transaction=act)
        act.refresh_from_db()
        with mock.patch(
            "bouquet.actes.services.send_envelope._mark_sent", side_effect=RuntimeError("kill -9")
        ):
            with self.assertRaises(RuntimeError):
                send_envelope(envelope=act.envelope, client=FakeClient())
        act.refresh_from_db()
        self.assertEqual(
            (act.status, act.envelope.state), (Status.EN_ATTENTE_TRANSMISSION, EnvelopeState.SENDING)
        )

        result = apply_inbound_mail(mail=make_mail(fixture_files("test-archive-MISILCL")))
        act.refresh_from_db()
        self.assertEqual(result.state, InboundState.APPLIED)
        self.assertEqual(act.status, Status.ACQUITTEMENT_RECU)
        self.assertEqual(act.envelope.state, EnvelopeState.SENT)
        self.assertEqual(
            list(act.history.values_list("status", flat=True))[-3:],
            [Status.EN_ATTENTE_TRANSMISSION, Status.TRANSMIS, Status.ACQUITTEMENT_RECU],
        )

    def test_an_ar_read_while_another_worker_records_the_send_is_applied(self):
        """Two workers: one POSTed the archive, the other polls the AR before the first saved "sent"."""
        from unittest import mock

        from bouquet.actes.services import inbound_messages
        from bouquet.actes.services import send_envelope as sending

        act = self.create(
            self.zero, number="20170721D", nature=3, decision_date=dt.date(2017, 7, 1),
            classification="2.2", document=Document("arrete.pdf", PDF, "99_AI"),
        )  # fmt: skip
        check_transaction(transaction=act)
        act.refresh_from_db()
        with mock.patch.object(sending, "_mark_sent"):  # the POST is done, "sent" not saved yet
            send_envelope(envelope=act.envelope, client=FakeClient())
        envelope = act.envelope
        confirm = inbound_messages.confirm_delivery

        def sender_finishes_first(**kwargs):
            sending._mark_sent([envelope], kwargs["now"])  # the sending worker commits 2 → 3 now
            return confirm(**kwargs)  # nothing left to confirm

        with mock.patch.object(inbound_messages, "confirm_delivery", side_effect=sender_finishes_first):
            result = apply_inbound_mail(mail=make_mail(fixture_files("test-archive-MISILCL")))
        act.refresh_from_db()
        self.assertEqual((result.state, act.status), (InboundState.APPLIED, Status.ACQUITTEMENT_RECU))
        self.assertEqual(act.history.filter(status=Status.TRANSMIS).count(), 1)

    def test_it_applies_a_real_act_anomaly(self):
        act = self.fixture_act()
        result = self.apply(fixture_files("test-message-anomalie-avec-erreur"))
        act.refresh_from_db()
        self.assertEqual(result.state, InboundState.APPLIED)
        self.assertEqual(act.status, Status.ERREUR)
        self.assertEqual(act.history.last().message, "Anomalie signalee par le MI : 2 - Ca ne fonctionne pas")

    def test_it_records_schema_findings_without_dropping_the_message(self):
        act = self.fixture_act()
        result = self.apply(fixture_files("test-message-anomalie-avec-erreur-mal-presentee"))
        act.refresh_from_db()
        self.assertEqual((result.state, act.status), (InboundState.APPLIED, Status.ERREUR))
        self.assertTrue(act.history.last().schema_findings)

    def test_it_applies_a_real_envelope_anomaly_to_the_envelope_named(self):
        ardeche = self.make_authority("210703385", departement="007")
        day = dt.date(2017, 6, 12)
        acts = [self.create(ardeche, number=n, decision_date=dt.date(2017, 6, 1)) for n in ("A1", "A2")]
        for act in acts:
            check_transaction(transaction=act, today=day)
            act.refresh_from_db()
            send_envelope(envelope=act.envelope, client=FakeClient())
        self.assertEqual(acts[1].envelope.name, "EACT--210703385--20170612-2.xml")
        self.apply(fixture_files("test-anomalie"))
        first, second = (Transaction.objects.get(pk=a.pk) for a in acts)
        self.assertEqual((first.status, second.status), (Status.TRANSMIS, Status.ERREUR))
        self.assertTrue(
            second.history.last().message.startswith("Enveloppe rejetée par le MI (5 : SLO-EACT--210703385")
        )

    def test_it_creates_a_simple_letter_without_ar(self):
        act = self.fixture_act("20170725A")
        files = fixture_files("test-courrier-simple") | {"034-000000000-20170701-20170725A-AI-2-1_1.pdf": PDF}
        result = self.apply(files)
        letter = Transaction.objects.get(type=TransactionType.COURRIER_SIMPLE)
        self.assertEqual(
            (letter.status, letter.related, letter.authority), (Status.DOCUMENT_RECU_PAS_AR, act, self.zero)
        )
        self.assertEqual(letter.id_acte, "034-000000000-20170701-20170725A-AI")
        self.assertEqual(letter.history.get().message, "Reçu par le Tdt (pas d'AR envoyé)")
        self.assertEqual(
            sorted(letter.files.values_list("role", flat=True)), [FileRole.LETTER, FileRole.RECEIVED]
        )
        self.assertEqual(list(result.message.transactions.all()), [letter])
        self.assertFalse(letter.is_read)

    def test_it_creates_a_referral_to_the_court(self):
        act = self.fixture_act("20170725A")
        self.apply(fixture_files("test-defere-ta"))
        referral = Transaction.objects.get(type=TransactionType.DEFERE_TA)
        self.assertEqual((referral.status, referral.related), (Status.DOCUMENT_RECU_PAS_AR, act))
        act.refresh_from_db()
        self.assertEqual(act.status, Status.TRANSMIS)

    def test_it_queues_an_unmatched_message_with_its_reason(self):
        result = self.apply(fixture_files("test-archive-MISILCL"))
        self.assertEqual(result.state, InboundState.ERROR)
        self.assertEqual(
            result.message.reason, "Aucune transaction trouvée pour l'acte n° 20170721D (SIREN 000000000)."
        )
        self.assertFalse(result.message.transactions.exists())

    def test_it_queues_an_unknown_siren(self):
        self.zero.siren = "123456782"
        self.zero.save()
        result = self.apply(fixture_files("test-archive-MISILCL"))
        self.assertEqual(result.message.reason, "Aucune collectivité de SIREN 000000000 sur la plateforme.")

    def test_it_queues_an_ar_for_an_act_not_transmitted(self):
        act = self.create(
            self.zero,
            number="20170721D",
            nature=3,
            decision_date=dt.date(2017, 7, 1),
            classification="2.2",
            document=Document("a.pdf", PDF, "99_AI"),
        )
        result = self.apply(fixture_files("test-archive-MISILCL"))
        self.assertEqual(result.state, InboundState.ERROR)
        self.assertIn("Changement d'état impossible", result.message.reason)
        act.refresh_from_db()
        self.assertEqual(act.status, Status.POSTE)

    def test_it_undoes_the_whole_mail_when_one_message_fails(self):
        act = self.fixture_act()
        files = fixture_files("test-archive-MISILCL") | fixture_files("test-defere-ta")
        result = self.apply(files)
        self.assertEqual(result.state, InboundState.ERROR)
        act.refresh_from_db()
        self.assertEqual(act.status, Status.TRANSMIS)

    def test_it_queues_malformed_xml(self):
        result = self.apply({"034-000000000-20170701-20170721D-AI-1-2_0.xml": b"<actes:ARActe"})
        self.assertEqual(result.state, InboundState.ERROR)
        self.assertIn("illisible", result.message.reason)

    def test_it_queues_a_mail_without_message(self):
        result = self.apply({"note.pdf": PDF})
        self.assertEqual(result.message.reason, "Aucun message @ctes dans ce courriel.")

    def test_it_ignores_a_multichannel_notice(self):
        self.fixture_act()
        result = self.apply(fixture_files("test-archive-MISILCL"), body=MULTICHANNEL_TEXT)
        self.assertEqual(
            (result.state, result.message.reason),
            (InboundState.IGNORED, "Acte transmis en multicanal : message ignoré."),
        )
        self.assertEqual(Transaction.objects.get().status, Status.TRANSMIS)

    def test_it_keeps_the_raw_mail(self):
        mail = make_mail(fixture_files("test-archive-MISILCL"))
        result = apply_inbound_mail(mail=mail)
        self.assertEqual(result.message.raw.read(), mail.raw)
        self.assertEqual(result.message.sha256, mail.sha256)

    def test_it_queues_an_unreadable_mail(self):
        files = fixture_files("test-archive-MISILCL")
        mail = make_mail(files)
        name = next(iter(files))
        # Two attachments with the same name: the transport refuses the mail (MailError).
        raw = mail.raw.replace(b"TACT--SPREF0011-000000000-20170721-4.xml", name.encode())
        result = apply_inbound_mail(mail=FakeMail(mail.key, mail.uid, raw, mail.sha256))
        self.assertEqual(result.state, InboundState.ERROR)
        self.assertTrue(result.message.reason)
