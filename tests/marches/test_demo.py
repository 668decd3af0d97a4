"""`bouquet demo` for the procurement platform: every state, idempotent, usable logins."""

from django.urls import reverse

from bouquet.core import demo as core_demo
from bouquet.core.models import User
from bouquet.marches import demo
from bouquet.marches.choices import Status
from bouquet.marches.companies import company_for
from bouquet.marches.models import Consultation, DceFile
from bouquet.test import BaseTestCase


class DemoTestCase(BaseTestCase):
    def test_it_loads_every_state_idempotently(self):
        core_demo.load()
        demo.load()
        count, files = Consultation.objects.count(), DceFile.objects.count()
        demo.load()
        self.assertEqual((Consultation.objects.count(), DceFile.objects.count()), (count, files))
        self.assertEqual(count, len(demo.CONSULTATIONS))
        states = set(Consultation.objects.values_list("status", flat=True))
        expected = {Status.DRAFT, Status.PUBLISHED, Status.CLOSED, Status.CANCELLED, Status.UNSUCCESSFUL}
        self.assertEqual(states, expected)
        relaunch = Consultation.objects.get(reference="BEAUNE-25-05-R1")
        self.assertEqual(relaunch.relaunched_from.status, Status.UNSUCCESSFUL)
        published = Consultation.objects.get(reference="BEAUNE-2026-02")
        self.assertEqual(published.lots.count(), 2)
        self.assertEqual(published.questions.filter(answered_at__isnull=False).count(), 1)
        self.assertTrue(Consultation.objects.filter(is_test=True, status=Status.PUBLISHED).exists())
        subscribed = {"Commune de Beaune", "Commune d'Is-sur-Tille"}
        self.assertTrue(subscribed <= set(Consultation.objects.values_list("authority__name", flat=True)))
        self.assertNotIn(
            "Commune de Vitteaux", set(Consultation.objects.values_list("authority__name", flat=True))
        )
        self.assertIsNotNone(company_for(User.objects.get(email="entreprise.demo@demo.bouquet.test")))
        # The demo buyer sees its consultations; anyone downloads the DCE.
        self.client.force_login(User.objects.get(email="secretariat.beaune@demo.bouquet.test"))
        self.assertContains(self.client.get(reverse("marches:home")), "BEAUNE-2026-02")
        self.client.logout()
        published = Consultation.objects.get(reference="BEAUNE-2026-02")
        response = self.client.get(reverse("marches_public:dce_zip", args=[published.pk]))
        self.assertGreater(len(b"".join(response.streaming_content)), 1000)
