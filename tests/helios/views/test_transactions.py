import datetime as dt
import hashlib

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bouquet.core.choices import ModuleCode
from bouquet.core.models import ModuleRight
from bouquet.helios.models import Transaction
from bouquet.helios.storage import store
from tests.web.html import assert_clean_page

from .helpers import HeliosViewTestCase, Status, pes

URL = "/helios/"


def bulk(authority, count: int, **fields) -> None:
    """Rows straight into the table: the list's cost must not depend on how they were made."""
    stored = store(b"<bulk/>")
    base = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    Transaction.objects.bulk_create(
        Transaction(
            authority=authority,
            status=fields.get("status", Status.INFORMATION_DISPONIBLE),
            filename=f"bulk_{n}.xml",
            file=stored,
            sha256=f"{n:064x}",
            size=7,
            nom_fic=f"BULK_{n:03d}",
            cod_col="123",
            created_at=base + dt.timedelta(hours=n),
            last_status_at=base + dt.timedelta(hours=n),
        )
        for n in range(count)
    )


class TransactionListTestCase(HeliosViewTestCase):
    def test_it_redirects_anonymous_users_to_login(self):
        self.assertRedirects(self.client.get(URL), f"/connexion/?next={URL}")

    def test_it_lists_the_current_authority_only(self):
        self.deposit("PES_A_0001")
        self.deposit("PES_B_0001", authority=self.authority_b)
        self.login(self.bob)  # read-only is enough to see
        r = self.client.get(URL)
        self.assertContains(r, "PES_A_0001")
        self.assertContains(r, "Posté")
        self.assertNotContains(r, "PES_B_0001")
        self.assertContains(r, "1 flux")
        self.assertNotContains(r, "Déposer un fichier</a>\n</div>")  # no deposit button for bob
        assert_clean_page(self, r)

    def test_it_is_403_without_helios_right(self):
        ModuleRight.objects.filter(membership__user=self.bob, module__code=ModuleCode.HELIOS).update(
            access="none"
        )
        self.login(self.bob)
        self.assertEqual(self.client.get(URL).status_code, 403)

    def test_it_filters_by_status_nomfic_and_date(self):
        bulk(self.authority_a, 3)
        self.deposit("PES_A_0001")
        self.login(self.alice)
        cases = {
            "?status=1": ["PES_A_0001"],
            "?status=8": ["BULK_002", "BULK_001", "BULK_000"],
            "?nom_fic=BULK_001": ["BULK_001"],
            "?nom_fic=bulk_001": [],
            "?since=2025-01-02": ["PES_A_0001"],
            "?until=2025-01-01": ["BULK_002", "BULK_001", "BULK_000"],
            "?status=-1": [],
            "?status=nimportequoi": ["PES_A_0001", "BULK_002", "BULK_001", "BULK_000"],
        }
        for query, expected in cases.items():
            r = self.client.get(URL + query)
            with self.subTest(query=query):
                self.assertEqual([t.nom_fic for t in r.context["page"].object_list], expected)

    def test_it_pages_with_a_cursor_and_a_bounded_number_of_queries(self):
        bulk(self.authority_a, 30)
        self.login(self.alice)
        with CaptureQueriesContext(connection) as queries:
            r = self.client.get(URL)
        self.assertLess(len(queries), 20)
        first = [t.nom_fic for t in r.context["page"].object_list]
        self.assertEqual(first[0], "BULK_029")
        self.assertEqual(len(first), 25)
        self.assertContains(r, "Plus anciens")
        older = r.context["page"].older
        r = self.client.get(f"{URL}?apres={older}")
        self.assertEqual(
            [t.nom_fic for t in r.context["page"].object_list], [f"BULK_{n:03d}" for n in range(4, -1, -1)]
        )
        newer = r.context["page"].newer
        r = self.client.get(f"{URL}?avant={newer}")
        self.assertEqual([t.nom_fic for t in r.context["page"].object_list], first)
        self.assertEqual(self.client.get(f"{URL}?apres=n'importe-quoi").status_code, 200)

    def test_it_says_when_retours_are_unread_and_flows_wait_for_a_tt_agent(self):
        self.deposit("PES_A_0002", user=self.cecile)
        self.retour()
        self.login(self.alice)
        r = self.client.get(URL)
        self.assertContains(r, "1 retour de la DGFiP non lu")
        self.assertContains(r, "1 flux attend un agent télétransmetteur : ouvrez-le pour l'envoyer.")


