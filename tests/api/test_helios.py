"""/api/v1/helios/…: deposit, preflight, follow, download, post and cancel PES files; PES_Retour."""

from django.test import override_settings
from django.urls import reverse

from bouquet.core.models import Siret
from bouquet.helios.choices import Status
from bouquet.helios.models import Retour, StoredFile, Transaction
from bouquet.helios.services.apply_incoming_file import apply_incoming_file
from bouquet.helios.services.check_transaction import check_transaction
from bouquet.helios.services.send_transaction import send_transaction
from tests.helios.helpers import SIRET_A, FakeDgfip, HeliosTestCase, acquit, pes, retour

from .helpers import CertificateMixin, token_for, upload

LIST = reverse("api:helios_transaction_list")
PREFLIGHT = reverse("api:helios_preflight")
RETOURS = reverse("api:helios_retour_list")


def detail(pk: int, name: str = "helios_transaction_detail") -> str:
    return reverse(f"api:{name}", kwargs={"pk": pk})


class HeliosApiTestCase(HeliosTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.token_alice = token_for(cls.alice, cls.authority_a)
        cls.token_bob = token_for(cls.bob, cls.authority_a)
        cls.token_charlie = token_for(cls.charlie, cls.authority_b)

    def call(self, method: str, url: str, token: str | None = None, **kwargs):
        headers = {"Authorization": f"Bearer {token or self.token_alice}"}
        return getattr(self.client, method)(url, headers=headers, **kwargs)

    def assert_error(self, response, status: int, code: str, text: str = "") -> dict:
        self.assertEqual(response.status_code, status, response.content[:500])
        body = response.json()
        self.assertEqual(body["code"], code, body)
        self.assertIn(text, body["detail"])
        return body

    def acquitted(self) -> Transaction:
        transaction = check_transaction(transaction=self.upload(pes("PES-API")))
        send_transaction(transaction=transaction, client=FakeDgfip())
        apply_incoming_file(
            name="ACK.xml", data=acquit("PES-API", ok=False, errors=[("ERREUR_PJ", "PJ refusée")])
        )
        return transaction


class UploadTestCase(HeliosApiTestCase):
    def test_it_deposits_a_pes_and_waits_for_a_tt_order_without_certificate(self):
        response = self.call("post", LIST, data={"file": upload("budget.xml", pes("PES-1"))})
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(response["Location"], detail(body["id"]))
        self.assertEqual((body["status"], body["nom_fic"], body["filename"]), (14, "PES-1", "budget.xml"))
        self.assertEqual(body["history"][0]["message"], "Fichier en attente d'être télétransmis")
        file = self.call("get", detail(body["id"], "helios_transaction_file"))
        self.assertEqual(file.content, pes("PES-1"))

    def test_must_sign_gives_13(self):
        body = self.call(
            "post", LIST, data={"file": upload("p.xml", pes("PES-2")), "must_sign": "true"}
        ).json()
        self.assertEqual(body["status"], Status.EN_ATTENTE_SIGNATURE)

    def test_a_refused_file_gives_the_findings_with_their_lines_and_stores_nothing(self):
        before = StoredFile.objects.count()
        response = self.call("post", LIST, data={"file": upload("p.xml", pes(encoding=b"UTF-8"))})
        body = self.assert_error(response, 400, "pes_refused", "ISO-8859-1")
        self.assertEqual(body["findings"][0]["code"], "encoding_not_iso_8859_1")
        self.assertEqual(body["findings"][0]["line"], 1)
        self.assertEqual(StoredFile.objects.count(), before)

    def test_a_duplicate_nomfic_is_refused(self):
        self.call("post", LIST, data={"file": upload("p.xml", pes("PES-3"))})
        response = self.call("post", LIST, data={"file": upload("p.xml", pes("PES-3", id_post="034001"))})
        self.assert_error(response, 400, "pes_refused", "existe déjà sur la plateforme")

    def test_a_read_only_user_may_not_deposit(self):
        response = self.call("post", LIST, self.token_bob, data={"file": upload("p.xml", pes("PES-4"))})
        self.assert_error(response, 403, "forbidden", "déposer")

    def test_a_missing_file_is_reported(self):
        body = self.assert_error(self.call("post", LIST, data={}), 400, "invalid", "Données invalides")
        self.assertIn("file", body["errors"])

    def test_an_actes_only_account_gets_403(self):
        from bouquet.core.choices import Access, ModuleCode, Role
        from bouquet.test import make_user

        user = make_user(
            "actes@a.example.test",
            self.authority_a,
            Role.AGENT,
            {ModuleCode.ACTES: (Access.WRITE, True, True)},
        )
        response = self.call("get", LIST, token_for(user, self.authority_a))
        self.assert_error(response, 403, "module_forbidden", "HELIOS")


class CertificateUploadTestCase(CertificateMixin, HeliosApiTestCase):
    def test_a_tt_agent_with_an_rgs_certificate_posts_directly(self):
        self.bind("valid_rgs", self.alice)
        response = self.client.post(
            LIST, data={"file": upload("p.xml", pes("PES-5"))}, headers=self.cert_headers("valid_rgs"),
            REMOTE_ADDR="127.0.0.1",
        )  # fmt: skip
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["status"], Status.POSTE)


