from datetime import timedelta

from django.core import mail
from django.utils import timezone

from bouquet.core.choices import Role
from bouquet.pki.models import Certificate, ExpiryAlert
from bouquet.pki.services import import_certificate
from bouquet.pki.tasks import run_expiry_alerts, select_threshold, send_expiry_alerts
from bouquet.pki.testing import demo_pki_for_tests
from bouquet.test import BaseTestCase, make_user


def test_it_selects_each_threshold_once():
    assert select_threshold(120, set()) is None
    assert select_threshold(90, set()) == 90
    assert select_threshold(60, {90}) is None
    assert select_threshold(30, {90}) == 30
    assert select_threshold(25, set()) == 30  # a missed run catches up with one message
    assert select_threshold(30, {90, 30}) is None
    assert select_threshold(7, {90, 30}) == 7
    assert select_threshold(0, {90, 30, 7}) == 0
    assert select_threshold(-1, set()) is None


class ExpiryAlertTestCase(BaseTestCase):
    def setUp(self):
        demo = demo_pki_for_tests()
        self.agent = make_user("agent@a.example.test", self.authority_a, Role.AGENT)
        self.cert = import_certificate(
            data=demo.users["valid_rgs"].cert.read_bytes(),
            actor=None,
            holder_name="Agent A",
            bind_to=self.agent,
        )

    def expire_in(self, days: int) -> None:
        Certificate.objects.filter(pk=self.cert.pk).update(
            not_after=timezone.now() + timedelta(days=days, hours=1)
        )

    def test_it_warns_the_holder_and_the_authority_admins_at_d30_once(self):
        self.expire_in(30)
        ExpiryAlert.objects.create(certificate=self.cert, threshold_days=90)
        assert run_expiry_alerts() == 1
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert sorted(message.to) == ["agent@a.example.test", "alice@a.example.test"]
        assert "expire dans 30 jours" in message.subject
        assert "Agent A" in message.body and "RGS**" in message.body
        assert message.alternatives[0].mimetype == "text/html"
        assert run_expiry_alerts() == 0
        assert len(mail.outbox) == 1
        assert ExpiryAlert.objects.filter(certificate=self.cert, threshold_days=30).exists()

    def test_it_sends_nothing_far_from_expiry(self):
        self.expire_in(200)
        assert run_expiry_alerts() == 0
        assert mail.outbox == []

    def test_it_warns_on_the_expiry_day(self):
        Certificate.objects.filter(pk=self.cert.pk).update(
            not_after=timezone.localtime().replace(hour=23, minute=59)
        )
        assert run_expiry_alerts() == 1
        assert "expire aujourd'hui" in mail.outbox[0].subject

    def test_it_ignores_certificates_without_active_accounts(self):
        self.expire_in(7)
        self.agent.is_active = False
        self.agent.save()
        assert run_expiry_alerts() == 0

    def test_it_does_not_warn_the_admins_of_other_authorities(self):
        self.expire_in(7)
        run_expiry_alerts()
        assert "charlie@b.example.test" not in mail.outbox[0].to

    def test_it_runs_as_a_task(self):
        self.expire_in(90)
        assert send_expiry_alerts.call() == 1