class TransactionDetailTestCase(HeliosViewTestCase):
    def test_it_shows_the_facts_the_timeline_and_the_acquit_table(self):
        transaction, _acquit = self.acknowledged("PES_A_0003", ok=False)
        self.login(self.bob)
        r = self.client.get(f"/helios/{transaction.pk}/")
        self.assertContains(r, "Information disponible")
        self.assertContains(r, "PES_A_0003")
        self.assertContains(r, transaction.transmitted_name)
        html = r.content.decode()
        for status in ("Posté", "En attente de transmission", "Transmis", "Information disponible"):
            self.assertIn(f"<strong>{status}</strong>", html)
        self.assertContains(r, "Tout est refusé")
        self.assertContains(r, "Bordereau 12345 (2009)")
        self.assertContains(r, "<code>ERREUR_SIRET</code>")
        self.assertContains(r, "Le SIRET de la collectivité (IdColl) est inconnu ou incorrect.")
        self.assertContains(r, "Libellé de la DGFiP : SIRET inconnu d&#x27;Helios")
        self.assertNotContains(r, "Télétransmettre")
        self.assertNotContains(r, "Annuler le dépôt")
        assert_clean_page(self, r)

    def test_an_accepted_acquit_says_so(self):
        transaction, _acquit = self.acknowledged("PES_A_0004", ok=True)
        self.login(self.alice)
        r = self.client.get(f"/helios/{transaction.pk}/")
        self.assertContains(r, "Tout est accepté")
        self.assertContains(r, '<span class="verdict verdict-ok">Accepté</span>', html=False)

    def test_it_downloads_the_pes_as_received_and_the_acquit(self):
        data = pes("PES_A_0005")
        transaction, acquit = self.acknowledged("PES_A_0005")
        self.login(self.bob)
        r = self.client.get(f"/helios/{transaction.pk}/pes.xml")
        self.assertEqual(hashlib.sha256(r.content).hexdigest(), hashlib.sha256(data).hexdigest())
        self.assertEqual(r["Content-Disposition"], 'attachment; filename="PES_A_0005.xml"')
        r = self.client.get(f"/helios/{transaction.pk}/acquittements/{acquit.pk}.xml")
        self.assertIn(b"<n:PES_ACQUIT", r.content)
        self.assertIn(b"PES_A_0005", r.content)

    def test_another_members_flows_are_404(self):
        other, acquit = self.acknowledged("PES_B_0002", authority=self.authority_b)
        mine = self.deposit("PES_A_0006")
        self.login(self.alice)
        for url in (
            f"/helios/{other.pk}/",
            f"/helios/{other.pk}/pes.xml",
            f"/helios/{other.pk}/acquittements/{acquit.pk}.xml",
            f"/helios/{mine.pk}/acquittements/{acquit.pk}.xml",  # B's acquit through A's transaction
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
        for url in (f"/helios/{other.pk}/teletransmettre/", f"/helios/{other.pk}/annuler/"):
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url).status_code, 404)
        other.refresh_from_db()
        self.assertEqual(other.status, Status.INFORMATION_DISPONIBLE)

    def test_a_tt_agent_sends_what_a_cs_agent_deposited(self):
        transaction = self.deposit("PES_A_0007", user=self.cecile)
        self.assertEqual(transaction.status, Status.EN_ATTENTE_TELETRANSMISSION)
        url = f"/helios/{transaction.pk}/"
        self.login(self.cecile)
        r = self.client.get(url)
        self.assertContains(r, "attend qu'un agent télétransmetteur")
        self.assertNotContains(r, '<h2 id="tt-title">')
        self.assertEqual(self.client.post(f"{url}teletransmettre/").status_code, 403)
        self.login(self.bob)
        self.assertEqual(self.client.post(f"{url}teletransmettre/").status_code, 403)
        self.login(self.alice)
        self.assertContains(self.client.get(url), '<h2 id="tt-title">Télétransmettre</h2>', html=False)
        r = self.client.post(f"{url}teletransmettre/", follow=True)
        self.assertContains(r, "Le flux est posté")
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.POSTE)
        self.assertContains(r, "Transmission demandée par alice Test")
        r = self.client.post(f"{url}teletransmettre/", follow=True)  # twice: refused, nothing changes
        self.assertContains(r, "Changement d&#x27;état impossible")

    def test_a_deposit_not_yet_sent_can_be_cancelled_by_a_cs_agent(self):
        transaction = self.deposit("PES_A_0008", user=self.cecile)
        self.login(self.bob)
        self.assertEqual(self.client.post(f"/helios/{transaction.pk}/annuler/").status_code, 403)
        self.login(self.cecile)
        r = self.client.post(f"/helios/{transaction.pk}/annuler/", follow=True)
        self.assertContains(r, "Le dépôt est annulé")
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.ANNULE)
        self.assertNotContains(r, "Annuler le dépôt</button>")

    def test_downloads_and_actions_need_a_login(self):
        transaction = self.deposit("PES_A_0009")
        for url in (f"/helios/{transaction.pk}/", f"/helios/{transaction.pk}/pes.xml"):
            self.assertRedirects(self.client.get(url), f"/connexion/?next={url}")
        self.assertEqual(self.client.post(f"/helios/{transaction.pk}/teletransmettre/").status_code, 302)


class SignedVersionTestCase(HeliosViewTestCase):
    def test_the_signed_version_of_a_waiting_file_is_checked_then_posted(self):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.test import override_settings

        from tests.helios.pes.signing import make_signer, sign_bordereaux

        transaction = self.deposit("PES_A_0011", must_sign=True)
        self.assertEqual(transaction.status, Status.EN_ATTENTE_SIGNATURE)
        url = f"/helios/{transaction.pk}/"
        self.login(self.bob)
        self.assertNotContains(self.client.get(url), "Donner le fichier signé")
        self.login(self.cecile)
        self.assertContains(self.client.get(url), "Donner le fichier signé")
        unsigned = SimpleUploadedFile("s.xml", pes("PES_A_0011").replace(b"COMMUNE", b"COMMUNE "))
        r = self.client.post(f"{url}signe/", {"fichier": unsigned}, follow=True)
        self.assertContains(r, "Fichier signé refusé : Ce fichier ne porte aucune signature électronique.")
        signed = sign_bordereaux(pes("PES_A_0011"), make_signer("Maire de A"))
        with override_settings(HELIOS_VERIFY_SIGNERS=False):
            r = self.client.post(
                f"{url}signe/", {"fichier": SimpleUploadedFile("s.xml", signed)}, follow=True
            )
        self.assertContains(r, "Le fichier signé est enregistré")
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.POSTE)
        self.assertEqual(transaction.file.read(), signed)
        self.assertContains(r, "Maire de A")  # the signer, in the checks kept from the deposit
