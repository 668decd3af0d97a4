import datetime as dt

from django.test import override_settings
from django.utils import timezone

from bouquet.core.models import JournalEntry, Siret
from bouquet.helios import workflow
from bouquet.helios.choices import IncomingState
from bouquet.helios.models import Transaction, TransmissionSlot
from bouquet.helios.transport import WindowBudget
from tests.web.html import assert_clean_page

from .helpers import HeliosViewTestCase, Status

PAGES = (
    "/helios/operateur/",
    "/helios/operateur/bloques/",
    "/helios/operateur/retours/",
    "/helios/operateur/fenetres/",
)


class OperatorPagesTestCase(HeliosViewTestCase):
    def test_members_get_403_and_anonymous_users_the_login_page(self):
        transaction = self.deposit("PES_A_0001")
        incoming = self.unassigned()
        for url in (*PAGES, f"/helios/operateur/{transaction.pk}/"):
            self.client.logout()
            self.assertRedirects(self.client.get(url), f"/connexion/?next={url}")
            self.login(self.alice)
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(
            self.client.post(f"/helios/operateur/retours/{incoming.pk}/affecter/").status_code, 403
        )

    def test_staff_see_every_members_flows_and_opening_one_is_journaled(self):
        mine = self.deposit("PES_A_0001")
        self.deposit("PES_B_0001", authority=self.authority_b)
        self.login(self.sam)
        r = self.client.get("/helios/operateur/")
        self.assertContains(r, "PES_A_0001")
        self.assertContains(r, "PES_B_0001")
        self.assertContains(r, "Commune B")
        self.assertContains(r, 'aria-current="page">Flux PES</a>', html=False)  # the operator sub-nav
        assert_clean_page(self, r)
        r = self.client.get("/helios/operateur/?authority=commune b")
        self.assertNotContains(r, "PES_A_0001")
        r = self.client.get(f"/helios/operateur/{mine.pk}/")
        self.assertContains(r, "Commune A (210100012)")
        self.assertNotContains(r, "Téléchargements")
        self.assertNotContains(r, "Annuler le dépôt")
        self.assertTrue(JournalEntry.objects.filter(action="operator.view", object_id=str(mine.pk)).exists())

    def test_stuck_flows_are_those_transmitted_without_acquit_or_waiting_too_long(self):
        fresh = self.transmitted("PES_A_0002")
        old = self.transmitted("PES_A_0003")
        Transaction.objects.filter(pk=old.pk).update(last_status_at=timezone.now() - dt.timedelta(days=2))
        closed = self.transmitted("PES_A_0004")
        workflow.change_status(
            closed, workflow.Event.STALE, message="Pas d'acquittement", actor=self.system()
        )
        waiting = self.deposit("PES_A_0005")
        workflow.change_status(
            waiting, workflow.Event.CHECK_OK, message="Fichier valide", actor=self.system()
        )
        Transaction.objects.filter(pk=waiting.pk).update(last_status_at=timezone.now() - dt.timedelta(days=3))
        self.login(self.olga)
        r = self.client.get("/helios/operateur/bloques/")
        names = [t.nom_fic for t in r.context["page"].object_list]
        self.assertEqual(names, ["PES_A_0005", "PES_A_0003", "PES_A_0004"])
        self.assertNotIn(fresh.nom_fic, names)
        self.assertContains(r, "Transmis sans acquittement")
        self.assertContains(r, "3 flux bloqués")
        assert_clean_page(self, r)

    def test_an_unassigned_retour_is_given_to_a_member_with_its_siret(self):
        incoming = self.unassigned(siret="21010001200025")
        self.login(self.olga)
        r = self.client.get("/helios/operateur/retours/")
        self.assertContains(r, "PES_Retour_X.xml")
        self.assertContains(r, "21010001200025")
        self.assertContains(r, "1 retour non affecté")
        assert_clean_page(self, r)
        url = f"/helios/operateur/retours/{incoming.pk}/affecter/"
        r = self.client.post(url, {f"r{incoming.pk}-authority": "999999"}, follow=True)
        self.assertContains(r, "Choisissez une collectivité que vous servez.")
        r = self.client.post(
            url,
            {f"r{incoming.pk}-authority": self.authority_a.pk, f"r{incoming.pk}-remember_siret": "on"},
            follow=True,
        )
        self.assertContains(r, "Le retour PES_Retour_X.xml est remis à Commune A.")
        self.assertContains(r, "Aucun retour en attente d'affectation.")
        incoming.refresh_from_db()
        self.assertEqual(incoming.state, IncomingState.APPLIED)
        self.assertEqual(incoming.retour.authority, self.authority_a)
        self.assertTrue(Siret.objects.filter(siret="21010001200025", authority=self.authority_a).exists())
        self.assertEqual(
            self.client.post(url, {f"r{incoming.pk}-authority": self.authority_a.pk}).status_code, 404
        )

    @override_settings(
        HELIOS_WINDOW_HOURS="8-11,14-17", HELIOS_WINDOW_DAYS="0-4", HELIOS_WINDOW_BYTES_PER_HOUR=10_000
    )
    def test_the_windows_page_shows_the_budget_used_this_hour(self):
        now = timezone.localtime()
        TransmissionSlot.objects.create(slot=WindowBudget.slot_key(now), bytes_used=2_500)
        waiting = self.deposit("PES_A_0006")
        workflow.change_status(
            waiting, workflow.Event.CHECK_OK, message="Fichier valide", actor=self.system()
        )
        self.login(self.olga)
        r = self.client.get("/helios/operateur/fenetres/")
        self.assertContains(r, "de 8 h à 12 h, de 14 h à 18 h")
        self.assertContains(r, "du lundi au vendredi")
        self.assertContains(r, "2,4\xa0Kio sur 9,8\xa0Kio (25 %)")
        self.assertContains(r, "1 flux en attente de transmission")
        self.assertEqual(len(r.context["slots"]), 24)
        assert_clean_page(self, r)

    @override_settings(HELIOS_WINDOW_HOURS="25-3")
    def test_a_wrong_window_setting_is_said_plainly(self):
        self.login(self.olga)
        self.assertContains(self.client.get("/helios/operateur/fenetres/"), "Réglage des fenêtres invalide")

    @staticmethod
    def system():
        from bouquet.core.audit import Actor

        return Actor.system("test")


__all__ = ["Status"]


class OperatorCorrectionTestCase(HeliosViewTestCase):
    def test_an_administrator_puts_a_stuck_flow_in_error_then_back_to_posted(self):
        transaction = self.transmitted("PES_A_0010")
        url = f"/helios/operateur/{transaction.pk}/"
        self.login(self.sam)  # support staff see, but do not correct
        self.assertNotContains(self.client.get(url), "Corriger l")
        self.assertEqual(self.client.post(f"{url}erreur/", {"reason": "x"}).status_code, 403)
        self.login(self.olga)
        self.assertContains(self.client.get(url), "Mettre en erreur")
        r = self.client.post(f"{url}erreur/", {"reason": "Acquittement perdu par la DGFiP"}, follow=True)
        self.assertContains(r, "Nouvel état : Erreur.")
        self.assertContains(r, "Mise en erreur par olga Test : Acquittement perdu par la DGFiP")
        r = self.client.post(f"{url}relancer/", follow=True)
        self.assertContains(r, "Nouvel état : Posté.")
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.POSTE)
        r = self.client.post(f"{url}relancer/", follow=True)  # not in error any more: refused, said
        self.assertContains(r, "Changement d&#x27;état impossible")
