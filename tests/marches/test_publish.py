"""Publishing: only subscribed members, never without a deadline, warnings confirmed explicitly."""

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from bouquet.core.choices import ModuleCode
from bouquet.core.models import JournalEntry, Subscription
from bouquet.marches.choices import Kind, Procedure, Status
from bouquet.marches.errors import NotSubscribed, PublicationBlocked, PublicationWarnings, RightsError
from bouquet.marches.services.publish_consultation import publish_consultation
from tests.marches.helpers import MarchesTestCase, make_consultation


class PublishTestCase(MarchesTestCase):
    def _unsubscribe(self, authority):
        Subscription.objects.filter(authority=authority, module__code=ModuleCode.MARCHES).update(
            end_date=date(2024, 12, 31)
        )

    def test_it_publishes_with_notice_version_history_and_journal(self):
        consultation = make_consultation(self.authority_a, lots=2, files=["RC.pdf"])
        self.login(self.alice)
        response = self.client.post(reverse("marches:publish", args=[consultation.pk]))
        self.assertRedirects(response, reverse("marches:detail", args=[consultation.pk]))
        consultation.refresh_from_db()
        self.assertEqual(consultation.status, Status.PUBLISHED)
        self.assertIsNotNone(consultation.published_at)
        version = consultation.notice_versions.get()
        self.assertEqual(version.number, 1)
        self.assertEqual(len(version.snapshot["lots"]), 2)
        self.assertEqual(consultation.events.filter(kind="published").count(), 1)
        self.assertTrue(
            JournalEntry.objects.filter(action="marches.publish", object_id=str(consultation.pk)).exists()
        )

    def test_an_authority_not_subscribed_cannot_publish(self):
        self._unsubscribe(self.authority_a)
        consultation = make_consultation(self.authority_a)
        self.login(self.alice)
        page = self.client.get(reverse("marches:detail", args=[consultation.pk]))
        self.assertContains(page, "n&#x27;est pas abonnée au service Marchés publics")
        self.client.post(reverse("marches:publish", args=[consultation.pk]))
        consultation.refresh_from_db()
        self.assertEqual(consultation.status, Status.DRAFT)
        with self.assertRaises(NotSubscribed):
            publish_consultation(consultation=consultation, actor=self.alice)
        self.assertContains(
            self.client.get(reverse("marches:home")), "vous pouvez préparer vos consultations"
        )

    def test_an_ended_subscription_is_not_current(self):
        Subscription.objects.filter(authority=self.authority_a, module__code=ModuleCode.MARCHES).update(
            start_date=timezone.localdate() + timedelta(days=1)
        )
        with self.assertRaises(NotSubscribed):
            publish_consultation(consultation=make_consultation(self.authority_a), actor=self.alice)

    def test_it_cannot_publish_without_a_deadline_or_notice(self):
        consultation = make_consultation(
            self.authority_a, bid_deadline=None, question_deadline=None, notice_text=""
        )
        with self.assertRaises(PublicationBlocked) as caught:
            publish_consultation(consultation=consultation, actor=self.alice)
        self.assertEqual(len(caught.exception.problems), 2)
        self.login(self.alice)
        response = self.client.post(reverse("marches:publish", args=[consultation.pk]), follow=True)
        self.assertContains(response, "Indiquez la date et l&#x27;heure limites")
        consultation.refresh_from_db()
        self.assertEqual(consultation.status, Status.DRAFT)

    def test_a_short_deadline_needs_explicit_confirmation(self):
        consultation = make_consultation(
            self.authority_a,
            procedure=Procedure.OPEN,
            estimated_amount=Decimal(300_000),
            bid_deadline=timezone.now() + timedelta(days=10),
            question_deadline=timezone.now() + timedelta(days=2),
        )
        with self.assertRaises(PublicationWarnings):
            publish_consultation(consultation=consultation, actor=self.alice)
        self.login(self.alice)
        response = self.client.post(reverse("marches:publish", args=[consultation.pk]))
        self.assertContains(response, "plus court que le délai minimal prévu par le code")
        consultation.refresh_from_db()
        self.assertEqual(consultation.status, Status.DRAFT)
        self.client.post(reverse("marches:publish", args=[consultation.pk]), {"confirm": "1"})
        consultation.refresh_from_db()
        self.assertEqual(consultation.status, Status.PUBLISHED)
        entry = JournalEntry.objects.get(action="marches.publish_warnings_confirmed")
        self.assertIn("délai minimal", entry.details["warnings"][0])

    def test_a_mapa_above_the_formalised_threshold_is_warned(self):
        consultation = make_consultation(
            self.authority_a, kind=Kind.SERVICES, estimated_amount=Decimal(250_000), files=["RC.pdf"]
        )
        self.login(self.alice)
        page = self.client.get(reverse("marches:publish", args=[consultation.pk]))
        self.assertContains(page, "seuil des procédures formalisées")

    def test_read_only_users_and_other_tenants_cannot_publish(self):
        consultation = make_consultation(self.authority_a)
        with self.assertRaises(RightsError):
            publish_consultation(consultation=consultation, actor=self.bob)
        self.login(self.bob)
        self.assertEqual(
            self.client.post(reverse("marches:publish", args=[consultation.pk])).status_code, 403
        )
        self.login(self.charlie)
        self.assertEqual(
            self.client.post(reverse("marches:publish", args=[consultation.pk])).status_code, 404
        )
        consultation.refresh_from_db()
        self.assertEqual(consultation.status, Status.DRAFT)

    def test_a_published_consultation_cannot_be_published_again(self):
        consultation = make_consultation(self.authority_a, status=Status.PUBLISHED)
        self.login(self.alice)
        response = self.client.post(reverse("marches:publish", args=[consultation.pk]), follow=True)
        self.assertContains(response, "ne se modifie plus librement")
