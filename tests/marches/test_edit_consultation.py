"""Creating and editing a draft: the buyer's form, bad inputs, rights, and a consultation that
never changes buyer."""

from django.urls import reverse

from bouquet.core.models import JournalEntry
from bouquet.marches.choices import Status
from bouquet.marches.models import Consultation
from tests.marches.helpers import MarchesTestCase, make_consultation

FORM = {
    "reference": "2026-VOIRIE",
    "object": "Réfection de la voirie",
    "procedure": "mapa",
    "kind": "works",
    "buyer_siret": "21010001200017",
    "cpv_main": "45233140-2",
    "cpv_additional": "45233141, 45233142-6",
    "execution_place": "Commune A",
    "execution_place_code": "21001",
    "execution_place_code_type": "Code commune",
    "estimated_amount": "120000",
    "bid_deadline": "2030-03-02T12:00",
    "question_deadline": "2030-02-20T12:00",
    "notice_text": "Avis",
}


class EditConsultationTestCase(MarchesTestCase):
    def test_it_creates_a_draft_with_history_and_journal(self):
        self.login(self.alice)
        response = self.client.post(reverse("marches:new"), FORM)
        consultation = Consultation.objects.get(reference="2026-VOIRIE")
        self.assertRedirects(response, reverse("marches:detail", args=[consultation.pk]))
        self.assertEqual(consultation.authority, self.authority_a)
        self.assertEqual(consultation.status, Status.DRAFT)
        self.assertEqual(consultation.cpv_additional, ["45233141", "45233142-6"])
        # Entered in Paris time, stored aware.
        self.assertEqual(consultation.bid_deadline.isoformat(), "2030-03-02T11:00:00+00:00")
        self.assertEqual(consultation.events.get().kind, "created")
        self.assertTrue(
            JournalEntry.objects.filter(action="marches.create", object_id=str(consultation.pk)).exists()
        )

    def test_it_refuses_bad_inputs_and_changes_nothing(self):
        self.login(self.alice)
        cases = {
            "buyer_siret": ("21010001200016", "clé de contrôle"),
            "cpv_main": ("4523314", "CPV"),
            "cpv_additional": ("45233141 abc", "CPV"),
            "reference": ("A B", "espace"),
            "estimated_amount": ("-5", "supérieure ou égale à 0"),
            "bid_deadline": ("demain", "date"),
        }
        for field, (value, expected) in cases.items():
            with self.subTest(field=field):
                response = self.client.post(reverse("marches:new"), {**FORM, field: value})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, expected)
        self.assertFalse(Consultation.objects.exists())

    def test_the_buyer_siret_must_be_one_of_the_authority(self):
        self.login(self.alice)
        response = self.client.post(reverse("marches:new"), {**FORM, "buyer_siret": "21020001000010"})
        self.assertContains(response, "doit commencer par le SIREN de votre collectivité (210100012)")
        self.assertFalse(Consultation.objects.exists())

    def test_a_reference_is_unique_per_authority(self):
        make_consultation(self.authority_a, "2026-VOIRIE")
        make_consultation(self.authority_b, "2026-B")
        self.login(self.alice)
        response = self.client.post(reverse("marches:new"), FORM)
        self.assertContains(response, "porte déjà la référence")
        response = self.client.post(reverse("marches:new"), {**FORM, "reference": "2026-B"})
        self.assertEqual(Consultation.objects.for_tenant(self.authority_a).count(), 2)

    def test_read_only_and_anonymous_users_cannot_create(self):
        self.assertRedirects(
            self.client.get(reverse("marches:new")), reverse("web:login") + "?next=" + reverse("marches:new")
        )
        self.login(self.bob)
        self.assertEqual(self.client.post(reverse("marches:new"), FORM).status_code, 403)
        self.assertEqual(self.client.get(reverse("marches:home")).status_code, 200)
        self.assertFalse(Consultation.objects.exists())

    def test_an_edit_cannot_move_the_consultation_to_another_authority(self):
        consultation = make_consultation(self.authority_a, "2026-X")
        self.login(self.alice)
        data = {
            **FORM,
            "reference": "2026-X",
            "authority": self.authority_b.pk,
            "authority_id": self.authority_b.pk,
        }
        self.client.post(reverse("marches:edit", args=[consultation.pk]), data)
        consultation.refresh_from_db()
        self.assertEqual(consultation.authority, self.authority_a)
        self.assertEqual(consultation.object, "Réfection de la voirie")

    def test_a_published_consultation_is_no_longer_edited_freely(self):
        consultation = make_consultation(self.authority_a, "2026-P", status=Status.PUBLISHED)
        self.login(self.alice)
        response = self.client.post(
            reverse("marches:edit", args=[consultation.pk]), {**FORM, "reference": "2026-P"}
        )
        self.assertRedirects(response, reverse("marches:modify", args=[consultation.pk]))
        consultation.refresh_from_db()
        self.assertNotEqual(consultation.object, "Réfection de la voirie")

    def test_lots_are_added_numbered_and_checked(self):
        consultation = make_consultation(self.authority_a, "2026-L")
        self.login(self.alice)
        url = reverse("marches:lot_add", args=[consultation.pk])
        self.client.post(url, {"object": "Chaussée", "cpv": "45233140-2", "estimated_amount": "50000"})
        self.client.post(url, {"object": "Signalisation", "cpv": "45233290-8"})
        self.client.post(url, {"object": "Mauvais", "cpv": "ABC"})
        self.client.post(url, {"number": "1", "object": "Doublon", "cpv": "45233140-2"})
        self.assertEqual(
            list(consultation.lots.values_list("number", "object")), [(1, "Chaussée"), (2, "Signalisation")]
        )

    def test_the_home_lists_only_the_current_authority(self):
        make_consultation(self.authority_a, "A-ONE")
        make_consultation(self.authority_b, "B-ONE")
        self.login(self.alice)
        response = self.client.get(reverse("marches:home"))
        self.assertContains(response, "A-ONE")
        self.assertNotContains(response, "B-ONE")
