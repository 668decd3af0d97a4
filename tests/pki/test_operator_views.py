from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bouquet.pki.models import Certificate
from bouquet.pki.services import import_certificate
from bouquet.pki.testing import demo_pki_for_tests
from bouquet.test import BaseTestCase

LIST = reverse("pki:operator_certificates")


class OperatorCertificatesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        demo = demo_pki_for_tests()
        cls.certs = {
            name: import_certificate(data=demo.users[name].cert.read_bytes(), actor=None, holder_name=name)
            for name in ("valid_rgs", "valid_non_rgs", "expired")
        }
        import_certificate(
            data=demo.users["valid_rgs"].cert.read_bytes(), actor=None, bind_to=[cls.alice, cls.charlie]
        )
        Certificate.objects.filter(pk=cls.certs["valid_non_rgs"].pk).update(
            not_after=timezone.now() + timedelta(days=20)
        )

    def test_it_sends_anonymous_users_to_the_login_page(self):
        response = self.client.get(LIST)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))

    def test_it_forbids_members(self):
        self.login(self.alice)
        assert self.client.get(LIST).status_code == 403
        detail = reverse("pki:operator_certificate_detail", args=[self.certs["valid_rgs"].pk])
        assert self.client.get(detail).status_code == 403

    def test_it_lists_certificates_for_operator_staff(self):
        self.login(self.sam)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(LIST)
        # Count, page, bound accounts: constant whatever the number of certificates.
        assert len([q for q in queries.captured_queries if "pki_" in q["sql"]]) == 3
        assert response.status_code == 200
        content = response.content.decode()
        assert "secretaire.vitteaux@demo.bouquet.test" in content
        assert "alice@a.example.test" in content and "charlie@b.example.test" in content
        assert "RGS**" in content and "expiré" in content
        assert response.context["page"].paginator.count == 3

    def test_it_searches_by_email_subject_and_fingerprint(self):
        self.login(self.olga)
        fingerprint = self.certs["expired"].fingerprint_sha256
        for q, expected in (
            ("agent.beaune", "valid_non_rgs"),
            ("Marie Durand", "valid_rgs"),
            (fingerprint[:12], "expired"),
        ):
            page = self.client.get(LIST, {"q": q}).context["page"]
            assert [c.holder_name for c in page.object_list] == [expected], q

    def test_it_filters_certificates_expiring_within_90_days(self):
        self.login(self.olga)
        page = self.client.get(LIST, {"expire": "90"}).context["page"]
        assert [c.holder_name for c in page.object_list] == ["valid_non_rgs"]

    def test_it_shows_the_detail(self):
        self.login(self.olga)
        response = self.client.get(
            reverse("pki:operator_certificate_detail", args=[self.certs["valid_rgs"].pk])
        )
        assert response.status_code == 200
        assert self.certs["valid_rgs"].fingerprint_sha256 in response.content.decode()

    def test_it_answers_404_for_an_unknown_certificate(self):
        self.login(self.olga)
        assert self.client.get(reverse("pki:operator_certificate_detail", args=[999999])).status_code == 404
