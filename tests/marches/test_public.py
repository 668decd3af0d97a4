"""Public pages without an account: search, consultation page, free DCE download, logged."""

import io
import zipfile
from datetime import timedelta

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from bouquet.marches.choices import Kind, Procedure, Status
from bouquet.marches.models import Download, Downloader
from tests.marches.helpers import MarchesTestCase, make_company_user, make_consultation


class PublicSearchTestCase(MarchesTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.roads = make_consultation(cls.authority_a, "ROUTES", status=Status.PUBLISHED, lots=2)
        cls.meals = make_consultation(
            cls.authority_b, "REPAS", status=Status.PUBLISHED, object="Fourniture de repas scolaires",
            kind=Kind.SUPPLIES, procedure=Procedure.OPEN, cpv_main="15894210-6",
            bid_deadline=timezone.now() + timedelta(days=90),
        )  # fmt: skip
        cls.draft = make_consultation(cls.authority_a, "SECRET", object="Projet confidentiel")
        cls.old = make_consultation(
            cls.authority_a, "ANCIENNE", status=Status.CLOSED, object="Ancienne consultation",
            bid_deadline=timezone.now() - timedelta(days=1),
        )  # fmt: skip

    def search(self, **params):
        response = self.client.get(reverse("marches_public:search"), params)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_anonymous_visitors_find_published_consultations_only(self):
        page = self.search()
        self.assertIn("Travaux de voirie ROUTES", page)
        self.assertIn("Fourniture de repas scolaires", page)
        self.assertNotIn("Projet confidentiel", page)
        self.assertNotIn("Ancienne consultation", page)
        self.assertIn("Ancienne consultation", self.search(state="all"))
        self.assertNotIn("Projet confidentiel", self.search(state="all", q="confidentiel"))

    def test_every_filter_narrows_the_results(self):
        cases = [
            ({"q": "repas"}, "REPAS", "ROUTES"),
            ({"cpv": "4523"}, "ROUTES", "REPAS"),
            ({"cpv": "15894210-6"}, "REPAS", "ROUTES"),
            ({"buyer": "Commune B"}, "REPAS", "ROUTES"),
            ({"kind": "supplies"}, "REPAS", "ROUTES"),
            ({"procedure": "mapa"}, "ROUTES", "REPAS"),
            ({"deadline_until": (timezone.localdate() + timedelta(days=50)).isoformat()}, "ROUTES", "REPAS"),
            ({"published_from": (timezone.localdate() + timedelta(days=1)).isoformat()}, None, "ROUTES"),
        ]
        for params, present, absent in cases:
            with self.subTest(params=params):
                page = self.search(**params)
                if present:
                    self.assertIn(present, page)
                self.assertNotIn(absent, page)

    def test_bad_search_input_is_reported_not_crashing(self):
        page = self.search(cpv="abc", published_from="pas-une-date")
        self.assertIn("ne contient que des chiffres", page)

    def test_a_draft_is_not_public(self):
        response = self.client.get(reverse("marches_public:consultation", args=[self.draft.pk]))
        self.assertEqual(response.status_code, 404)
        response = self.client.get(reverse("marches_public:dce_zip", args=[self.draft.pk]))
        self.assertEqual(response.status_code, 404)

    def test_the_consultation_page_shows_lots_and_buyer(self):
        response = self.client.get(reverse("marches_public:consultation", args=[self.roads.pk]))
        self.assertContains(response, "Commune A")
        self.assertContains(response, "Lot 2")
        self.assertContains(response, "connectez-vous")


class PublicDownloadTestCase(MarchesTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.consultation = make_consultation(
            cls.authority_a, "DCE", status=Status.PUBLISHED, files=["RC.pdf", "CCAP.pdf", "CCTP.pdf"]
        )

    def test_an_anonymous_download_is_free_and_logged_with_ip(self):
        dce_file = self.consultation.dce_files.get(name="CCAP.pdf")
        url = reverse("marches_public:dce_file", args=[self.consultation.pk, dce_file.pk])
        response = self.client.get(url, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Navigateur test")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), dce_file.read())
        self.assertIn('filename="CCAP.pdf"', response["Content-Disposition"])
        log = Download.objects.get()
        self.assertEqual((log.ip, log.file, log.is_archive, log.version), ("203.0.113.9", dce_file, False, 1))
        self.assertEqual(
            (log.user, log.company, log.email, log.user_agent), (None, None, "", "Navigateur test")
        )

    @override_settings(TRUSTED_PROXIES=["127.0.0.1"])
    def test_the_forwarded_address_is_believed_only_from_the_trusted_proxy(self):
        url = reverse("marches_public:dce_zip", args=[self.consultation.pk])
        b"".join(
            self.client.get(
                url, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4"
            ).streaming_content
        )
        b"".join(
            self.client.get(url, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.9.9.9").streaming_content
        )
        self.assertEqual(
            list(Download.objects.order_by("at").values_list("ip", flat=True)), ["198.51.100.4", "192.0.2.1"]
        )

    @override_settings(TRUSTED_PROXIES=["127.0.0.1"], TRUSTED_PROXY_SECRET="secret-de-nginx")
    def test_without_the_proxy_secret_a_local_user_cannot_forge_the_address(self):
        url = reverse("marches_public:dce_zip", args=[self.consultation.pk])
        forged = self.client.get(url, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
        b"".join(forged.streaming_content)
        real = self.client.get(
            url,
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.5",
            HTTP_X_BOUQUET_PROXY_SECRET="secret-de-nginx",
        )
        b"".join(real.streaming_content)
        self.assertEqual(
            list(Download.objects.order_by("at").values_list("ip", flat=True)), ["127.0.0.1", "198.51.100.5"]
        )

    def test_the_zip_holds_every_current_document(self):
        response = self.client.get(reverse("marches_public:dce_zip", args=[self.consultation.pk]))
        self.assertEqual(response["Content-Type"], "application/zip")
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        self.assertEqual(sorted(archive.namelist()), ["CCAP.pdf", "CCTP.pdf", "RC.pdf"])
        self.assertEqual(archive.read("RC.pdf"), self.consultation.dce_files.get(name="RC.pdf").read())
        self.assertIsNone(archive.testzip())
        self.assertTrue(Download.objects.get().is_archive)

    def test_a_company_user_download_carries_identity_and_registers_for_alerts(self):
        user, company = make_company_user()
        self.client.force_login(user)
        b"".join(
            self.client.get(reverse("marches_public:dce_zip", args=[self.consultation.pk])).streaming_content
        )
        log = Download.objects.get()
        self.assertEqual((log.company, log.email), (company, user.email))
        self.assertTrue(Downloader.objects.filter(consultation=self.consultation, email=user.email).exists())

    def test_an_optional_email_registers_and_then_identifies_downloads(self):
        url = reverse("marches_public:register", args=[self.consultation.pk])
        self.client.post(url, {"email": "pas-une-adresse"})
        self.assertFalse(Downloader.objects.exists())
        self.client.post(url, {"email": "Veille@Example.test"})
        self.client.post(url, {"email": "veille@example.test"})
        self.assertEqual(list(Downloader.objects.values_list("email", flat=True)), ["veille@example.test"])
        b"".join(
            self.client.get(reverse("marches_public:dce_zip", args=[self.consultation.pk])).streaming_content
        )
        self.assertEqual(Download.objects.get().email, "veille@example.test")

    def test_a_replaced_document_is_no_longer_served_publicly(self):
        dce_file = self.consultation.dce_files.get(name="RC.pdf")
        dce_file.replaced_at = timezone.now()
        dce_file.save()
        url = reverse("marches_public:dce_file", args=[self.consultation.pk, dce_file.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        other = make_consultation(self.authority_a, "AUTRE", status=Status.PUBLISHED, files=["X.pdf"])
        url = reverse("marches_public:dce_file", args=[other.pk, self.consultation.dce_files.first().pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertFalse(Download.objects.exists())

    def test_unsubscribing_asks_then_stops_the_mails(self):
        registration = Downloader.objects.create(consultation=self.consultation, email="a@example.test")
        url = reverse("marches_public:unsubscribe", args=[registration.token])
        self.assertContains(self.client.get(url), "Me désinscrire")
        registration.refresh_from_db()
        self.assertTrue(registration.is_active)
        self.client.post(url)
        registration.refresh_from_db()
        self.assertFalse(registration.is_active)
        self.assertEqual(
            self.client.post(reverse("marches_public:unsubscribe", args=["inconnu"])).status_code, 404
        )
