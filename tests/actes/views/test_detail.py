import io

from django.test import override_settings
from pypdf import PdfReader

from bouquet.actes.choices import Status, TransactionType
from bouquet.actes.models import Transaction
from bouquet.actes.services.common import Document
from bouquet.core.models import JournalEntry
from tests.web.html import assert_clean_page

from .helpers import PDF, ActesViewTestCase


class TransactionPageTestCase(ActesViewTestCase):
    def url(self, act, suffix: str = "") -> str:
        return f"/actes/{act.pk}/{suffix}"

    def test_it_redirects_anonymous_users_to_login(self):
        act = self.create()
        for suffix in ("", "accuse-reception.xml", "acte-tamponne.pdf", "bordereau.pdf", "annuler/"):
            url = self.url(act, suffix)
            self.assertRedirects(
                self.client.get(url), f"/connexion/?next={url}", fetch_redirect_response=False
            )

    def test_it_is_404_for_another_authority(self):
        act_b = self.create(authority=self.authority_b, number="2025_B001")
        file_b = act_b.files.get()
        self.login(self.alice)
        for suffix in (
            "",
            "accuse-reception.xml",
            "acte-tamponne.pdf",
            "bordereau.pdf",
            f"fichiers/{file_b.pk}/",
        ):
            with self.subTest(suffix=suffix):
                self.assertEqual(self.client.get(self.url(act_b, suffix)).status_code, 404)
        for suffix in ("annuler/", "teletransmettre/", "repondre/"):
            with self.subTest(suffix=suffix):
                self.assertEqual(self.client.post(self.url(act_b, suffix)).status_code, 404)

    def test_it_shows_the_timeline_files_and_downloads(self):
        act = self.acknowledged(annexes=[Document("plan.pdf", PDF, "99_AU")])
        self.login(self.bob)
        r = self.client.get(self.url(act))
        assert_clean_page(self, r)
        self.assertContains(r, "Acquittement reçu")
        for step in ("Posté", "En attente de transmission", "Transmis", "Reçu par le MI le 2025-03-12"):
            self.assertContains(r, step)
        self.assertContains(r, "deliberation.pdf")
        self.assertContains(r, "99_DE-021-210100012-20250310-2025_D001-DE-1-1_1.pdf")
        self.assertContains(r, "Acte tamponné (PDF)")
        self.assertContains(r, "Accusé de réception (XML)")
        self.assertNotContains(r, "Annuler la transmission")  # bob reads only

    def test_it_downloads_the_files_the_ar_the_stamped_act_and_the_bordereau(self):
        act = self.acknowledged()
        self.login(self.bob)
        document = act.files.get(role="main")
        r = self.client.get(self.url(act, f"fichiers/{document.pk}/"))
        self.assertEqual(r.content, document.read())
        self.assertIn("attachment", r["Content-Disposition"])
        r = self.client.get(self.url(act, "accuse-reception.xml"))
        self.assertEqual(r["Content-Type"], "application/xml")
        self.assertIn(b"ARActe", r.content)
        self.assertIn("-1-2_", r["Content-Disposition"])
        r = self.client.get(self.url(act, "acte-tamponne.pdf"))
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertTrue(r.content.startswith(b"%PDF"))
        r = self.client.get(self.url(act, "bordereau.pdf"))
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
        self.assertIn("2025_D001", text)

    def test_it_has_no_ar_before_the_ministry_answers(self):
        act = self.create()
        self.login(self.alice)
        self.assertEqual(self.client.get(self.url(act, "accuse-reception.xml")).status_code, 404)
        self.assertNotContains(self.client.get(self.url(act)), "Acte tamponné")


