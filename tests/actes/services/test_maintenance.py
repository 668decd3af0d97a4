import datetime as dt

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from bouquet.actes.choices import Status
from bouquet.actes.errors import WorkflowError
from bouquet.actes.services.alert_unacknowledged import alert_unacknowledged
from bouquet.actes.services.apply_inbound_mail import apply_inbound_mail
from bouquet.actes.services.close_stale_transmissions import close_stale_transmissions
from bouquet.actes.services.validate_act import add_months, validate_act

from . import ministry
from .helpers import ActesTestCase, make_mail


class ValidateActTestCase(ActesTestCase):
    def test_it_validates_two_months_after_the_ar(self):
        act = self.transmitted()
        apply_inbound_mail(mail=make_mail(ministry.ar_acte(act)))
        act.refresh_from_db()
        ar_at = act.history.get(status=Status.ACQUITTEMENT_RECU).at
        with self.assertRaisesMessage(WorkflowError, "deux mois après l'accusé de réception"):
            validate_act(act=act, actor=self.alice_actor, now=ar_at + dt.timedelta(days=58))
        validate_act(act=act, actor=self.alice_actor, now=add_months(ar_at, 2) + dt.timedelta(seconds=1))
        act.refresh_from_db()
        self.assertEqual((act.status, act.history.last().message), (Status.VALIDE, "Acte validé"))

    def test_it_refuses_an_act_not_acknowledged(self):
        with self.assertRaises(WorkflowError):
            validate_act(act=self.transmitted(), actor=self.alice_actor)

    def test_it_adds_months_at_the_end_of_a_month(self):
        moment = dt.datetime(2025, 12, 31, 12, tzinfo=dt.UTC)
        self.assertEqual(add_months(moment, 2), dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC))


class CloseStaleTransmissionsTestCase(ActesTestCase):
    def test_it_closes_after_thirty_days_only(self):
        act = self.transmitted()
        sent_at = act.last_status_at
        self.assertEqual(close_stale_transmissions(now=sent_at + dt.timedelta(days=29)), [])
        (closed,) = close_stale_transmissions(now=sent_at + dt.timedelta(days=30, seconds=1))
        act.refresh_from_db()
        self.assertEqual(act.status, Status.ERREUR)
        self.assertEqual(
            act.history.last().message, "Fermeture automatique de la transaction de plus de 30 jours"
        )

    @override_settings(ACTES_TRANSMIS_TIMEOUT_DAYS=2)
    def test_it_follows_the_setting(self):
        act = self.transmitted()
        self.assertEqual(len(close_stale_transmissions(now=act.last_status_at + dt.timedelta(days=3))), 1)


class AlertUnacknowledgedTestCase(ActesTestCase):
    def test_it_alerts_operator_staff_once_per_act(self):
        act = self.transmitted()
        self.assertEqual(alert_unacknowledged(now=act.last_status_at + dt.timedelta(hours=3)), [])
        later = act.last_status_at + dt.timedelta(hours=4, minutes=1)
        self.assertEqual(alert_unacknowledged(now=later), [act])
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(
            sorted(mail.outbox[0].to), ["olga@operateur.example.test", "sam@operateur.example.test"]
        )
        self.assertIn("2025_D001", mail.outbox[0].body)
        self.assertIn("1 acte sans accusé de réception", mail.outbox[0].subject)
        self.assertEqual(alert_unacknowledged(now=later + dt.timedelta(hours=5)), [])
        self.assertEqual(len(mail.outbox), 1)
        act.refresh_from_db()
        self.assertEqual(act.ack_alert_sent_at, later)

    def test_it_ignores_acknowledged_acts(self):
        act = self.transmitted()
        apply_inbound_mail(mail=make_mail(ministry.ar_acte(act)))
        self.assertEqual(alert_unacknowledged(now=timezone.now() + dt.timedelta(hours=5)), [])
