from bouquet.core.models import JournalEntry
from tests.web.html import assert_clean_page

from .helpers import SIRET_B, HeliosViewTestCase

URL = "/helios/retours/"


class RetourInboxTestCase(HeliosViewTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # The SIRET table is filled from the PES each member sent: a deposit routes the retours.
        cls.deposit_for(cls.authority_a, cls.alice, "PES_A_0001")
        cls.deposit_for(cls.authority_b, cls.charlie, "PES_B_0001")

    @classmethod
    def deposit_for(cls, authority, user, nom_fic):
        HeliosViewTestCase.deposit(cls, nom_fic, authority=authority, user=user)

    def test_it_redirects_anonymous_users_to_login(self):
        self.assertRedirects(self.client.get(URL), f"/connexion/?next={URL}")

    def test_it_lists_the_authoritys_retours_unread_first_marked(self):
        mine = self.retour(name="PES_Retour_A_1.xml")
        self.retour(siret=SIRET_B, name="PES_Retour_B_1.xml")
        self.login(self.bob)
        r = self.client.get(URL)
        self.assertContains(r, "PES_Retour_A_1.xml")
        self.assertNotContains(r, "PES_Retour_B_1.xml")
        self.assertContains(r, "1 retour, dont 1 non lu")
        self.assertContains(r, '<tr class="unread">', html=False)
        self.assertContains(r, f'href="/helios/retours/{mine.pk}/fichier.xml"')
        self.assertContains(r, "Dépenses")
        assert_clean_page(self, r)

    def test_downloading_a_retour_marks_it_read_once(self):
        retour = self.retour(name="PES_Retour_A_2.xml")
        self.login(self.bob)  # reading is enough
        r = self.client.get(f"/helios/retours/{retour.pk}/fichier.xml")
        self.assertEqual(r.content, retour.read())
        self.assertEqual(r["Content-Disposition"], 'attachment; filename="PES_Retour_A_2.xml"')
        retour.refresh_from_db()
        self.assertTrue(retour.is_read)
        self.assertEqual(retour.read_by, self.bob)
        entries = JournalEntry.objects.filter(action="helios.retour_read").count()
        self.client.get(f"/helios/retours/{retour.pk}/fichier.xml")
        self.assertEqual(JournalEntry.objects.filter(action="helios.retour_read").count(), entries)
        r = self.client.get(URL)
        self.assertContains(r, "lu le")
        self.assertNotContains(r, "dont 1 non lu")

    def test_the_unread_filter(self):
        read = self.retour(name="PES_Retour_A_3.xml")
        self.retour(name="PES_Retour_A_4.xml")
        self.login(self.alice)
        self.client.get(f"/helios/retours/{read.pk}/fichier.xml")
        r = self.client.get(URL + "?unread=on")
        self.assertNotContains(r, "PES_Retour_A_3.xml")
        self.assertContains(r, "PES_Retour_A_4.xml")

    def test_another_members_retour_is_404_and_stays_unread(self):
        other = self.retour(siret=SIRET_B, name="PES_Retour_B_2.xml")
        self.login(self.alice)
        self.assertEqual(self.client.get(f"/helios/retours/{other.pk}/fichier.xml").status_code, 404)
        other.refresh_from_db()
        self.assertFalse(other.is_read)
