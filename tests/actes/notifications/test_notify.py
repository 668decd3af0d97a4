"""E-mails about acts, sent through a real SMTP server on loopback once the change is committed."""

from django.db import transaction as db

from bouquet.actes import workflow
from bouquet.actes.choices import Status
from bouquet.actes.models import NotificationEvent, NotificationPreference, Transaction
from bouquet.actes.notifications import event_for_change, notify, recipients
from bouquet.actes.services.apply_inbound_mail import apply_inbound_mail
from bouquet.actes.services.cancel_act import cancel_act
from bouquet.actes.services.check_transaction import check_transaction
from bouquet.actes.services.send_envelope import send_envelope
from bouquet.core.audit import Actor
from bouquet.core.choices import Access, ModuleCode, Role
from bouquet.core.models import Membership
from bouquet.test import make_user
from tests.actes.notifications.smtp import SmtpServer
from tests.actes.services import ministry
from tests.actes.services.helpers import ActesTestCase, FakeClient, fixture_files, make_mail

SYSTEM = Actor.system("tests")


class NotifyTestCase(ActesTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.smtp = SmtpServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.smtp.stop()
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        full = {ModuleCode.ACTES: (Access.WRITE, True, True)}
        cls.dave = make_user("dave@a.example.test", cls.authority_a, Role.AGENT, full)
        cls.dave_actor = Actor.of_user(cls.dave)

    def setUp(self):
        self.smtp.clear()
        self.enterContext(self.settings(MAILERS=self.smtp.mailers()))

    # Builders: each step commits (captured on_commit callbacks run, as after a real COMMIT).

    def transmitted_by_dave(self, **changes) -> Transaction:
        with self.captureOnCommitCallbacks(execute=True):
            act = self.transmitted(actor=self.dave_actor, **changes)
        self.assertEqual(act.status, Status.TRANSMIS)
        return act

    def receive(self, files) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            result = apply_inbound_mail(mail=make_mail(files))
        self.assertEqual(result.state, "applied", result.message.reason)

    def acknowledged(self, **changes) -> Transaction:
        act = self.transmitted_by_dave(**changes)
        self.receive(ministry.ar_acte(act))
        act.refresh_from_db()
        return act

    def mails(self) -> dict[str, object]:
        found = {}
        for received in self.smtp.received:
            (to,) = received.to
            self.assertNotIn(to, found, "one message per recipient")
            found[to] = received
        return found

    def test_it_mails_the_author_and_the_admins_when_the_ar_arrives(self):
        act = self.transmitted_by_dave()
        self.assertEqual(self.smtp.received, [], "nothing to say before the AR")
        self.receive(ministry.ar_acte(act))
        act.refresh_from_db()

        mails = self.mails()
        self.assertEqual(sorted(mails), ["alice@a.example.test", "dave@a.example.test"])
        mail = mails["dave@a.example.test"]
        self.assertEqual(
            mail.subject,
            f"[ACTES] Acte n° 2025_D001 : accusé de réception de la préfecture ({act.id_acte})",
        )
        self.assertTrue(act.id_acte.startswith("021-210100012-20250310-2025_D001-"))
        text = mail.body("plain")
        self.assertIn("Bonjour dave Test,", text)
        self.assertIn("La préfecture a accusé réception de l'acte n° 2025_D001", text)
        self.assertIn("Reçu par le MI le 2025-03-12", text)
        self.assertIn("Délibération portant vente d'une parcelle communale", text)  # not HTML-escaped
        self.assertIn(f"Identifiant de l'acte (IDActe) : {act.id_acte}", text)
        html = mail.body("html")
        self.assertIn("<strong>2025_D001</strong>", html)
        self.assertIn(act.id_acte, html)
        self.assertEqual(mail.message["From"], "Bouquet <ne-pas-repondre@bouquet.localhost>")

    def test_it_respects_each_users_preferences(self):
        NotificationPreference.objects.create(
            user=self.alice, authority=self.authority_a, event=NotificationEvent.AR_RECEIVED, enabled=False
        )
        # Other events and other authorities do not matter; an explicit "on" is the default.
        NotificationPreference.objects.create(
            user=self.dave, authority=self.authority_b, event=NotificationEvent.AR_RECEIVED, enabled=False
        )
        NotificationPreference.objects.create(
            user=self.dave, authority=self.authority_a, event=NotificationEvent.ANOMALY, enabled=False
        )
        NotificationPreference.objects.create(
            user=self.dave, authority=self.authority_a, event=NotificationEvent.AR_RECEIVED, enabled=True
        )
        self.acknowledged()
        self.assertEqual(sorted(self.mails()), ["dave@a.example.test"])

    def test_it_leaves_out_inactive_users_and_other_authorities(self):
        act = self.transmitted_by_dave()
        Membership.objects.filter(user=self.dave, authority=self.authority_a).update(is_active=False)
        emails = [u.email for u in recipients(act, NotificationEvent.AR_RECEIVED)]
        self.assertEqual(emails, ["alice@a.example.test"])  # not bob (read only), charlie, olga

    def test_it_mails_an_anomaly(self):
        act = self.transmitted_by_dave()
        with self.captureOnCommitCallbacks(execute=True):
            workflow.change_status(
                act,
                workflow.Event.ANOMALY,
                message="Anomalie signalee par le MI : 2 - Classification",
                actor=SYSTEM,
            )
        mails = self.mails()
        self.assertEqual(sorted(mails), ["alice@a.example.test", "dave@a.example.test"])
        mail = mails["alice@a.example.test"]
        self.assertEqual(mail.subject, "[ACTES] Acte n° 2025_D001 : anomalie signalée par le ministère")
        self.assertIn("Anomalie signalee par le MI : 2 - Classification", mail.body("plain"))

    def test_it_mails_a_letter_from_the_prefecture_to_the_acts_author(self):
        act = self.acknowledged()
        self.smtp.clear()
        self.receive(ministry.letter(act, "3-1"))
        mails = self.mails()
        self.assertEqual(sorted(mails), ["alice@a.example.test", "dave@a.example.test"])
        mail = mails["dave@a.example.test"]
        self.assertEqual(
            mail.subject,
            f"[ACTES] Acte n° 2025_D001 : demande de pièces complémentaires de la préfecture ({act.id_acte})",
        )
        text = mail.body("plain")
        self.assertIn("Le plan de la parcelle", text)
        self.assertIn("Une réponse est attendue", text)

    def test_it_mails_the_cancellation_ar_once(self):
        act = self.acknowledged()
        with self.captureOnCommitCallbacks(execute=True):
            cancellation = cancel_act(act=act, actor=self.dave_actor)
            check_transaction(transaction=cancellation)
            cancellation.refresh_from_db()
            send_envelope(envelope=cancellation.envelope, client=FakeClient())
        self.smtp.clear()
        self.receive(ministry.ar_annulation(act))
        mails = self.mails()
        # The AR of the cancellation request itself (type 6) is not announced as an act's AR.
        self.assertEqual(sorted(mails), ["alice@a.example.test", "dave@a.example.test"])
        self.assertEqual(
            mails["dave@a.example.test"].subject,
            f"[ACTES] Acte n° 2025_D001 : annulation acquittée par la préfecture ({act.id_acte})",
        )
        self.assertIn("L'acte est désormais annulé.", mails["dave@a.example.test"].body("plain"))

    def test_it_sends_nothing_when_the_change_is_rolled_back(self):
        act = self.transmitted_by_dave()
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            try:
                with db.atomic():
                    workflow.change_status(act, workflow.Event.ACK_RECEIVED, message="Reçu", actor=SYSTEM)
                    raise RuntimeError("rollback")
            except RuntimeError:
                pass
        self.assertEqual(callbacks, [])
        self.assertEqual(self.smtp.received, [])

    def test_it_sends_nothing_when_an_inbound_mail_is_undone(self):
        act = self.transmitted_by_dave()
        files = ministry.ar_acte(act) | fixture_files("test-defere-ta")  # the second message fails
        with self.captureOnCommitCallbacks(execute=True):
            result = apply_inbound_mail(mail=make_mail(files))
        self.assertEqual(result.state, "error")
        act.refresh_from_db()
        self.assertEqual(act.status, Status.TRANSMIS)
        self.assertEqual(self.smtp.received, [])

    def test_a_mail_server_down_does_not_undo_the_change(self):
        act = self.transmitted_by_dave()
        down = SmtpServer()  # never started: connection refused
        # robust on_commit: the error is logged (by "django.test" under captureOnCommitCallbacks).
        with self.settings(MAILERS=down.mailers()), self.assertLogs("django.test", "ERROR") as logs:
            self.receive(ministry.ar_acte(act))
        self.assertIn("Connection refused", "\n".join(logs.output))
        act.refresh_from_db()
        self.assertEqual(act.status, Status.ACQUITTEMENT_RECU)

    def test_only_the_relevant_changes_are_announced(self):
        act = self.transmitted_by_dave()
        self.assertIsNone(event_for_change(act, workflow.Event.SEND_OK))
        self.assertIsNone(event_for_change(act, workflow.Event.VALIDATED))
        self.assertEqual(event_for_change(act, workflow.Event.TIMEOUT), None)
        self.assertEqual(event_for_change(act, workflow.Event.ENVELOPE_ANOMALY), NotificationEvent.ANOMALY)
        self.assertEqual(notify(act, NotificationEvent.AR_RECEIVED), 2)

    def test_a_change_that_cannot_be_told_does_not_hold_back_the_others(self):
        from bouquet.actes.notifications.notify import messages_for

        first, second = self.acknowledged(), self.acknowledged(number="2025_D002")
        skipped = []
        messages = messages_for(
            [
                (first, NotificationEvent.AR_RECEIVED, None),
                (first, "événement inconnu", None),
                (second, NotificationEvent.AR_RECEIVED, None),
            ],
            on_error=lambda event, exc: skipped.append((event, type(exc))),
        )
        self.assertEqual(skipped, [("événement inconnu", ValueError)])
        subjects = {m.to[0]: m.subject for m in messages}
        self.assertEqual(
            subjects,
            dict.fromkeys(
                ["alice@a.example.test", "dave@a.example.test"],
                "[ACTES] 2 accusés de réception de la préfecture : Commune A",
            ),
        )
