import datetime as dt

from django.utils import timezone

from bouquet.actes.choices import InboundState
from bouquet.actes.models import InboundMessage, Transaction
from bouquet.actes.services.apply_inbound_mail import apply_inbound_mail
from bouquet.core.models import JournalEntry
from tests.actes.services.helpers import fixture_files, make_mail
from tests.web.html import assert_clean_page

from .helpers import ActesViewTestCase

PAGES = ["/actes/operateur/", "/actes/operateur/bloquees/", "/actes/operateur/erreurs/"]


class OperatorPagesTestCase(ActesViewTestCase):
    def test_it_redirects_anonymous_users_to_login(self):
        for url in PAGES:
            self.assertRedirects(self.client.get(url), f"/connexion/?next={url}")

    def test_it_is_403_for_members(self):
        act = self.create()
        self.login(self.alice)
        for url in PAGES + [f"/actes/operateur/{act.pk}/"]:
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertContains(
                    r, "Cette page est réservée à l&#x27;équipe de l&#x27;opérateur.", status_code=403
                )
        self.assertEqual(self.client.post("/actes/operateur/erreurs/1/rejouer/").status_code, 403)

    def test_it_serves_admin_and_support_staff(self):
        for user in (self.olga, self.sam):
            self.login(user)
            for url in PAGES:
                with self.subTest(user=user.email, url=url):
                    r = self.client.get(url)
                    self.assertEqual(r.status_code, 200)
                    assert_clean_page(self, r)

    def test_it_lists_every_member_with_the_same_filters(self):
        self.create(number="2025_A001")
        self.create(authority=self.authority_b, number="2025_B001")
        self.login(self.sam)
        r = self.client.get("/actes/operateur/")
        self.assertContains(r, "2025_A001")
        self.assertContains(r, "2025_B001")
        self.assertContains(r, "Commune B")
        r = self.client.get("/actes/operateur/", {"authority": "210200010", "status": 1})
        self.assertEqual([t.number for t in r.context["page"].object_list], ["2025_B001"])

    def test_opening_a_member_transaction_is_journaled(self):
        act = self.create(authority=self.authority_b, number="2025_B001")
        self.login(self.sam)
        r = self.client.get(f"/actes/operateur/{act.pk}/")
        assert_clean_page(self, r)
        self.assertContains(r, "Commune B (210200010)")
        self.assertNotContains(r, "/fichiers/")  # the member download links are not the operator's
        entry = JournalEntry.objects.get(action="operator.view", object_id=str(act.pk))
        self.assertEqual((entry.actor_user, entry.authority), (self.sam, self.authority_b))

    def test_it_lists_stuck_transactions_oldest_first(self):
        now = timezone.now()
        sent = self.transmitted(number="2025_D001")
        posted = self.create(number="2025_D002")
        fresh = self.transmitted(number="2025_D003")
        Transaction.objects.filter(pk=sent.pk).update(last_status_at=now - dt.timedelta(hours=5))
        Transaction.objects.filter(pk=posted.pk).update(last_status_at=now - dt.timedelta(hours=1))
        self.login(self.olga)
        r = self.client.get("/actes/operateur/bloquees/")
        self.assertEqual([t.pk for t in r.context["page"].object_list], [sent.pk, posted.pk])
        self.assertNotContains(r, fresh.number)
        self.assertContains(r, "2 transactions bloquées")
        self.assertContains(r, "5\xa0heures")

    def test_it_requeues_a_mail_in_error_with_a_journal_entry(self):
        inbound = apply_inbound_mail(mail=make_mail(fixture_files("test-courrier-simple"))).message
        self.assertEqual(inbound.state, InboundState.ERROR)
        self.login(self.sam)
        r = self.client.get("/actes/operateur/erreurs/")
        self.assertContains(r, inbound.reason[:40])
        self.assertContains(r, "1 courriel en erreur")
        r = self.client.post(f"/actes/operateur/erreurs/{inbound.pk}/rejouer/", follow=True)
        self.assertRedirects(r, "/actes/operateur/erreurs/")
        self.assertContains(r, "Le courriel est toujours en erreur")
        entry = JournalEntry.objects.get(action="actes.inbound.retry")
        self.assertEqual(entry.actor_user, self.sam)
        inbound.refresh_from_db()
        self.assertEqual(inbound.state, InboundState.ERROR)

    def test_it_refuses_to_requeue_what_is_not_in_error(self):
        inbound = apply_inbound_mail(mail=make_mail(fixture_files("test-courrier-simple"))).message
        InboundMessage.objects.filter(pk=inbound.pk).update(state=InboundState.APPLIED)
        self.login(self.sam)
        self.assertEqual(self.client.post(f"/actes/operateur/erreurs/{inbound.pk}/rejouer/").status_code, 404)
        self.assertEqual(self.client.get(f"/actes/operateur/erreurs/{inbound.pk}/rejouer/").status_code, 405)