class CancelTestCase(ActesViewTestCase):
    def setUp(self):
        self.act = self.acknowledged()
        self.url = f"/actes/{self.act.pk}/annuler/"

    def test_it_is_403_for_read_only_users_and_agents_without_tt(self):
        for user in (self.bob, self.cecile):
            self.login(user)
            with self.subTest(user=user.email):
                self.assertEqual(self.client.post(self.url).status_code, 403)
        self.assertFalse(Transaction.objects.filter(type=TransactionType.ANNULATION).exists())

    def test_it_only_accepts_post(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_it_cancels_then_shows_the_cancellation(self):
        self.login(self.alice)
        page = self.client.get(f"/actes/{self.act.pk}/")
        self.assertContains(page, "Annuler la transmission")
        r = self.client.post(self.url, follow=True)
        self.assertRedirects(r, f"/actes/{self.act.pk}/")
        self.assertContains(r, "L&#x27;annulation est déposée")
        self.assertContains(r, "Une annulation de cet acte est en cours")
        cancellation = Transaction.objects.get(type=TransactionType.ANNULATION, related=self.act)
        self.assertEqual(cancellation.status, Status.POSTE)
        r = self.client.post(self.url, follow=True)
        self.assertContains(r, "Une annulation de cet acte est déjà en cours.")

    def test_it_explains_why_an_act_cannot_be_cancelled(self):
        act = self.create(number="2025_D002")
        self.login(self.alice)
        r = self.client.post(f"/actes/{act.pk}/annuler/", follow=True)
        self.assertContains(r, "Seul un acte dont l&#x27;accusé de réception a été reçu peut être annulé.")


class TeletransmitTestCase(ActesViewTestCase):
    def setUp(self):
        self.act = self.create(actor=self.actor_for_cecile())
        self.assertEqual(self.act.status, Status.EN_ATTENTE_POSTE)
        self.url = f"/actes/{self.act.pk}/teletransmettre/"

    def actor_for_cecile(self):
        from bouquet.core.audit import Actor

        return Actor.of_user(self.cecile)

    def with_certificate(self, level: str) -> None:
        session = self.client.session
        session["client_certificate"] = {"fingerprint": "ab" * 32, "rgs_level": level}
        session.save()

    def test_it_asks_for_the_certificate_login(self):
        self.login(self.alice)
        r = self.client.get(f"/actes/{self.act.pk}/")
        self.assertContains(r, "La télétransmission nécessite une connexion avec votre certificat RGS**")
        self.assertContains(r, 'href="/connexion/certificat/?next=')
        r = self.client.post(self.url, follow=True)
        self.assertContains(r, "La télétransmission demande de vous connecter avec votre certificat RGS**")
        self.act.refresh_from_db()
        self.assertEqual(self.act.status, Status.EN_ATTENTE_POSTE)

    def test_it_refuses_a_lower_certificate(self):
        self.login(self.alice)
        self.with_certificate("RGS*")
        self.assertContains(self.client.get(f"/actes/{self.act.pk}/"), "ne suffit pas")
        r = self.client.post(self.url, follow=True)
        self.assertContains(r, "La télétransmission nécessite un certificat RGS (niveau RGS** au moins).")

    def test_it_posts_with_an_rgs2_certificate(self):
        self.login(self.alice)
        self.with_certificate("RGS**")
        self.assertContains(self.client.get(f"/actes/{self.act.pk}/"), "Télétransmettre</button>")
        r = self.client.post(self.url, follow=True)
        self.assertContains(r, "L&#x27;acte est posté")
        self.act.refresh_from_db()
        self.assertEqual(self.act.status, Status.POSTE)

    def test_it_is_403_without_tt(self):
        for user in (self.bob, self.cecile):
            self.login(user)
            self.with_certificate("RGS**")
            with self.subTest(user=user.email):
                self.assertEqual(self.client.post(self.url).status_code, 403)

    @override_settings(PKI_TRANSMISSION_REQUIRED_RGS="")
    def test_it_journals_the_post(self):
        self.login(self.alice)
        self.with_certificate("")
        self.client.post(self.url)
        self.assertTrue(JournalEntry.objects.filter(action="actes.post", object_id=str(self.act.pk)).exists())
