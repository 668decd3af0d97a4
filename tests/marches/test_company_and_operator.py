"""Company accounts (sign-up with a Luhn-checked SIRET, login through the platform's page) and the
operator's read-only overview."""

from django.urls import reverse

from bouquet.core.models import JournalEntry, User
from bouquet.marches.choices import Status
from bouquet.marches.companies import company_for
from bouquet.marches.models import Company
from tests.marches.helpers import SIRET_1, MarchesTestCase, make_company_user, make_consultation

SIGN_UP = {
    "siret": "732 829 320 00074",
    "name": "Routes et Cie",
    "address": "1 rue des Routes",
    "postal_code": "21000",
    "city": "Dijon",
    "phone": "",
    "first_name": "Hugo",
    "last_name": "Lambert",
    "email": "Hugo@Routes.example.test",
    "password": "une-phrase-de-passe-longue",
    "password_again": "une-phrase-de-passe-longue",
}


class CompanyTestCase(MarchesTestCase):
    def test_a_company_signs_up_and_is_logged_in(self):
        response = self.client.post(reverse("marches_public:company_sign_up"), SIGN_UP)
        self.assertRedirects(response, reverse("marches_public:company_home"))
        user = User.objects.get(email="hugo@routes.example.test")
        self.assertEqual(company_for(user).siret, SIRET_1)
        self.assertFalse(user.memberships.exists())
        self.assertContains(self.client.get(reverse("marches_public:company_home")), "Routes et Cie")
        self.assertTrue(JournalEntry.objects.filter(action="marches.company_sign_up").exists())

    def test_bad_sign_ups_are_refused(self):
        cases = {
            "siret": ("73282932000075", "clé de contrôle"),
            "password_again": ("autre-chose-encore", "pas identiques"),
            "email": ("pas-une-adresse", "adresse e-mail valide"),
        }
        for field, (value, expected) in cases.items():
            with self.subTest(field=field):
                response = self.client.post(
                    reverse("marches_public:company_sign_up"), {**SIGN_UP, field: value}
                )
                self.assertContains(response, expected)
        response = self.client.post(
            reverse("marches_public:company_sign_up"),
            {**SIGN_UP, "password": "motdepasse", "password_again": "motdepasse"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Company.objects.exists())

    def test_a_siret_or_an_email_signs_up_once(self):
        make_company_user("deja@example.test", SIRET_1)
        response = self.client.post(reverse("marches_public:company_sign_up"), SIGN_UP)
        self.assertContains(response, "a déjà un compte")
        other = {**SIGN_UP, "siret": "44306184100047", "email": self.alice.email}
        response = self.client.post(reverse("marches_public:company_sign_up"), other)
        self.assertContains(response, "Un compte existe déjà avec cette adresse")
        self.assertEqual(Company.objects.count(), 1)

    def test_login_goes_through_the_platform_login_page_and_back(self):
        response = self.client.get(reverse("marches_public:company_login"), {"next": "/consultations/1/"})
        self.assertRedirects(
            response, reverse("web:login") + "?next=%2Fconsultations%2F1%2F", fetch_redirect_response=False
        )
        response = self.client.get(reverse("marches_public:company_login"), {"next": "https://evil.example/"})
        self.assertIn("next=%2Fconsultations%2Fentreprise%2F", response["Location"])

    def test_a_member_agent_has_no_company_space_and_no_buyer_pages_for_companies(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("marches_public:company_home")).status_code, 403)
        user, _ = make_company_user()
        self.client.force_login(user)
        self.assertEqual(self.client.get(reverse("marches:home")).status_code, 403)


class OperatorTestCase(MarchesTestCase):
    def test_staff_see_every_member_and_each_look_is_journaled(self):
        make_consultation(self.authority_a, "OP-A")
        consultation_b = make_consultation(self.authority_b, "OP-B", status=Status.PUBLISHED)
        self.login(self.olga)
        page = self.client.get(reverse("marches:operator_home"))
        self.assertContains(page, "OP-A")
        self.assertContains(page, "OP-B")
        self.assertContains(self.client.get(reverse("marches:operator_home"), {"q": "OP-B"}), "Commune B")
        self.client.get(reverse("marches:operator_detail", args=[consultation_b.pk]))
        entry = JournalEntry.objects.get(action="operator.view")
        self.assertEqual((entry.authority, entry.object_id), (self.authority_b, str(consultation_b.pk)))

    def test_members_get_403(self):
        consultation = make_consultation(self.authority_a, "OP-A")
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("marches:operator_home")).status_code, 403)
        self.assertEqual(
            self.client.get(reverse("marches:operator_detail", args=[consultation.pk])).status_code, 403
        )
