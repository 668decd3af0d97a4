import base64

from django.urls import reverse
from django.utils import timezone

from bouquet.api.models import ApiToken
from bouquet.core.choices import Access, ModuleCode, Role
from bouquet.core.models import Membership, ModuleRight
from bouquet.test import PASSWORD, make_user

from .helpers import ApiTestCase, CertificateMixin, token_for

ME = reverse("api:me")
LIST = reverse("api:transaction_list")


class TokenAuthenticationTestCase(ApiTestCase):
    def test_it_refuses_a_request_without_credentials(self):
        response = self.call("get", LIST)
        body = self.assert_error(response, 401, "not_authenticated")
        self.assertTrue(body["detail"])
        self.assertIn("Bearer", response["WWW-Authenticate"])

    def test_it_refuses_an_unknown_token(self):
        self.assert_error(self.get(LIST, token="bqt_nimporte-quoi"), 401, "token_invalid", "Jeton")

    def test_it_refuses_a_revoked_token(self):
        ApiToken.objects.filter(user=self.alice).update(revoked_at=timezone.now())
        self.assert_error(self.get(LIST), 401, "token_invalid")

    def test_it_refuses_a_token_whose_membership_is_inactive(self):
        Membership.objects.filter(user=self.alice).update(is_active=False)
        self.assert_error(self.get(LIST), 401, "token_invalid")

    def test_it_stores_only_a_hash_and_records_the_last_use(self):
        token = ApiToken.objects.get(user=self.alice)
        self.assertNotIn(self.token_alice, token.key_hash)
        self.assertTrue(self.token_alice.startswith(token.prefix))
        self.assertEqual(self.get(ME).status_code, 200)
        token.refresh_from_db()
        self.assertIsNotNone(token.last_used_at)

    def test_it_tells_who_is_calling(self):
        body = self.get(ME).json()
        self.assertEqual(body["email"], self.alice.email)
        self.assertEqual(body["authority_siren"], self.authority_a.siren)
        self.assertEqual((body["method"], body["can_prepare"]), ("token", True))
        # A token carries no certificate: no RGS** level, so no transmission order.
        self.assertFalse(body["can_transmit"])

    def test_a_token_is_bound_to_its_authority(self):
        headers = {"X-Bouquet-Authority": self.authority_b.siren}
        self.assert_error(self.get(ME, headers=headers), 401, "authority_mismatch")
        headers = {"X-Bouquet-Authority": self.authority_a.siren}
        self.assertEqual(self.get(ME, headers=headers).status_code, 200)

    def test_another_authoritys_transactions_are_not_found(self):
        act = self.create()
        file = act.files.get(position=1)
        urls = [
            reverse("api:transaction_detail", kwargs={"pk": act.pk}),
            reverse("api:transaction_files", kwargs={"pk": act.pk}),
            reverse("api:transaction_file", kwargs={"pk": act.pk, "file_id": file.pk}),
        ]
        for url in urls:
            with self.subTest(url=url):
                self.assert_error(self.get(url, token=self.token_charlie), 404, "not_found", "introuvable")
        for name in ("transaction_post", "transaction_cancel", "letter_answer", "letter_read"):
            url = reverse(f"api:{name}", kwargs={"pk": act.pk})
            with self.subTest(url=url):
                self.assert_error(self.post(url, token=self.token_charlie), 404, "not_found")
        self.assertEqual(self.get(LIST, token=self.token_charlie).json()["count"], 0)
        self.assertEqual(self.get(LIST).json()["count"], 1)

    def test_it_demands_read_access_to_actes(self):
        helios = {ModuleCode.HELIOS: (Access.READ, False, False)}
        user = make_user("dora@a.example.test", self.authority_a, Role.AGENT, helios)
        token = token_for(user, self.authority_a)
        self.assert_error(self.get(LIST, token=token), 403, "module_forbidden", "ACTES")

    def test_a_read_only_user_lists_but_cannot_create(self):
        self.assertEqual(self.get(LIST, token=self.token_bob).status_code, 200)
        response = self.post(LIST, token=self.token_bob, data={})
        self.assertIn(response.status_code, {400, 403})


class SessionAuthenticationTestCase(ApiTestCase):
    def test_the_web_session_works_for_the_current_authority(self):
        self.client.force_login(self.alice)
        body = self.client.get(ME).json()
        self.assertEqual((body["method"], body["authority_siren"]), ("session", self.authority_a.siren))


class CertificateAuthenticationTestCase(CertificateMixin, ApiTestCase):
    def test_it_authenticates_a_certificate_bound_to_one_account(self):
        self.bind("valid_rgs", self.alice)
        body = self.client.get(ME, headers=self.cert_headers("valid_rgs")).json()
        self.assertEqual((body["email"], body["method"]), (self.alice.email, "certificate"))
        self.assertEqual(body["rgs_level"], "RGS**")
        self.assertTrue(body["can_transmit"])

    def test_it_refuses_an_unbound_or_revoked_certificate(self):
        response = self.client.get(ME, headers=self.cert_headers("valid_rgs"))
        self.assert_error(response, 401, "certificate_refused", "Certificat inconnu")
        self.bind("revoked", self.alice)
        self.assert_error(
            self.client.get(ME, headers=self.cert_headers("revoked")), 401, "certificate_refused"
        )

    def test_a_shared_certificate_needs_the_accounts_password(self):
        self.bind("valid_non_rgs", self.alice, self.cecile)
        headers = self.cert_headers("valid_non_rgs")
        self.assert_error(
            self.client.get(ME, headers=headers), 401, "certificate_refused", "Plusieurs comptes"
        )
        basic = base64.b64encode(f"{self.cecile.email}:{PASSWORD}".encode()).decode()
        body = self.client.get(ME, headers={**headers, "Authorization": f"Basic {basic}"}).json()
        self.assertEqual(body["email"], self.cecile.email)
        self.assertEqual(body["rgs_level"], "")

    def test_several_memberships_need_the_authority_header(self):
        membership = Membership.objects.create(user=self.alice, authority=self.authority_b, role=Role.AGENT)
        ModuleRight.objects.create(
            membership=membership, module=self.modules[ModuleCode.ACTES], access=Access.READ
        )
        self.bind("valid_rgs", self.alice)
        headers = self.cert_headers("valid_rgs")
        self.assert_error(
            self.client.get(ME, headers=headers), 400, "authority_required", "X-Bouquet-Authority"
        )
        for authority in (self.authority_a, self.authority_b):
            response = self.client.get(ME, headers={**headers, "X-Bouquet-Authority": authority.siren})
            self.assertEqual(response.json()["authority_siren"], authority.siren)
        response = self.client.get(ME, headers={**headers, "X-Bouquet-Authority": "999999999"})
        self.assert_error(response, 401, "authority_unknown")