class PreflightTestCase(HeliosApiTestCase):
    def test_it_reports_without_storing(self):
        data = pes("PES-6", extra_header=b'<Inconnu V="1"/>')
        body = self.call("post", PREFLIGHT, data={"file": upload("p.xml", data)}).json()
        self.assertTrue(body["accepted"])
        self.assertEqual((body["kind"], body["nom_fic"], body["cod_col"]), ("PES_Aller", "PES-6", "400"))
        self.assertEqual(body["findings"][0]["severity"], "warning")
        self.assertIn("EnTetePES", body["checked_parts"])
        self.assertIn("PES_DepenseAller", body["unchecked_parts"])
        self.assertFalse(Transaction.objects.exists())

    def test_an_unreadable_file_is_not_accepted(self):
        body = self.call("post", PREFLIGHT, data={"file": upload("p.xml", b"\x00garbage")}).json()
        self.assertFalse(body["accepted"])
        self.assertIsNone(body["kind"])
        self.assertEqual(body["findings"][0]["severity"], "error")


class FollowTestCase(HeliosApiTestCase):
    def test_the_detail_has_history_and_the_acquit_element_by_element(self):
        transaction = self.acquitted()
        body = self.call("get", detail(transaction.pk)).json()
        self.assertEqual(body["status"], Status.INFORMATION_DISPONIBLE)
        self.assertEqual([h["status"] for h in body["history"]], [1, 2, 3, 8])
        acquit_body = body["acquit"]
        self.assertFalse(acquit_body["all_accepted"])
        refused = acquit_body["elements"][0]
        self.assertEqual((refused["accepted"], refused["subject"]), (False, "Bordereau 1093357 (2009)"))
        self.assertEqual(refused["errors"][0]["code"], "ERREUR_PJ")
        raw = self.call("get", detail(transaction.pk, "helios_transaction_acquit"))
        self.assertEqual(raw.content, transaction.current_acquit.read())

    def test_no_acquit_yet_is_404(self):
        transaction = self.upload(pes("PES-7"))
        response = self.call("get", detail(transaction.pk, "helios_transaction_acquit"))
        self.assert_error(response, 404, "no_acquit", "Aucun acquittement")

    def test_the_list_filters_and_stays_in_the_tenant(self):
        waiting = self.upload(pes("PES-8"), wait=True)
        self.upload(pes("PES-9"))
        self.upload(pes("PES-B", id_post="034001"), user=self.charlie, authority=self.authority_b)
        body = self.call("get", LIST, data={"status": [14]}).json()
        self.assertEqual([t["id"] for t in body["results"]], [waiting.pk])
        self.assertEqual(self.call("get", LIST).json()["count"], 2)
        self.assertEqual(self.call("get", LIST, data={"nom_fic": "PES-B"}).json()["count"], 0)

    def test_another_tenants_transaction_is_404(self):
        theirs = self.upload(pes("PES-B", id_post="034001"), user=self.charlie, authority=self.authority_b)
        for name in ("helios_transaction_detail", "helios_transaction_file", "helios_transaction_acquit"):
            with self.subTest(name):
                self.assert_error(self.call("get", detail(theirs.pk, name)), 404, "not_found")
        self.assert_error(self.call("post", detail(theirs.pk, "helios_transaction_cancel")), 404, "not_found")


class ActionsTestCase(HeliosApiTestCase):
    @override_settings(PKI_TRANSMISSION_REQUIRED_RGS="")
    def test_post_and_cancel(self):
        waiting = self.upload(pes("PES-10"), wait=True)
        body = self.call("post", detail(waiting.pk, "helios_transaction_post")).json()
        self.assertEqual(body["status"], Status.POSTE)
        body = self.call("post", detail(waiting.pk, "helios_transaction_cancel")).json()
        self.assertEqual(body["status"], Status.ANNULE)
        response = self.call("post", detail(waiting.pk, "helios_transaction_cancel"))
        self.assert_error(response, 409, "conflict", "Changement d'état impossible")

    def test_posting_needs_a_certificate_of_the_required_level(self):
        waiting = self.upload(pes("PES-11"), wait=True)
        self.assert_error(
            self.call("post", detail(waiting.pk, "helios_transaction_post")), 403, "forbidden", "RGS"
        )


class RetourTestCase(HeliosApiTestCase):
    def test_list_download_and_mark_read(self):
        Siret.objects.create(authority=self.authority_a, siret=SIRET_A)
        apply_incoming_file(name="R.xml", data=retour(SIRET_A))
        retour_a = Retour.objects.get()
        body = self.call("get", RETOURS, data={"unread": "true"}).json()
        self.assertEqual([r["id"] for r in body["results"]], [retour_a.pk])
        raw = self.call("get", reverse("api:helios_retour_file", kwargs={"pk": retour_a.pk}))
        self.assertEqual(raw.content, retour(SIRET_A))
        read = self.call("post", reverse("api:helios_retour_read", kwargs={"pk": retour_a.pk})).json()
        self.assertTrue(read["is_read"])
        self.assertEqual(self.call("get", RETOURS, data={"unread": "true"}).json()["count"], 0)
        other = self.call("get", RETOURS, self.token_charlie).json()
        self.assertEqual(other["count"], 0)
        response = self.call(
            "post", reverse("api:helios_retour_read", kwargs={"pk": retour_a.pk}), self.token_charlie
        )
        self.assert_error(response, 404, "not_found")
