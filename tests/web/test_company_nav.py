"""A company's agent sees the procurement links in the main navigation."""

from bouquet.marches.models import Company, CompanyMembership
from bouquet.test import BaseTestCase, make_user


class CompanyNavigationTestCase(BaseTestCase):
    def test_company_user_sees_consultations_deposits_and_messages(self):
        company = Company.objects.create(siret="73282932000074", name="Travaux Test SARL")
        user = make_user("offres@travaux.example.test")
        CompanyMembership.objects.create(company=company, user=user)
        self.login(user)
        html = self.client.get("/").content.decode()
        for label, url in (("Consultations", "/consultations/"), ("Mes plis", "/depots/mes-plis/")):
            self.assertIn(f'<a href="{url}">{label}</a>', html)

    def test_member_agent_does_not(self):
        self.login(self.alice)
        self.assertNotIn("Mes plis", self.client.get("/").content.decode())
